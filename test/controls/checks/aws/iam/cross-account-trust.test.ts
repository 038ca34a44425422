import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/cross-account-trust.js";
import { AUTHORIZATION_EVIDENCE, type AuthorizationDetailsEvidence } from "../../../../../src/evidence/aws-authorization.js";
import { ACCOUNT, runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const ORG_MEMBER = "210987654321";
const OUTSIDER = "999988887777";
const role = (name: string, statement: Record<string, unknown>) => ({
  name,
  arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  path: "/",
  trustPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }] },
  inlinePolicies: [],
  attachedPolicies: [],
});
const details = (roles: AuthorizationDetailsEvidence["roles"], organizationAccounts: string[] | null = [ACCOUNT, ORG_MEMBER]) => [
  stored(AUTHORIZATION_EVIDENCE, { users: [], groups: [], roles, policies: [], organizationAccounts }),
];

describe("aws.iam.cross-account-trust", () => {
  it("compliant: services, this account, the organisation's accounts, and an outsider bound by an external id", () => {
    const findings = runCheck(
      check,
      details([
        role("ec2", { Principal: { Service: "ec2.amazonaws.com" } }),
        role("org-access", { Principal: { AWS: `arn:aws:iam::${ORG_MEMBER}:root` } }),
        role("vendor", { Principal: { AWS: [`arn:aws:iam::${OUTSIDER}:role/scanner`] }, Condition: { StringEquals: { "sts:ExternalId": "agreed-id" } } }),
      ]),
      now,
    );
    expect(findings.map((f) => [f.status, f.reason])).toEqual([
      ["pass", "Role ec2 cannot be assumed by any AWS account outside the organisation."],
      ["pass", "Role org-access cannot be assumed by any AWS account outside the organisation."],
      ["pass", `Role vendor can be assumed by account ${OUTSIDER} (outside the organisation) only with an sts:ExternalId or aws:PrincipalOrgID condition.`],
    ]);
  });

  it("non-compliant: an outside account or anyone, without an external id", () => {
    const findings = runCheck(check, details([role("audit", { Principal: { AWS: OUTSIDER } }), role("open", { Principal: "*" })]), now);
    expect(findings).toEqual([
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:role/audit`,
        status: "fail",
        reason: `Role audit can be assumed by account ${OUTSIDER} (outside the organisation) without an sts:ExternalId condition.`,
      },
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:role/open`,
        status: "fail",
        reason: "Role open can be assumed by any AWS account (outside the organisation) without an sts:ExternalId condition.",
      },
    ]);
  });

  it("without an organization, another account is outside unless listed in trustedAccounts", () => {
    const roles = [role("org-access", { Principal: { AWS: ORG_MEMBER } })];
    expect(runCheck(check, details(roles, null), now)[0]).toMatchObject({
      status: "fail",
      reason: `Role org-access can be assumed by account ${ORG_MEMBER} (other than this one) without an sts:ExternalId condition.`,
    });
    expect(runCheck(check, details(roles, null), now, { trustedAccounts: [ORG_MEMBER] })[0]?.status).toBe("pass");
  });

  it("a trust policy or Principal that cannot be read is an error; no roles is not applicable", () => {
    const unreadable = { ...role("broken", {}), trustPolicy: "%7Bnot json" };
    const badPrincipal = role("weird", { Principal: { AWS: [1, 2] } });
    expect(runCheck(check, details([unreadable, badPrincipal]), now).map((f) => [f.status, f.reason])).toEqual([
      ["error", "Role broken has a trust policy that cannot be read (the document is not a JSON object), so who may assume it cannot be judged."],
      ["error", "Role weird has a trust policy whose Principal cannot be read, so who may assume it cannot be judged."],
    ]);
    expect(runCheck(check, details([]), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "not_applicable", reason: `Account ${ACCOUNT} has no IAM roles.` },
    ]);
  });
});
