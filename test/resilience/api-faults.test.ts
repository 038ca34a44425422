/**
 * API faults, injected by a proxy in front of the loopback vendor servers: a connection reset, no
 * answer, a burst of 5xx, a truncated body, malformed XML and JSON, a page that hands out the same
 * page token / nextLink / Link forever, an answer that never ends or is far too large. Each fails
 * only its own collector, with the reason recorded; the run ends `partial`; the other sources'
 * evidence lands.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { DEMO_MANAGEMENT_CONFIG, demoAwsAccount } from "../../demo/estates/demo.js";
import { DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { DEMO_GITHUB_ORG, demoGithubOrg } from "../../demo/estates/demo-github.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { startFakeAzure, type FakeAzureServer } from "../../demo/servers/azure.js";
import { startFaultProxy, type FaultRule } from "../../demo/servers/fault-proxy.js";
import { startFakeGithub, type FakeGithubServer } from "../../demo/servers/github.js";
import { tempDir } from "../helpers.js";

let aws: FakeAwsServer;
let azure: FakeAzureServer;
let github: FakeGithubServer;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "faults-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  // Small pages, so paging faults have pages to repeat.
  aws = await startFakeAws({ ...demoAwsAccount(new Date()), config: DEMO_MANAGEMENT_CONFIG }, { pageSize: 1 });
  const azureEstate = demoAzureEstate();
  process.env["ISMS_TEST_AZURE_TOKEN"] = azureEstate.token;
  azure = await startFakeAzure(azureEstate, { pageSize: 2 });
  const org = demoGithubOrg();
  process.env["ISMS_TEST_GITHUB_TOKEN"] = org.token;
  github = await startFakeGithub(org, { pageSize: 5 });
}, 60_000);

afterAll(async () => {
  await Promise.all([aws.close(), azure.close(), github.close()]);
  dirs.forEach((d) => d.cleanup());
});

type Target = "aws" | "azure" | "github";

const SOURCE: Record<Target, string> = { aws: "aws-prod", azure: "azure-prod", github: "gh-prod" };

async function runWithFault(target: Target, rule: FaultRule, timeoutSeconds = 3, maxResponseMiB?: number) {
  const dir = tempDir();
  dirs.push(dir);
  const proxy = await startFaultProxy(target === "aws" ? aws : target === "azure" ? azure : github, [rule]);
  const via = (t: Target, url: string) => (t === target ? proxy.url : url);
  // Every source gets the bound, so the sources without the fault show it does not trip on normal answers.
  const bound = maxResponseMiB === undefined ? "" : `\n      maxResponseMiB: ${maxResponseMiB}`;
  const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
runner: { collectorTimeoutSeconds: ${timeoutSeconds} }
sources:
  aws:
    - name: aws-prod
      regions: [eu-west-1]
      endpoint: "${via("aws", aws.url)}"${bound}
  azure:
    - name: azure-prod
      tenantId: ${DEMO_TENANT_ID}
      subscriptions: all
      credential:
        type: access-token
        token: \${ISMS_TEST_AZURE_TOKEN}
      endpoint: ${via("azure", azure.url)}
      graphEndpoint: ${via("azure", azure.url)}
      authorityHost: ${via("azure", azure.url)}
      caFile: ${JSON.stringify(target === "azure" ? proxy.caFile : azure.caFile)}${bound}
  github:
    - name: gh-prod
      org: ${DEMO_GITHUB_ORG}
      baseUrl: ${via("github", github.url)}
      token: \${ISMS_TEST_GITHUB_TOKEN}${bound}
`;
  const loaded = parseConfig(yaml, join(dir.path, "isms-agent.yaml"), process.env);
  const lines: string[] = [];
  const io: Output = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
  // GitHub's retry backoff is recorded, not slept: these tests never wait on the real clock for it.
  const githubWaits: number[] = [];
  const sleep = (ms: number) => (githubWaits.push(ms), Promise.resolve());
  try {
    const code = await runCommand(loaded, io, { plan: { aws: { iam: { pollIntervalMs: 5 } }, github: { sleep } } });
    const store = await openSqliteStore({ file: loaded.config.database });
    try {
      const [run] = await store.listRuns();
      const outcomes = await store.collectorOutcomes(run?.id ?? 0);
      const evidence = await store.evidence(run?.id ?? 0);
      return { code, run, outcomes, evidence, hits: proxy.hits, lines, githubWaits };
    } finally {
      await store.close();
    }
  } finally {
    await proxy.close();
  }
}

const awsAction = (action: string) => (r: { body: string; target: string }) =>
  r.target.endsWith(`.${action}`) || new URLSearchParams(r.body).get("Action") === action;
const path = (fragment: string) => (r: { path: string }) => r.path.includes(fragment);

const CASES: { name: string; target: Target; rule: FaultRule; failed: string; reason: RegExp }[] = [
  {
    name: "a connection reset (IAM)",
    target: "aws",
    rule: { match: awsAction("GetAccountPasswordPolicy"), fault: { kind: "reset" } },
    failed: "aws.iam",
    reason: /socket hang up|ECONNRESET|reset/i,
  },
  {
    name: "no answer at all (IAM credential report)",
    target: "aws",
    rule: { match: awsAction("GenerateCredentialReport"), fault: { kind: "hang" } },
    failed: "aws.iam",
    reason: /did not finish within 3 s/,
  },
  {
    name: "malformed XML (IAM password policy)",
    target: "aws",
    rule: { match: awsAction("GetAccountPasswordPolicy"), fault: { kind: "malform", body: "<GetAccountPasswordPolicyResponse><PasswordPolicy><Minimum" } },
    failed: "aws.iam",
    reason: /./,
  },
  {
    name: "malformed JSON (Config rules)",
    target: "aws",
    rule: { match: awsAction("DescribeConfigRules"), fault: { kind: "malform", body: '{"ConfigRules": [{"ConfigRuleName": ' } },
    failed: "aws.config",
    reason: /./,
  },
  {
    name: "a NextToken repeated forever (Config compliance details)",
    target: "aws",
    rule: { match: awsAction("GetComplianceDetailsByConfigRule"), fault: { kind: "repeat-page" } },
    failed: "aws.config",
    reason: /already given.*never end/,
  },
  {
    name: "a nextLink repeated forever (ARM resources)",
    target: "azure",
    rule: {
      match: (r) => r.path.includes(`/subscriptions/${DEMO_SUBSCRIPTION_ID}/resources?`) && r.path.includes("skiptoken"),
      fault: { kind: "repeat-page" },
    },
    failed: "azure.resources",
    reason: /nextLink it had already given/,
  },
  {
    name: "a 5xx burst longer than the retries (GitHub members)",
    target: "github",
    rule: { match: path("/members"), fault: { kind: "status", status: 502, times: 1000 } },
    failed: "github.org",
    reason: /502|did not finish within 3 s/,
  },
  {
    name: "a truncated body (IAM password policy)",
    target: "aws",
    rule: { match: awsAction("GetAccountPasswordPolicy"), fault: { kind: "truncate" } },
    failed: "aws.iam",
    reason: /./,
  },
  {
    name: "a truncated body (GitHub organization)",
    target: "github",
    rule: { match: (r) => /^\/orgs\/[^/?]+$/.test(r.path), fault: { kind: "truncate" } },
    failed: "github.org",
    reason: /GET \/orgs\/\{org\} answered with a body that is not valid JSON/,
  },
  {
    name: "malformed JSON (GitHub deploy keys)",
    target: "github",
    rule: { match: path("/keys"), fault: { kind: "malform", body: '[{"id": 1, "key": ' } },
    failed: "github.org",
    reason: /GET \/repos\/northwind-analytics\/\S+\/keys answered with a body that is not valid JSON/,
  },
  {
    name: "a Link header repeated forever (GitHub repos)",
    target: "github",
    rule: { match: (r) => r.path.includes("/repos?") && r.path.includes("page=2"), fault: { kind: "repeat-page" } },
    failed: "github.org",
    reason: /linked to a page it had already given/,
  },
];

/** Small, so the tests stay fast; the default is 64 MiB. */
const BOUND_MIB = 0.25;
const SIZE_CASES: typeof CASES = [
  {
    name: "an endless JSON array (IAM password policy, AWS SDK)",
    target: "aws",
    rule: { match: awsAction("GetAccountPasswordPolicy"), fault: { kind: "endless" } },
    failed: "aws.iam",
    reason: /\): answer larger than 0\.25 MiB from GetAccountPasswordPolicy: the collector stopped reading it \(the source's maxResponseMiB\)$/,
  },
  {
    name: "an endless JSON array (ARM resource list, Azure pipeline)",
    target: "azure",
    // One subscription's inventory (the demo tenant has two), so one collector fails.
    rule: { match: (r) => r.path.includes(`/subscriptions/${DEMO_SUBSCRIPTION_ID}/resources?`), fault: { kind: "endless" } },
    failed: "azure.resources",
    reason: /\): answer larger than 0\.25 MiB from GET \/subscriptions\/[0-9a-f-]+\/resources: the collector stopped reading it/,
  },
  {
    name: "an endless JSON array (Graph userRegistrationDetails, Azure pipeline)",
    target: "azure",
    rule: { match: path("/userRegistrationDetails"), fault: { kind: "endless" } },
    failed: "azure.entra",
    reason: /\): answer larger than 0\.25 MiB from GET \/v1\.0\/reports\/authenticationMethods\/userRegistrationDetails: /,
  },
  {
    name: "an endless JSON array (GitHub members, Octokit)",
    target: "github",
    rule: { match: path("/members"), fault: { kind: "endless" } },
    failed: "github.org",
    reason: /\): answer larger than 0\.25 MiB from GET \/orgs\/northwind-analytics\/members: /,
  },
  {
    name: "an endless answer to a single read (GitHub branch protection): a failure, never recorded as a refused permission",
    target: "github",
    rule: { match: path("/protection"), fault: { kind: "endless" } },
    failed: "github.org",
    reason: /\): answer larger than 0\.25 MiB from GET \/repos\/northwind-analytics\/[^/]+\/branches\/[^/]+\/protection: /,
  },
  {
    name: "a valid but oversized JSON answer with its Content-Length (GitHub deploy keys): too large, not 'not valid JSON'",
    target: "github",
    rule: { match: path("/keys"), fault: { kind: "oversized", bytes: 3 * 1024 * 1024 } },
    failed: "github.org",
    reason: /\): answer larger than 0\.25 MiB from GET \/repos\/northwind-analytics\/[^/]+\/keys: /,
  },
];

describe("API faults fail only their collector", () => {
  for (const c of SIZE_CASES) {
    it(
      c.name,
      async () => {
        // A timeout generous for a loaded machine: the bound, not the timeout, must end these.
        const result = await runWithFault(c.target, c.rule, 10, BOUND_MIB);
        expect(result.hits).toBeGreaterThan(0);
        expect(result.run?.status).toBe("partial");
        const failed = result.outcomes.filter((o) => o.status === "error");
        expect(failed.map((o) => `${o.collector}: ${o.error}`)).toEqual([expect.stringMatching(c.reason)]);
        expect(failed[0]?.collector).toBe(c.failed);
        // Every other source delivered its evidence (and for AWS and Azure, the faulted source's other collectors too).
        const sameSourceOk = result.outcomes.filter((o) => o.source === SOURCE[c.target] && o.status === "ok").map((o) => o.collector);
        expect(sameSourceOk.length).toBeGreaterThanOrEqual(c.target === "github" ? 0 : 2);
        for (const source of Object.values(SOURCE).filter((s) => s !== SOURCE[c.target])) {
          expect(result.outcomes.filter((o) => o.source === source && o.status === "ok").length, `${source} delivered nothing`).toBeGreaterThan(0);
          expect(
            result.evidence.some((e) => e.source === source),
            `no evidence of ${source}`,
          ).toBe(true);
        }
      },
      40_000,
    );
  }

  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const result = await runWithFault(c.target, c.rule);
        expect(result.hits).toBeGreaterThan(0);
        expect(result.code).toBe(0);
        expect(result.run?.status).toBe("partial");
        const failed = result.outcomes.filter((o) => o.status === "error");
        expect(failed.map((o) => o.collector)).toEqual([c.failed]);
        expect(failed[0]?.error).toMatch(c.reason);
        // Every other source delivered its evidence.
        for (const source of Object.values(SOURCE).filter((s) => s !== SOURCE[c.target])) {
          expect(result.outcomes.filter((o) => o.source === source && o.status === "ok").length, `${source} delivered nothing`).toBeGreaterThan(0);
          expect(
            result.evidence.some((e) => e.source === source),
            `no evidence of ${source}`,
          ).toBe(true);
        }
      },
      30_000,
    );
  }

  it("a short 5xx burst is retried through: the collector succeeds", async () => {
    const result = await runWithFault("github", { match: path("/members"), fault: { kind: "status", status: 503, times: 2 } }, 15);
    expect(result.hits).toBe(2);
    expect(result.run?.status).toBe("completed");
    // After 1 s, then 4 s.
    expect(result.githubWaits).toEqual([1000, 4000]);
  }, 40_000);
});
