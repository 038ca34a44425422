import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../../app/cli/output.js";
import { runCommand } from "../../../app/cli/run.js";
import { parseConfig } from "../../../app/config.js";
import { openSqliteStore } from "../../../src/store/sqlite.js";
import { DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsEstate, type FakeAwsServer } from "../../../demo/servers/aws.js";
import { tempDir } from "../../helpers.js";

const servers: FakeAwsServer[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => d.cleanup());
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["ISMS_TEST_EXTERNAL_ID"] = "external-id-0123456789";
});
const quiet: Output = { out: () => undefined, err: () => undefined };

async function collectRun(estate: FakeAwsEstate, sourceYaml: (url: string) => string) {
  const dir = tempDir();
  dirs.push(dir);
  const server = await startFakeAws(estate, { pageSize: 1 });
  servers.push(server);
  const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
sources:
  aws:
${sourceYaml(server.url)}
`;
  await runCommand(parseConfig(yaml, join(dir.path, "c.yaml"), process.env), quiet, { plan: { aws: { iam: { pollIntervalMs: 5 } } } });
  const store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
  const run = (await store.listRuns()).at(-1)!;
  const result = {
    run,
    server,
    outcomes: await store.collectorOutcomes(run.id),
    findings: await store.findings(run.id),
    evidence: await store.evidence(run.id),
  };
  await store.close();
  return result;
}

describe("AWS discovery: organisations, assumed roles, regions", () => {
  it("lists the organisation's ACTIVE accounts across pages, assumes the role in members, and collects every region enabled", async () => {
    const { run, server, outcomes, evidence } = await collectRun(
      demoEstate(new Date()),
      (url) => `    - name: org
      regions: all
      endpoint: "${url}"
      organization: { roleName: IsmsAgentReadOnly, externalId: "\${ISMS_TEST_EXTERNAL_ID}" }`,
    );
    expect(run.status).toBe("completed");
    expect(outcomes.map((o) => `${o.collector} ${o.account} ${o.region} ${o.status}`).sort()).toEqual([
      `aws.config ${DEMO_ACCOUNT_ID} eu-west-1 ok`,
      `aws.config ${DEMO_ACCOUNT_ID} us-east-1 ok`,
      `aws.config ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1 ok`,
      `aws.config ${DEMO_MEMBER_ACCOUNT_ID} us-east-1 ok`,
      `aws.discovery ${DEMO_ACCOUNT_ID} global ok`,
      // The member is planned by a discovery of its own, so its jobs start when its role is assumed.
      `aws.discovery ${DEMO_MEMBER_ACCOUNT_ID} global ok`,
      `aws.iam ${DEMO_ACCOUNT_ID} global ok`,
      `aws.iam ${DEMO_MEMBER_ACCOUNT_ID} global ok`,
      `aws.iam-authorization ${DEMO_ACCOUNT_ID} global ok`,
      `aws.iam-authorization ${DEMO_MEMBER_ACCOUNT_ID} global ok`,
      `aws.identity-center ${DEMO_ACCOUNT_ID} eu-west-1 ok`,
      `aws.identity-center ${DEMO_ACCOUNT_ID} us-east-1 ok`,
      `aws.identity-center ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1 ok`,
      `aws.identity-center ${DEMO_MEMBER_ACCOUNT_ID} us-east-1 ok`,
      `aws.inspector ${DEMO_ACCOUNT_ID} eu-west-1 ok`,
      `aws.inspector ${DEMO_ACCOUNT_ID} us-east-1 ok`,
      `aws.inspector ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1 ok`,
      `aws.inspector ${DEMO_MEMBER_ACCOUNT_ID} us-east-1 ok`,
      // Organizations' tree and SCPs: once, from the management account.
      `aws.organizations ${DEMO_ACCOUNT_ID} global ok`,
      `aws.s3-account ${DEMO_ACCOUNT_ID} global ok`,
      `aws.s3-account ${DEMO_MEMBER_ACCOUNT_ID} global ok`,
    ]);
    // Three accounts listed at one a page; the suspended one is not assumed into.
    expect(server.requests.filter((r) => r.action === "ListAccounts")).toHaveLength(3);
    expect(server.requests.filter((r) => r.action === "AssumeRole")).toHaveLength(1);
    // The member's API calls were made with the member's assumed credentials.
    expect(
      server.requests
        .filter((r) => r.action === "GenerateCredentialReport")
        .map((r) => r.account)
        .sort(),
    ).toEqual([DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID]);
    expect(server.requests.filter((r) => r.action === "DescribeConfigRules" && r.account === DEMO_MEMBER_ACCOUNT_ID).map((r) => r.region)).toContain(
      "eu-west-1",
    );
    expect(evidence.find((e) => e.kind === "aws.organizations.accounts")?.payload).toMatchObject({
      accounts: expect.arrayContaining([{ id: "456789012345", name: "northwind-closed-sandbox", status: "SUSPENDED" }]),
    });
    // Every evidence row carries account and region; the external id is nowhere in it.
    expect(evidence.every((e) => /^\d{12}$/.test(e.account) && e.region.length > 0)).toBe(true);
    expect(JSON.stringify(evidence)).not.toContain("external-id-0123456789");
  });

  it("an account whose role cannot be assumed is recorded as failed collectors for that account, and the rest lands", async () => {
    const estate = { ...demoEstate(new Date()), denyAssumeRole: [DEMO_MEMBER_ACCOUNT_ID] };
    const { run, outcomes, findings } = await collectRun(
      estate,
      (url) => `    - name: org
      regions: [eu-west-1]
      endpoint: "${url}"
      accounts:
        - { id: "${DEMO_ACCOUNT_ID}" }
        - { id: "${DEMO_MEMBER_ACCOUNT_ID}", roleArn: "arn:aws:iam::${DEMO_MEMBER_ACCOUNT_ID}:role/IsmsAgentReadOnly" }`,
    );
    expect(run.status).toBe("partial");
    const failed = outcomes.filter((o) => o.status === "error");
    expect(failed.map((o) => `${o.collector} ${o.account} ${o.region}`).sort()).toEqual([
      `aws.config ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1`,
      `aws.iam ${DEMO_MEMBER_ACCOUNT_ID} global`,
      `aws.iam-authorization ${DEMO_MEMBER_ACCOUNT_ID} global`,
      `aws.identity-center ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1`,
      `aws.inspector ${DEMO_MEMBER_ACCOUNT_ID} eu-west-1`,
      `aws.s3-account ${DEMO_MEMBER_ACCOUNT_ID} global`,
    ]);
    expect(failed[0]?.error).toMatch(/cannot assume arn:aws:iam::345678901234:role\/IsmsAgentReadOnly: access denied to AssumeRole/);
    const member = findings.filter((f) => f.account === DEMO_MEMBER_ACCOUNT_ID);
    expect(member.length).toBeGreaterThan(0);
    expect(member.every((f) => f.status === "error")).toBe(true);
    expect(findings.filter((f) => f.account === DEMO_ACCOUNT_ID && f.status === "pass").length).toBeGreaterThan(0);
  });

  it("discovery that cannot even identify the caller fails the whole source, with every check error", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const server = await startFakeAws(demoEstate(new Date()), { deny: "GetCallerIdentity" });
    servers.push(server);
    const yaml = `organization: X\ndatabase: ${join(dir.path, "e.db")}\noutput: ${join(dir.path, "out")}\nsources:\n  aws:\n    - { name: org, regions: [eu-west-1], endpoint: "${server.url}" }\n`;
    expect(await runCommand(parseConfig(yaml, join(dir.path, "c.yaml"), process.env), quiet)).toBe(1);
  });
});
