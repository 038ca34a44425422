/**
 * azure.entra.mfa-enforced, legacy-auth-blocked and compliant-device-required: per user, from
 * Conditional Access policies and security defaults in Graph v1.0's shapes (Microsoft Learn's
 * conditionalAccessPolicy examples).
 */
import { describe, expect, it } from "vitest";
import compliantDevice from "../../../../../controls/checks/azure/entra/compliant-device-required.js";
import legacyAuth from "../../../../../controls/checks/azure/entra/legacy-auth-blocked.js";
import mfaEnforced from "../../../../../controls/checks/azure/entra/mfa-enforced.js";
import type { Check } from "../../../../../src/domain.js";
import { ENTRA_EVIDENCE } from "../../../../../src/evidence/azure-graph.js";
import { stored, view } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const tenant = { source: "corp", sourceType: "azure" as const, account: "7f3c1e2a-4b5d-4c6e-8f90-1a2b3c4d5e6f", region: "global" };
const user = (id: string, upn: string, extra: Record<string, unknown> = {}) => ({
  id,
  userPrincipalName: upn,
  displayName: upn,
  userType: "Member",
  accountEnabled: true,
  createdDateTime: "2025-01-01T00:00:00Z",
  signInActivity: { lastSignInDateTime: "2026-10-30T08:00:00Z", lastNonInteractiveSignInDateTime: null },
  ...extra,
});
const USERS = [
  user("u1", "alice@x.example"),
  user("u2", "bob@x.example"),
  user("u3", "guest_y.example#EXT#@x.example", { userType: "Guest" }),
  user("u4", "old@x.example", { accountEnabled: false }),
  user("bg", "breakglass@x.example"),
];
type Users = Record<string, unknown>;
const policy = (displayName: string, users: Users, clientAppTypes: string[], builtInControls: string[], extra: Record<string, unknown> = {}) => ({
  id: displayName,
  displayName,
  state: "enabled",
  createdDateTime: "2025-02-11T10:02:13Z",
  conditions: {
    users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], ...users },
    applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
    clientAppTypes,
    platforms: null,
    locations: null,
    userRiskLevels: [],
    signInRiskLevels: [],
  },
  grantControls: { operator: "OR", builtInControls, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
  ...extra,
});
const run = (check: Check, policies: unknown, settings: unknown = {}, securityDefaults = false, users: unknown[] = USERS) =>
  check
    .evaluate({
      evidence: view(
        [
          stored(ENTRA_EVIDENCE.conditionalAccess, { securityDefaults: { isEnabled: securityDefaults }, policies }, tenant),
          stored(ENTRA_EVIDENCE.users, { users }, tenant, 2),
        ],
        tenant,
      ),
      now,
      settings,
    })
    .map((f) => [f.resourceId, f.status, f.reason]);

describe("azure.entra.mfa-enforced", () => {
  it("compliant: security defaults on make every enabled user need MFA; a disabled account is not judged", () => {
    expect(run(mfaEnforced, [], {}, true).slice(0, 4)).toEqual([
      ["u1", "pass", "User alice@x.example must use MFA: the tenant's security defaults are on."],
      ["u2", "pass", "User bob@x.example must use MFA: the tenant's security defaults are on."],
      ["u3", "pass", "Guest guest_y.example#EXT#@x.example must use MFA: the tenant's security defaults are on."],
      ["u4", "not_applicable", "User old@x.example is disabled and cannot sign in."],
    ]);
  });

  it("compliant: an enabled All users / All cloud apps policy requiring MFA, excluding only the break-glass account named in settings", () => {
    const findings = run(mfaEnforced, [policy("Require MFA", { excludeUsers: ["bg"] }, ["all"], ["mfa"])], { breakGlassAccounts: ["bg"] });
    expect(findings[0]).toEqual([
      "u1",
      "pass",
      'User alice@x.example must use MFA to sign in to all cloud apps: Conditional Access policy "Require MFA" requires it.',
    ]);
    expect(findings.at(-1)).toEqual([
      "bg",
      "not_applicable",
      "User breakglass@x.example is a break-glass account (breakGlassAccounts), which MFA policies may exclude by design.",
    ]);
  });

  it("compliant: an authentication strength in an AND grant counts as MFA", () => {
    const strength = policy("Phishing-resistant MFA", {}, ["all"], ["compliantDevice"], {});
    strength.grantControls = { ...strength.grantControls, operator: "AND", authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } } as never;
    expect(run(mfaEnforced, [strength])[0]?.[1]).toBe("pass");
  });

  it("non-compliant: no security defaults and no policy", () => {
    expect(run(mfaEnforced, [])[0]).toEqual([
      "u1",
      "fail",
      "User alice@x.example is not shown to need MFA to sign in: security defaults are off and no enabled Conditional Access policy requires MFA for this user on all cloud apps.",
    ]);
  });

  it("non-compliant: a user excluded by name, a report-only policy, MFA OR a compliant device, an excluded group, a location condition each leave a gap, named", () => {
    const excluded = run(mfaEnforced, [policy("Require MFA", { excludeUsers: ["u2", "bg"] }, ["all"], ["mfa"])]);
    expect(excluded[1]).toEqual([
      "u2",
      "fail",
      'User bob@x.example is not shown to need MFA to sign in: security defaults are off and no enabled Conditional Access policy requires MFA for this user on all cloud apps ("Require MFA" excludes this user).',
    ]);
    // The break-glass account is only accepted when the settings name it.
    expect(excluded.at(-1)?.[1]).toBe("fail");
    const reportOnly = { ...policy("Pilot MFA", {}, ["all"], ["mfa"]), state: "enabledForReportingButNotEnforced" };
    expect(run(mfaEnforced, [reportOnly])[0]?.[2]).toContain('("Pilot MFA" is report-only)');
    // OR with a compliant device: a managed device alone lets the user in without MFA.
    expect(run(mfaEnforced, [policy("MFA or device", {}, ["all"], ["mfa", "compliantDevice"])])[0]?.[1]).toBe("fail");
    expect(run(mfaEnforced, [policy("MFA", { excludeGroups: ["g-contractors"] }, ["all"], ["mfa"])])[0]?.[2]).toContain(
      '("MFA" excludes groups or roles (g-contractors) whose members are not read)',
    );
    const offsite = policy("MFA off-site", {}, ["all"], ["mfa"]);
    offsite.conditions = { ...offsite.conditions, locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } as never;
    expect(run(mfaEnforced, [offsite])[0]?.[2]).toContain('("MFA off-site" applies only from some locations)');
    expect(
      run(mfaEnforced, [policy("Admins MFA", { includeUsers: [], includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] }, ["all"], ["mfa"])])[0]?.[2],
    ).toContain("does not include this user (it targets groups or roles, whose members are not read)");
  });

  it("without P1 (Conditional Access unlicensed): security defaults still pass; with them off, each user is an error naming the licence", () => {
    const unlicensed = {
      unlicensed: "Microsoft Graph refused GET /identity/conditionalAccess/policies (HTTP 403): this API needs a Microsoft Entra ID P1 licence",
    };
    expect(run(mfaEnforced, unlicensed, {}, true)[0]?.[1]).toBe("pass");
    expect(run(mfaEnforced, unlicensed)[0]).toEqual([
      "u1",
      "error",
      "Whether User alice@x.example must use MFA cannot be told: security defaults are off and Conditional Access could not be read (Microsoft Graph refused GET /identity/conditionalAccess/policies (HTTP 403): this API needs a Microsoft Entra ID P1 licence).",
    ]);
    expect(run(legacyAuth, unlicensed, {}, true)[0]?.[1]).toBe("pass");
    expect(run(legacyAuth, unlicensed)[0]?.[1]).toBe("error");
    expect(run(compliantDevice, unlicensed, {}, true)[0]?.[2]).toMatch(
      /^Whether User alice@x.example needs a managed device cannot be told: .*P1 licence\)\.$/,
    );
  });

  it("a policy in an undocumented state or with an undocumented grant control cannot be judged (the check throws: error)", () => {
    expect(() => run(mfaEnforced, [{ ...policy("X", {}, ["all"], ["mfa"]), state: "ENABLED" }])).toThrow(/undocumented state "ENABLED"/);
    expect(() => run(mfaEnforced, [policy("X", {}, ["all"], ["MFA"])])).toThrow(/undocumented grant control "MFA"/);
    expect(() => run(mfaEnforced, [], {}, false, [user("u9", "z@x.example", { userType: "member" })])).toThrow(/undocumented userType "member"/);
  });
});

describe("azure.entra.legacy-auth-blocked", () => {
  const block = (users: Users = {}, clientAppTypes = ["exchangeActiveSync", "other"]) =>
    policy("Block legacy authentication", users, clientAppTypes, ["block"]);

  it("compliant: a block policy on Exchange ActiveSync and other clients for all users; or security defaults", () => {
    expect(run(legacyAuth, [block()])[0]).toEqual([
      "u1",
      "pass",
      'User alice@x.example cannot use legacy authentication: Conditional Access policy "Block legacy authentication" blocks Exchange ActiveSync and other clients.',
    ]);
    expect(run(legacyAuth, [], {}, true)[0]?.[2]).toBe("User alice@x.example cannot use legacy authentication: the tenant's security defaults block it.");
  });

  it("non-compliant: a user excluded, or only one of the two legacy client types blocked", () => {
    expect(run(legacyAuth, [block({ excludeUsers: ["u1"] })])[0]).toEqual([
      "u1",
      "fail",
      'User alice@x.example may still sign in with legacy authentication: security defaults are off and no enabled Conditional Access policy blocks Exchange ActiveSync and other clients for this user ("Block legacy authentication" excludes this user).',
    ]);
    expect(run(legacyAuth, [block({}, ["exchangeActiveSync"])])[0]?.[1]).toBe("fail");
    // An MFA policy does not block legacy clients (they cannot do MFA, but the policy is not a block).
    expect(run(legacyAuth, [policy("MFA", {}, ["all"], ["mfa"])])[0]?.[1]).toBe("fail");
  });
});

describe("azure.entra.compliant-device-required", () => {
  it("compliant: all users and apps need a compliant or hybrid-joined device; a trusted-location exclusion still covers remote sign-ins", () => {
    const devices = policy("Managed devices", {}, ["all"], ["compliantDevice", "domainJoinedDevice"]);
    devices.conditions = { ...devices.conditions, locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } as never;
    expect(run(compliantDevice, [devices])[0]).toEqual([
      "u1",
      "pass",
      'User alice@x.example can reach cloud apps only from a compliant or hybrid-joined device: Conditional Access policy "Managed devices" requires it.',
    ]);
  });

  it("non-compliant: security defaults do not require devices; a policy for named users leaves the others out; MFA OR device lets unmanaged devices in", () => {
    expect(run(compliantDevice, [], {}, true)[0]).toEqual([
      "u1",
      "fail",
      "User alice@x.example can sign in from an unmanaged device: no enabled Conditional Access policy requires a compliant or hybrid-joined device for this user on all cloud apps.",
    ]);
    const admins = run(compliantDevice, [policy("Admins", { includeUsers: ["u1"] }, ["all"], ["compliantDevice"])]);
    expect(admins.slice(0, 2).map((f) => f[1])).toEqual(["pass", "fail"]);
    expect(admins[1]?.[2]).toContain('("Admins" does not include this user (it targets named users))');
    expect(run(compliantDevice, [policy("Either", {}, ["all"], ["mfa", "compliantDevice"])])[0]?.[1]).toBe("fail");
  });
});
