/**
 * The AWS direct reads (IAM authorization details, S3 account Block Public Access, Organizations
 * tree and SCPs): the real SDK clients against the loopback server, which speaks each protocol
 * (Query XML, REST-XML, JSON 1.1).
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsAuthorizationCollector } from "../../../collectors/aws/authorization.js";
import { awsOrganizationsCollector } from "../../../collectors/aws/organizations.js";
import { awsS3AccountCollector } from "../../../collectors/aws/s3-account.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import { CollectorError } from "../../../src/errors.js";
import { AUTHORIZATION_EVIDENCE, authorizationDetailsEvidenceSchema } from "../../../src/evidence/aws-authorization.js";
import { ORGANIZATIONS_EVIDENCE, organizationTreeEvidenceSchema, serviceControlPoliciesEvidenceSchema } from "../../../src/evidence/aws-organizations.js";
import { S3_ACCOUNT_EVIDENCE } from "../../../src/evidence/aws-s3.js";
import { DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type AwsFaults, type FakeAwsEstate, type FakeAwsServer } from "../../../demo/servers/aws.js";

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

const context = { signal: new AbortController().signal, now: () => new Date("2026-11-01T00:00:00Z") };

async function start(estate: FakeAwsEstate = demoEstate(new Date()), faults: AwsFaults = {}, organization = true) {
  server = await startFakeAws(estate, faults);
  return awsSourceSchema.parse({
    name: "prod",
    regions: ["eu-west-1"],
    endpoint: server.url,
    ...(organization ? { organization: { roleName: "IsmsAgentReadOnly" } } : {}),
  });
}

describe("aws.iam-authorization collector (GetAccountAuthorizationDetails over Query XML)", () => {
  it("reads users, groups, roles and customer managed policies with their documents URL-decoded, across pages", async () => {
    const source = await start(demoEstate(new Date()), { pageSize: 2 });
    const [evidence] = await awsAuthorizationCollector.collect(
      { source, account: DEMO_ACCOUNT_ID, organizationAccounts: [DEMO_ACCOUNT_ID, "345678901234"] },
      context,
    );
    expect(evidence?.kind).toBe(AUTHORIZATION_EVIDENCE);
    const details = authorizationDetailsEvidenceSchema.parse(evidence?.payload);
    expect(details.organizationAccounts).toEqual([DEMO_ACCOUNT_ID, "345678901234"]);
    const calls = server?.requests.filter((r) => r.action === "GetAccountAuthorizationDetails") ?? [];
    const entities = details.users.length + details.groups.length + details.roles.length + details.policies.length;
    expect(entities).toBeGreaterThan(4);
    // Two entities a page here (the server's page size): every page read, none twice.
    expect(calls).toHaveLength(Math.ceil(entities / 2));
    const role = details.roles.find((r) => r.name === "vendor-audit");
    expect(role?.trustPolicy).toMatchObject({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole" }] });
    expect(details.policies[0]?.versions[0]).toMatchObject({ versionId: "v1", isDefault: true });
    expect(typeof details.policies[0]?.versions[0]?.document).toBe("object");
  });

  it("a refused call is a CollectorError naming iam:GetAccountAuthorizationDetails", async () => {
    const source = await start(demoEstate(new Date()), { deny: "GetAccountAuthorizationDetails" });
    const failure = await awsAuthorizationCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CollectorError);
    expect((failure as Error).message).toContain("access denied to iam:GetAccountAuthorizationDetails");
  });
});

describe("aws.s3-account collector (S3 Control GetPublicAccessBlock over REST-XML)", () => {
  it("reads the four settings of the account, the account id in the header and no host prefix on the override endpoint", async () => {
    const source = await start();
    const [evidence] = await awsS3AccountCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context);
    expect(evidence).toMatchObject({ kind: S3_ACCOUNT_EVIDENCE, account: DEMO_ACCOUNT_ID, region: "global" });
    expect(evidence?.payload).toEqual({
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false },
    });
    expect(server?.requests.map((r) => `${r.action}:${r.status}`)).toEqual(["GetPublicAccessBlock:200"]);
  });

  it("NoSuchPublicAccessBlockConfiguration (404) is recorded as no setting, not a failure", async () => {
    const estate = demoEstate(new Date());
    delete estate.accounts[0]?.accountPublicAccessBlock;
    const source = await start(estate);
    const [evidence] = await awsS3AccountCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context);
    expect(evidence?.payload).toEqual({ publicAccessBlock: null });
    expect(server?.requests.map((r) => `${r.action}:${r.status}`)).toEqual(["GetPublicAccessBlock:404"]);
  });

  it("a refused call is a CollectorError naming s3:GetAccountPublicAccessBlock", async () => {
    const source = await start(demoEstate(new Date()), { deny: "GetPublicAccessBlock" });
    const failure = await awsS3AccountCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CollectorError);
    expect((failure as Error).message).toContain("access denied to s3:GetAccountPublicAccessBlock");
  });
});

describe("aws.organizations collector (Organizations over JSON 1.1, management account)", () => {
  it("walks the tree from the root and reads every SCP's targets: 1 + 2 per container + 1 + 1 per policy calls", async () => {
    const source = await start(demoEstate(new Date()), { pageSize: 1 });
    const evidence = await awsOrganizationsCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context);
    expect(evidence.map((e) => e.kind)).toEqual([ORGANIZATIONS_EVIDENCE.tree, ORGANIZATIONS_EVIDENCE.serviceControlPolicies]);
    const tree = organizationTreeEvidenceSchema.parse(evidence[0]?.payload).organization;
    const scps = serviceControlPoliciesEvidenceSchema.parse(evidence[1]?.payload).organization;
    expect(tree?.roots.map((r) => r.policyTypes)).toEqual([[{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }]]);
    const member = tree?.accounts.find((a) => a.id === DEMO_MEMBER_ACCOUNT_ID);
    expect(tree?.organizationalUnits.find((ou) => ou.id === member?.parentId)?.name).toBeTruthy();
    // No email address is stored.
    expect(JSON.stringify(evidence)).not.toContain("@example.com");
    expect(scps?.policies.map((p) => p.id)).toContain("p-FullAWSAccess");
    expect(scps?.policies.find((p) => p.id === "p-FullAWSAccess")?.targets.map((t) => t.type)).toEqual(["ROOT"]);
    const containers = 1 + (tree?.organizationalUnits.length ?? 0);
    const actions = server?.requests.map((r) => r.action) ?? [];
    expect(actions.filter((a) => a === "ListRoots")).toHaveLength(1);
    // One item a page: paging followed for every list.
    expect(actions.filter((a) => a === "ListOrganizationalUnitsForParent").length).toBeGreaterThanOrEqual(containers);
    expect(actions.filter((a) => a === "ListTargetsForPolicy").length).toBeGreaterThanOrEqual(scps?.policies.length ?? 0);
    expect(actions.filter((a) => a === "ListParents")).toEqual([]);
  });

  it("without pages, the calls are exactly 1 + 2 × containers + 1 + policies", async () => {
    const source = await start();
    const evidence = await awsOrganizationsCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context);
    const tree = organizationTreeEvidenceSchema.parse(evidence[0]?.payload).organization;
    const scps = serviceControlPoliciesEvidenceSchema.parse(evidence[1]?.payload).organization;
    const containers = 1 + (tree?.organizationalUnits.length ?? 0);
    expect(server?.requests).toHaveLength(1 + 2 * containers + 1 + (scps?.policies.length ?? 0));
  });

  it("a source without an organization makes no call and records that there is none", async () => {
    const source = await start(demoEstate(new Date()), {}, false);
    const evidence = await awsOrganizationsCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context);
    expect(evidence.map((e) => e.payload)).toEqual([{ organization: null }, { organization: null }]);
    expect(server?.requests).toEqual([]);
  });

  it("a refused call is a CollectorError naming the Organizations permission", async () => {
    const source = await start(demoEstate(new Date()), { deny: "ListPolicies" });
    const failure = await awsOrganizationsCollector.collect({ source, account: DEMO_ACCOUNT_ID }, context).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CollectorError);
    expect((failure as Error).message).toContain("access denied to organizations:ListPolicies");
  });
});
