import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsIdentityCenterCollector } from "../../../collectors/aws/identity-center.js";
import { awsInspectorCollector } from "../../../collectors/aws/inspector.js";
import { planAwsSource } from "../../../collectors/aws/source.js";
import { DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type AwsFaults, type FakeAwsAccount, type FakeAwsServer } from "../../../demo/servers/aws.js";
import type { CollectJob, CollectorJob } from "../../../src/collect.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import { CollectorError } from "../../../src/errors.js";
import { IDENTITY_CENTER_EVIDENCE, NOT_OWNED, identityCenterEvidenceSchema } from "../../../src/evidence/aws-identity-center.js";
import { INSPECTOR_EVIDENCE, INSPECTOR_NOT_ENABLED, accountStatusEvidenceSchema, findingsEvidenceSchema } from "../../../src/evidence/aws-inspector.js";

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
});

const context = { signal: new AbortController().signal, now: () => new Date() };

async function start(faults: AwsFaults = {}, change?: (management: FakeAwsAccount) => void) {
  const estate = demoEstate(new Date());
  const management = estate.accounts[0];
  if (management && change) change(management);
  server = await startFakeAws(estate, faults);
  return { server, source: awsSourceSchema.parse({ name: "org", regions: ["eu-west-1"], endpoint: server.url }) };
}

describe("aws.identity-center collector (real @aws-sdk/client-sso-admin and client-identitystore, JSON 1.1)", () => {
  it("lists the instance and its users, paging ListUsers; keeps who they are and where they come from, not their e-mail", async () => {
    const { source, server } = await start({ pageSize: 3 });
    const evidence = await awsIdentityCenterCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "eu-west-1" }, context);
    expect(evidence.map((e) => [e.kind, e.account, e.region])).toEqual([[IDENTITY_CENTER_EVIDENCE.users, DEMO_ACCOUNT_ID, "eu-west-1"]]);
    const { instances } = identityCenterEvidenceSchema.parse(evidence[0]?.payload);
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      instanceArn: "arn:aws:sso:::instance/ssoins-68047a1b2c3d4e5f",
      identityStoreId: "d-9367051a2b",
      ownerAccountId: DEMO_ACCOUNT_ID,
      primaryRegion: "eu-west-1",
      notListed: null,
    });
    expect(instances[0]?.users?.map((u) => [u.userName, u.userStatus, u.externalIds.length])).toEqual([
      ["alice.admin@northwind.example", "ENABLED", 1],
      ["ravi.data@northwind.example", "ENABLED", 1],
      ["sam.former@northwind.example", "DISABLED", 1],
      ["tom.contractor", "ENABLED", 0],
    ]);
    expect(JSON.stringify(evidence[0]?.payload)).not.toContain("@example.com");
    // Four users, three a page: two ListUsers; one ListInstances.
    expect(server.requests.map((r) => r.action)).toEqual(["ListInstances", "ListUsers", "ListUsers"]);
  });

  it("a region without an instance costs one ListInstances; an instance another account owns is recorded, its users not listed", async () => {
    const { source, server } = await start({}, (management) => {
      management.identityCenter = {
        "eu-west-1": [{ instanceId: "ssoins-0000aaaabbbbcccc", identityStoreId: "d-0000aaaa", ownerAccountId: DEMO_MEMBER_ACCOUNT_ID, users: [] }],
      };
    });
    const none = await awsIdentityCenterCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "us-east-1" }, context);
    expect(none[0]?.payload).toEqual({ instances: [] });
    const other = await awsIdentityCenterCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "eu-west-1" }, context);
    expect(identityCenterEvidenceSchema.parse(other[0]?.payload).instances[0]).toMatchObject({ users: null, notListed: NOT_OWNED });
    expect(server.requests.map((r) => `${r.action} ${r.region}`)).toEqual(["ListInstances us-east-1", "ListInstances eu-west-1"]);
  });

  it("access denied to ListUsers is a CollectorError naming identitystore:ListUsers", async () => {
    const { source } = await start({ deny: "ListUsers" });
    const error = await awsIdentityCenterCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "eu-west-1" }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(/region eu-west-1, ListUsers\): access denied to identitystore:ListUsers/);
  });
});

describe("aws.inspector collector (real @aws-sdk/client-inspector2, REST-JSON)", () => {
  it("reads the account's status, and its ACTIVE CRITICAL/HIGH findings filtered by AWS, paging ListFindings", async () => {
    const { source, server } = await start({ pageSize: 1 });
    const evidence = await awsInspectorCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "eu-west-1" }, context);
    expect(evidence.map((e) => e.kind)).toEqual([INSPECTOR_EVIDENCE.accountStatus, INSPECTOR_EVIDENCE.findings]);
    const status = accountStatusEvidenceSchema.parse(evidence[0]?.payload);
    expect(status.accounts[0]).toMatchObject({ accountId: DEMO_ACCOUNT_ID, state: { status: "ENABLED" } });
    expect(status.accounts[0]?.resourceState.ecr?.status).toBe("ENABLED");
    const findings = findingsEvidenceSchema.parse(evidence[1]?.payload);
    expect(findings.filter).toEqual({ awsAccountId: DEMO_ACCOUNT_ID, findingStatus: ["ACTIVE"], severity: ["CRITICAL", "HIGH"] });
    // The MEDIUM finding is left out by AWS's filter, not by the collector.
    expect(findings.findings.map((f) => [f.vulnerabilityId, f.severity, f.resources[0]?.type])).toEqual([
      ["CVE-2024-6387", "CRITICAL", "AWS_EC2_INSTANCE"],
      ["CVE-2025-0001", "HIGH", "AWS_ECR_CONTAINER_IMAGE"],
    ]);
    expect(findings.findings[0]?.firstObservedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(server.requests.map((r) => r.action)).toEqual(["BatchGetAccountStatus", "ListFindings", "ListFindings"]);
  });

  it("where Inspector is off: one call, and findings stored as not listed", async () => {
    const { source, server } = await start();
    const evidence = await awsInspectorCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "us-east-1" }, context);
    expect(findingsEvidenceSchema.parse(evidence[1]?.payload)).toMatchObject({ findings: [], notListed: INSPECTOR_NOT_ENABLED });
    expect(server.requests.map((r) => r.action)).toEqual(["BatchGetAccountStatus"]);
  });

  it("access denied is a CollectorError naming the inspector2 permission", async () => {
    const { source } = await start({ deny: "ListFindings" });
    const error = await awsInspectorCollector.collect({ source, account: DEMO_ACCOUNT_ID, region: "eu-west-1" }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(/ListFindings\): access denied to inspector2:ListFindings/);
  });
});

describe("planning", () => {
  it("plans one Identity Center and one Inspector job per account and region, each producing its evidence", async () => {
    const { source } = await start();
    const plan = planAwsSource({ ...source, regions: ["eu-west-1", "us-east-1"] });
    const { jobs } = await (plan.kind === "discover" ? plan.discover(context) : Promise.reject(new Error("not a discovery")));
    const ours = jobs.filter((j): j is CollectJob => j.kind === "collect" && ["aws.identity-center", "aws.inspector"].includes(j.collector));
    expect(ours.map((j: CollectorJob) => `${j.collector} ${j.scope.region}`).sort()).toEqual([
      "aws.identity-center eu-west-1",
      "aws.identity-center us-east-1",
      "aws.inspector eu-west-1",
      "aws.inspector us-east-1",
    ]);
    expect(plan.produces).toEqual(expect.arrayContaining([IDENTITY_CENTER_EVIDENCE.users, INSPECTOR_EVIDENCE.accountStatus, INSPECTOR_EVIDENCE.findings]));
  });
});
