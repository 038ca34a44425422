import { describe, expect, it } from "vitest";
import environmentSeparation from "../../../../../controls/checks/aws/organizations/environment-separation.js";
import scpGuardrails from "../../../../../controls/checks/aws/organizations/scp-guardrails.js";
import { ORGANIZATIONS_EVIDENCE, type OrganizationTreeEvidence, type ServiceControlPoliciesEvidence } from "../../../../../src/evidence/aws-organizations.js";
import { ACCOUNT, runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const arn = (id: string) => `arn:aws:organizations::${ACCOUNT}:account/o-abc/${id}`;
const account = (id: string, name: string, parentId: string, status = "ACTIVE") => ({ id, arn: arn(id), name, status, parentId });
const tree = (accounts: NonNullable<OrganizationTreeEvidence["organization"]>["accounts"], scp = true): OrganizationTreeEvidence => ({
  organization: {
    roots: [{ id: "r-1", name: "Root", policyTypes: scp ? [{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }] : [] }],
    organizationalUnits: [
      { id: "ou-workloads", name: "Workloads", parentId: "r-1" },
      { id: "ou-prod", name: "Production", parentId: "ou-workloads" },
      { id: "ou-dev", name: "Development", parentId: "ou-workloads" },
    ],
    accounts,
  },
});
const policies = (list: NonNullable<ServiceControlPoliciesEvidence["organization"]>["policies"]): ServiceControlPoliciesEvidence => ({
  organization: {
    policies: [{ id: "p-FullAWSAccess", name: "FullAWSAccess", awsManaged: true, targets: [{ targetId: "r-1", type: "ROOT", name: "Root" }] }, ...list],
  },
});
const evidence = (t: OrganizationTreeEvidence, p: ServiceControlPoliciesEvidence = policies([])) => [
  stored(ORGANIZATIONS_EVIDENCE.tree, t, undefined, 1),
  stored(ORGANIZATIONS_EVIDENCE.serviceControlPolicies, p, undefined, 2),
];
const ACCOUNTS = [
  account(ACCOUNT, "management", "r-1"),
  account("111111111111", "shop-prod", "ou-prod"),
  account("222222222222", "shop-dev", "ou-dev"),
  account("333333333333", "old-sandbox", "ou-dev", "SUSPENDED"),
];

describe("aws.organizations.scp-guardrails", () => {
  it("compliant: a guardrail SCP on an OU above each member; the management account is not applicable; suspended accounts are left out", () => {
    const guard = {
      id: "p-guard",
      name: "guardrails",
      awsManaged: false,
      targets: [{ targetId: "ou-workloads", type: "ORGANIZATIONAL_UNIT", name: "Workloads" }],
    };
    expect(runCheck(scpGuardrails, evidence(tree(ACCOUNTS), policies([guard])), now).map((f) => [f.status, f.reason])).toEqual([
      ["not_applicable", `Account ${ACCOUNT} (management) is the management account, which service control policies never restrict.`],
      ["pass", "Account 111111111111 (shop-prod) is under the service control policies guardrails (through Workloads)."],
      ["pass", "Account 222222222222 (shop-dev) is under the service control policies guardrails (through Workloads)."],
    ]);
  });

  it("non-compliant: only FullAWSAccess, or SCPs not enabled on the root", () => {
    const direct = { id: "p-deny", name: "deny-regions", awsManaged: false, targets: [{ targetId: "111111111111", type: "ACCOUNT", name: "shop-prod" }] };
    expect(
      runCheck(scpGuardrails, evidence(tree(ACCOUNTS), policies([direct])), now)
        .map((f) => [f.resourceId, f.status, f.reason])
        .slice(1),
    ).toEqual([
      [arn("111111111111"), "pass", "Account 111111111111 (shop-prod) is under the service control policies deny-regions."],
      [arn("222222222222"), "fail", "Account 222222222222 (shop-dev) is under no service control policy besides FullAWSAccess."],
    ]);
    expect(runCheck(scpGuardrails, evidence(tree(ACCOUNTS, false), policies([direct])), now)[1]).toMatchObject({
      status: "fail",
      reason: "Account 111111111111 (shop-prod) is under no service control policy: the SCP policy type is not enabled on the organisation's root.",
    });
  });

  it("not applicable without an organization; an undocumented account status is an error", () => {
    expect(runCheck(scpGuardrails, evidence({ organization: null }, { organization: null }), now)).toEqual([
      {
        resourceId: `aws:test:${ACCOUNT}:organization`,
        status: "not_applicable",
        reason: "Source test has no AWS Organization configured, so there are no service control policies to read.",
      },
    ]);
    expect(runCheck(scpGuardrails, evidence(tree([account("111111111111", "x", "r-1", "active")])), now)[0]?.status).toBe("error");
  });
});

describe("aws.organizations.environment-separation", () => {
  it("compliant: production and development accounts each in an OU for their environment", () => {
    expect(runCheck(environmentSeparation, evidence(tree(ACCOUNTS)), now).map((f) => [f.status, f.reason])).toEqual([
      ["not_applicable", `Account ${ACCOUNT} (management) is the management account, which holds the organisation rather than an environment.`],
      ["pass", "Account 111111111111 (shop-prod) sits in the production organizational unit Production."],
      ["pass", "Account 222222222222 (shop-dev) sits in the non-production organizational unit Development."],
    ]);
  });

  it("non-compliant: a development account in the production OU, and an account under no environment OU", () => {
    const accounts = [account("222222222222", "shop-dev", "ou-prod"), account("444444444444", "analytics", "ou-workloads")];
    expect(runCheck(environmentSeparation, evidence(tree(accounts)), now).map((f) => [f.status, f.reason])).toEqual([
      ["fail", "Account 222222222222 (shop-dev) is named as non-production but sits in the production organizational unit Production."],
      [
        "fail",
        "Account 444444444444 (analytics) sits in no production or non-production organizational unit (it is under Workloads), so the organisation's structure does not separate its environment.",
      ],
    ]);
  });

  it("the patterns are settings: a naming the defaults do not know", () => {
    const t = tree([account("111111111111", "shop", "ou-prod")]);
    const live = { ...t, organization: { ...t.organization!, organizationalUnits: [{ id: "ou-prod", name: "Live", parentId: "r-1" }] } };
    expect(runCheck(environmentSeparation, evidence(live), now)[0]?.status).toBe("fail");
    expect(runCheck(environmentSeparation, evidence(live), now, { productionPattern: "^live$" })[0]?.status).toBe("pass");
  });

  it("not applicable without an organization", () => {
    expect(runCheck(environmentSeparation, evidence({ organization: null }), now)[0]).toMatchObject({ status: "not_applicable" });
  });
});
