import { describe, expect, it } from "vitest";
import usersKnown from "../../../../../controls/checks/aws/identity-center/users-known.js";
import userMfa from "../../../../../controls/checks/aws/identity-center/user-mfa.js";
import {
  IDENTITY_CENTER_EVIDENCE,
  NOT_PRIMARY_REGION,
  type IdentityCenterInstance,
  type IdentityCenterUser,
} from "../../../../../src/evidence/aws-identity-center.js";
import type { Check } from "../../../../../src/domain.js";
import { ACCOUNT, SCOPE, stored, view } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const ARN = "arn:aws:sso:::instance/ssoins-68047a1b2c3d4e5f";
const user = (userName: string, over: Partial<IdentityCenterUser> = {}): IdentityCenterUser => ({
  userId: `id-${userName}`,
  userName,
  displayName: null,
  userStatus: "ENABLED",
  externalIds: [{ issuer: "https://scim.example.com", id: `x-${userName}` }],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});
const instance = (users: IdentityCenterUser[] | null, over: Partial<IdentityCenterInstance> = {}): IdentityCenterInstance => ({
  instanceArn: ARN,
  identityStoreId: "d-9367051a2b",
  ownerAccountId: ACCOUNT,
  name: "northwind",
  status: "ACTIVE",
  primaryRegion: "eu-west-1",
  users,
  notListed: null,
  ...over,
});
const scope = { ...SCOPE, region: "eu-west-1" };
const evidence = (...instances: IdentityCenterInstance[]) => [stored(IDENTITY_CENTER_EVIDENCE.users, { instances }, scope)];
const runCheck = (check: Check, records: ReturnType<typeof evidence>, at: Date) => check.evaluate({ evidence: view(records, scope), now: at, settings: {} });
const userId = (name: string) => `${ARN}/identitystore/d-9367051a2b/user/id-${name}`;

describe("aws.identity-center.users-known", () => {
  it("compliant: every user is provisioned from the identity provider (a disabled one says so)", () => {
    expect(runCheck(usersKnown, evidence(instance([user("alice"), user("sam", { userStatus: "DISABLED" })])), now)).toEqual([
      {
        resourceId: userId("alice"),
        status: "pass",
        reason:
          "User alice is a known identity of Identity Center instance northwind (ssoins-68047a1b2c3d4e5f), provisioned from an external identity provider (https://scim.example.com).",
      },
      {
        resourceId: userId("sam"),
        status: "pass",
        reason:
          "User sam is a known identity of Identity Center instance northwind (ssoins-68047a1b2c3d4e5f), provisioned from an external identity provider (https://scim.example.com). It is disabled.",
      },
    ]);
  });

  it("compliant: an instance whose own directory is the identity source (no user has an external id)", () => {
    const findings = runCheck(usersKnown, evidence(instance([user("bob", { externalIds: [] })])), now);
    expect(findings.map((f) => [f.status, f.reason])).toEqual([
      ["pass", "User bob is a known identity of Identity Center instance northwind (ssoins-68047a1b2c3d4e5f), kept in Identity Center's own directory."],
    ]);
  });

  it("non-compliant: a user created by hand beside users provisioned from the identity provider", () => {
    const findings = runCheck(usersKnown, evidence(instance([user("alice"), user("ravi"), user("tom.contractor", { externalIds: [] })])), now);
    expect(findings.find((f) => f.resourceId === userId("tom.contractor"))).toEqual({
      resourceId: userId("tom.contractor"),
      status: "fail",
      reason:
        "User tom.contractor of Identity Center instance northwind (ssoins-68047a1b2c3d4e5f) was created in Identity Center itself, while 2 of its users are provisioned from an external identity provider: that provider's joiner and leaver process does not reach this user.",
    });
    expect(findings.filter((f) => f.status === "pass")).toHaveLength(2);
  });

  it("not applicable: no instance in the region, or an instance with no users; an instance judged elsewhere gives nothing here", () => {
    expect(runCheck(usersKnown, evidence(), now)).toEqual([
      {
        resourceId: `arn:aws:sso:eu-west-1:${ACCOUNT}:instance`,
        status: "not_applicable",
        reason: `Region eu-west-1 of account ${ACCOUNT} has no IAM Identity Center instance.`,
      },
    ]);
    expect(runCheck(usersKnown, evidence(instance([])), now)[0]?.status).toBe("not_applicable");
    expect(runCheck(usersKnown, evidence(instance(null, { notListed: NOT_PRIMARY_REGION })), now)).toEqual([]);
  });

  it("a status AWS does not document is an error, never a pass", () => {
    const findings = runCheck(usersKnown, evidence(instance([user("alice", { userStatus: "enabled " })])), now);
    expect(findings[0]?.status).toBe("error");
  });
});

describe("aws.identity-center.user-mfa", () => {
  it("a gap, never a pass: the users who can sign in are counted as unreadable, not as with or without MFA", () => {
    const findings = runCheck(userMfa, evidence(instance([user("alice"), user("tom", { externalIds: [] }), user("sam", { userStatus: "DISABLED" })])), now);
    expect(findings).toEqual([
      {
        resourceId: ARN,
        status: "error",
        reason: `The MFA of 2 users of Identity Center instance northwind (ssoins-68047a1b2c3d4e5f) in account ${ACCOUNT} cannot be read: no AWS API returns an Identity Center user's MFA devices or the instance's MFA settings, so they are counted neither with nor without MFA.`,
      },
    ]);
  });

  it("not applicable: no user can sign in; nothing where there is no instance or it is judged elsewhere", () => {
    expect(runCheck(userMfa, evidence(instance([user("sam", { userStatus: "DISABLED" })])), now)).toEqual([
      {
        resourceId: ARN,
        status: "not_applicable",
        reason: `Identity Center instance northwind (ssoins-68047a1b2c3d4e5f) in account ${ACCOUNT} has no user who can sign in.`,
      },
    ]);
    expect(runCheck(userMfa, evidence(), now)).toEqual([]);
    expect(runCheck(userMfa, evidence(instance(null, { notListed: NOT_PRIMARY_REGION })), now)).toEqual([]);
  });

  it("maps to A.8.5 only, and says it never shows MFA in place", () => {
    expect(userMfa.controls.map((c) => c.control)).toEqual(["A.8.5"]);
    expect(userMfa.controls[0]?.rationale).toMatch(/never shows that MFA is in place/);
  });
});
