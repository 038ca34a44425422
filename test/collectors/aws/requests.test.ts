/**
 * Requests = the minimum: the exact AWS calls one account costs, counted by the loopback server
 * the real SDK talks to. A region without AWS Config data is one call; a region with it reads
 * the listings only once the recorder's answer says there is something to read.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsConfigCollector } from "../../../collectors/aws/config.js";
import { planAwsSource } from "../../../collectors/aws/source.js";
import { CHECKS } from "../../../controls/registry.js";
import { DEMO_ACCOUNT_ID, demoAwsAccount, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsEstate, type FakeAwsServer } from "../../../demo/servers/aws.js";
import type { CollectContext, CollectorJob } from "../../../src/collect.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import type { Evidence, StoredEvidence } from "../../../src/domain.js";
import { canonicalJson, sha256 } from "../../../src/engine/canonical.js";
import { evaluate } from "../../../src/engine/evaluate.js";
import { CONFIG_EVIDENCE } from "../../../src/evidence/aws-config.js";

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});

// A signal per job, as the runner gives each job its own (one shared by every job trips Node's listener warning).
const fresh = (): CollectContext => ({ signal: new AbortController().signal, now: () => new Date() });

async function collectRegion(estate: FakeAwsEstate, region: string): Promise<Evidence[]> {
  server = await startFakeAws(estate);
  const source = awsSourceSchema.parse({ name: "org", regions: [region], endpoint: server.url });
  return awsConfigCollector.collect({ source, account: DEMO_ACCOUNT_ID, region }, fresh());
}

/** Runs a planned job and every job it plans, each as soon as it is known (as the runner does). */
async function drive(job: CollectorJob): Promise<Evidence[]> {
  if (job.kind === "collect") return job.run(fresh());
  const { evidence, jobs } = await job.discover(fresh());
  const nested = await Promise.all(jobs.map(drive));
  return [...evidence, ...nested.flat()];
}

const actions = () => (server?.requests ?? []).map((r) => r.action);

function judge(evidence: Evidence[]) {
  const stored: StoredEvidence[] = evidence.map((e, i) => ({ ...e, id: i + 1, sha256: sha256(canonicalJson(e.payload)) }));
  return evaluate({ checks: CHECKS, evidence: stored, outcomes: [], settings: new Map(), now: new Date() });
}

describe("AWS requests per account (real SDKs against the loopback server)", () => {
  it("a region without AWS Config data costs one call: DescribeConfigurationRecorderStatus", async () => {
    const evidence = await collectRegion(demoEstate(new Date()), "ap-south-1");
    expect(actions()).toEqual(["DescribeConfigurationRecorderStatus"]);
    // Every kind the Config checks read is still stored, saying why the rules were not listed.
    expect(evidence.map((e) => [e.kind, e.apiCall, e.payload])).toEqual([
      [CONFIG_EVIDENCE.recorderStatus, "DescribeConfigurationRecorderStatus", { recorders: [] }],
      [CONFIG_EVIDENCE.rules, "DescribeConfigurationRecorderStatus", { rules: [], notListed: "no configuration recorder" }],
      [CONFIG_EVIDENCE.conformancePacks, "DescribeConfigurationRecorderStatus", { packs: [], notListed: "no configuration recorder" }],
    ]);
  });

  it("judged, that region fails aws.config.recorder-on and passes nothing", async () => {
    const findings = judge(await collectRegion(demoEstate(new Date()), "ap-south-1"));
    expect(findings.map((f) => [f.checkId, f.status, f.reason])).toEqual([
      ["aws.config.recorder-on", "fail", `AWS Config has no configuration recorder in region ap-south-1 of account ${DEMO_ACCOUNT_ID}.`],
    ]);
  });

  it("a region with AWS Config reads the recorder first, then the three listings side by side, then each rule's and pack's results", async () => {
    await collectRegion(demoEstate(new Date()), "eu-west-1");
    const calls = actions();
    expect(calls[0]).toBe("DescribeConfigurationRecorderStatus");
    expect(calls.slice(1, 4).sort()).toEqual(["DescribeComplianceByConfigRule", "DescribeConfigRules", "DescribeConformancePacks"]);
    // Ten rules (one page each at AWS's 100 a page), one conformance pack.
    expect(calls.slice(4)).toEqual([...Array<string>(10).fill("GetComplianceDetailsByConfigRule"), "DescribeConformancePackCompliance"]);
  });

  it("a region whose recorder is stopped still lists its rules: the checks say they cannot judge them", async () => {
    const evidence = await collectRegion(demoEstate(new Date()), "us-east-1");
    expect(actions().slice(0, 1)).toEqual(["DescribeConfigurationRecorderStatus"]);
    expect(actions()).toContain("GetComplianceDetailsByConfigRule");
    const ssh = judge(evidence).find((f) => f.checkId === "aws.config.firewall-rules");
    expect(ssh).toMatchObject({
      status: "error",
      reason: `AWS Config is not recording in region us-east-1 of account ${DEMO_ACCOUNT_ID}, so its rule results there are not current and cannot be judged.`,
    });
  });

  it("one account, one region without AWS Config: identity, then the credential report, the password policy and the recorder (root MFA is read from the report, not GetAccountSummary)", async () => {
    server = await startFakeAws(demoAwsAccount(new Date()));
    const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: server.url });
    const evidence = await drive(planAwsSource(source, { iam: { pollIntervalMs: 5 } }));
    const calls = actions();
    expect(calls[0]).toBe("GetCallerIdentity");
    // Beside IAM and Config: the authorization details, the account's S3 Block Public Access, and
    // per region Identity Center's instances and Inspector's status (one call each when unused).
    expect(calls.slice(1).sort()).toEqual([
      "BatchGetAccountStatus",
      "DescribeConfigurationRecorderStatus",
      "GenerateCredentialReport",
      "GetAccountAuthorizationDetails",
      "GetAccountPasswordPolicy",
      "GetCredentialReport",
      "GetPublicAccessBlock",
      "ListInstances",
    ]);
    expect(calls.indexOf("GenerateCredentialReport")).toBeLessThan(calls.indexOf("GetCredentialReport"));
    expect(new Set(evidence.map((e) => e.account))).toEqual(new Set([DEMO_ACCOUNT_ID]));
  });
});
