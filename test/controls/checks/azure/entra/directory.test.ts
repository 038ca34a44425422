/**
 * azure.entra.stale-users, guest-access-restricted, app-credential-expiry and -lifetime,
 * device-compliant and device-encrypted, on Graph v1.0 payload shapes (Microsoft Learn's examples
 * for user signInActivity, authorizationPolicy, application credentials and managedDevice).
 */
import { describe, expect, it } from "vitest";
import credentialExpiry from "../../../../../controls/checks/azure/entra/app-credential-expiry.js";
import credentialLifetime from "../../../../../controls/checks/azure/entra/app-credential-lifetime.js";
import deviceCompliant from "../../../../../controls/checks/azure/entra/device-compliant.js";
import deviceEncrypted from "../../../../../controls/checks/azure/entra/device-encrypted.js";
import guestAccess from "../../../../../controls/checks/azure/entra/guest-access-restricted.js";
import staleUsers from "../../../../../controls/checks/azure/entra/stale-users.js";
import type { Check } from "../../../../../src/domain.js";
import { ENTRA_EVIDENCE } from "../../../../../src/evidence/azure-graph.js";
import { stored, view } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const tenant = { source: "corp", sourceType: "azure" as const, account: "t1", region: "global" };
const run = (check: Check, kind: string, payload: unknown, settings: unknown = {}) =>
  check.evaluate({ evidence: view([stored(kind, payload, tenant)], tenant), now, settings }).map((f) => [f.resourceId, f.status, f.reason]);

describe("azure.entra.stale-users", () => {
  const user = (id: string, extra: Record<string, unknown>) => ({
    id,
    userPrincipalName: `${id}@x.example`,
    displayName: id,
    userType: "Member",
    accountEnabled: true,
    createdDateTime: "2024-01-15T09:00:00Z",
    ...extra,
  });
  const signIn = (interactive: string | null, nonInteractive: string | null = null) => ({
    signInActivity: {
      lastSignInDateTime: interactive,
      lastSignInRequestId: null,
      lastNonInteractiveSignInDateTime: nonInteractive,
      lastNonInteractiveSignInRequestId: null,
    },
  });
  const judge = (...users: unknown[]) => run(staleUsers, ENTRA_EVIDENCE.users, { users });

  it("compliant: a recent interactive or non-interactive sign-in; a new account not yet used; a disabled account is not judged", () => {
    expect(
      judge(
        user("alice", signIn("2026-10-30T08:00:00Z")),
        user("svc", signIn("2025-01-01T00:00:00Z", "2026-10-31T23:00:00Z")),
        user("new", { createdDateTime: "2026-10-20T00:00:00Z", signInActivity: null }),
        user("gone", { accountEnabled: false, ...signIn(null) }),
      ),
    ).toEqual([
      ["alice", "pass", "User alice@x.example last signed in 1 days ago (2026-10-30)."],
      ["svc", "pass", "User svc@x.example last signed in 0 days ago (2026-10-31)."],
      ["new", "pass", "User new@x.example has not signed in yet; it was created 12 days ago (within 90)."],
      ["gone", "not_applicable", "User gone@x.example is disabled."],
    ]);
  });

  it("non-compliant: an enabled member idle past maxInactiveDays; a guest invited long ago who never signed in", () => {
    expect(judge(user("carol", signIn("2026-04-15T10:00:00Z")), user("partner", { userType: "Guest", ...signIn(null) }))).toEqual([
      ["carol", "fail", "User carol@x.example is enabled but last signed in 199 days ago (2026-04-15), more than 90."],
      ["partner", "fail", "Guest partner@x.example is enabled but has never signed in since it was created 1020 days ago."],
    ]);
    expect(run(staleUsers, ENTRA_EVIDENCE.users, { users: [user("carol", signIn("2026-04-15T10:00:00Z"))] }, { maxInactiveDays: 365 })[0]?.[1]).toBe("pass");
  });

  it("without P1 (sign-in activity unlicensed) the tenant's users are one error naming the licence", () => {
    const users = {
      users: [user("alice", {})],
      signInActivity: { unlicensed: "Microsoft Graph refused GET /users (HTTP 403): this API needs a Microsoft Entra ID P1 (sign-in activity) licence" },
    };
    expect(run(staleUsers, ENTRA_EVIDENCE.users, users)).toEqual([
      [
        "t1/users",
        "error",
        "The last sign-in of the users of tenant t1 cannot be read: Microsoft Graph refused GET /users (HTTP 403): this API needs a Microsoft Entra ID P1 (sign-in activity) licence.",
      ],
    ]);
  });

  it("sign-in activity missing from the listing, or an unreadable date, is an error, never a pass", () => {
    expect(() => judge(user("alice", {}))).toThrow(/has no signInActivity/);
    expect(() => judge(user("alice", signIn("yesterday")))).toThrow(/unreadable last sign-in "yesterday"/);
  });
});

describe("azure.entra.guest-access-restricted", () => {
  // Microsoft Learn, "Get authorizationPolicy" response example, with the fields judged set per case.
  const policy = (allowInvitesFrom: string, guestUserRoleId: string) => ({
    policy: {
      id: "authorizationPolicy",
      displayName: "Authorization Policy",
      allowInvitesFrom,
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: false,
      blockMsolPowerShell: null,
      guestUserRoleId,
      defaultUserRolePermissions: { allowedToCreateApps: true, allowedToCreateSecurityGroups: true, allowedToReadOtherUsers: true },
    },
  });
  const LIMITED = "10dae51f-b6af-4016-8d66-8c2a99b929b3";
  const MEMBER_LIKE = "a0b1b346-4d3e-4e8b-98f8-753987be4970";

  it("compliant: only admins and Guest Inviters invite; guests get limited access", () => {
    expect(run(guestAccess, ENTRA_EVIDENCE.authorizationPolicy, policy("adminsAndGuestInviters", LIMITED))).toEqual([
      ["t1/authorizationPolicy/allowInvitesFrom", "pass", "In tenant t1, guests can be invited by administrators and the Guest Inviter role only."],
      ["t1/authorizationPolicy/guestUserRoleId", "pass", "In tenant t1, guests have limited access (Guest User) to the directory."],
    ]);
  });

  it("non-compliant: everyone may invite (the default); guests have member access; limited is not enough with requireRestrictedGuestRole", () => {
    expect(run(guestAccess, ENTRA_EVIDENCE.authorizationPolicy, policy("everyone", MEMBER_LIKE))).toEqual([
      ["t1/authorizationPolicy/allowInvitesFrom", "fail", "In tenant t1, guests can be invited by everyone, guests included."],
      ["t1/authorizationPolicy/guestUserRoleId", "fail", "In tenant t1, guests have the same access as members (User) to the directory."],
    ]);
    expect(run(guestAccess, ENTRA_EVIDENCE.authorizationPolicy, policy("none", LIMITED), { requireRestrictedGuestRole: true })[1]?.[2]).toBe(
      "In tenant t1, guests have limited access (Guest User) to the directory (restricted access is required by requireRestrictedGuestRole).",
    );
  });

  it("an undocumented value is an error", () => {
    expect(() => run(guestAccess, ENTRA_EVIDENCE.authorizationPolicy, policy("Everyone", LIMITED))).toThrow(/undocumented value "Everyone"/);
    expect(() => run(guestAccess, ENTRA_EVIDENCE.authorizationPolicy, policy("none", "00000000-0000-0000-0000-000000000000"))).toThrow(
      /not one of the documented/,
    );
  });
});

describe("azure.entra.app-credential-expiry and app-credential-lifetime", () => {
  // Microsoft Learn, "List applications" passwordCredentials / keyCredentials (as stored: no hint, no key).
  const secret = (displayName: string, startDateTime: string, endDateTime: string) => ({
    customKeyIdentifier: null,
    displayName,
    keyId: displayName,
    startDateTime,
    endDateTime,
  });
  const app = (displayName: string, passwordCredentials: unknown[], keyCredentials: unknown[] = []) => ({
    id: `obj-${displayName}`,
    appId: `app-${displayName}`,
    displayName,
    passwordCredentials,
    keyCredentials,
  });
  const apps = {
    applications: [
      app("portal", [secret("s-2026", "2026-09-01T00:00:00Z", "2027-03-01T00:00:00Z")]),
      app("sync", [secret("forever", "2025-06-01T00:00:00Z", "2027-06-01T00:00:00Z")]),
      app("hr", [], [{ ...secret("CN=hr", "2025-09-01T00:00:00Z", "2026-09-27T00:00:00Z"), type: "AsymmetricX509Cert", usage: "Verify" }]),
      app("soon", [secret("s-old", "2026-06-01T00:00:00Z", "2026-11-20T00:00:00Z")]),
      app("spa", []),
    ],
  };

  it("expiry: valid credentials pass; an expired certificate and a secret expiring within warnDays fail; no credential is not applicable", () => {
    expect(run(credentialExpiry, ENTRA_EVIDENCE.applications, apps)).toEqual([
      ["obj-portal", "pass", "Application portal (app-portal): all 1 secrets and certificates are valid for 30 days or more."],
      ["obj-sync", "pass", "Application sync (app-sync): all 1 secrets and certificates are valid for 30 days or more."],
      ["obj-hr", "fail", 'Application hr (app-hr): certificate "CN=hr" expired on 2026-09-27.'],
      ["obj-soon", "fail", 'Application soon (app-soon): secret "s-old" expires on 2026-11-20 (in 19 days).'],
      ["obj-spa", "not_applicable", "Application spa (app-spa) has no secret or certificate."],
    ]);
    expect(run(credentialExpiry, ENTRA_EVIDENCE.applications, apps, { warnDays: 0 })[3]?.[1]).toBe("pass");
  });

  it("lifetime: a secret valid two years fails; one of six months passes", () => {
    expect(run(credentialLifetime, ENTRA_EVIDENCE.applications, apps).slice(0, 2)).toEqual([
      ["obj-portal", "pass", "Application portal (app-portal): every secret and certificate is valid for 365 days or less."],
      ["obj-sync", "fail", 'Application sync (app-sync): secret "forever" is valid for 730 days, more than 365.'],
    ]);
  });

  it("a credential without readable dates is an error, never valid", () => {
    const broken = { applications: [app("x", [secret("s", "2026-01-01T00:00:00Z", "soon")])] };
    expect(() => run(credentialExpiry, ENTRA_EVIDENCE.applications, broken)).toThrow(/unreadable endDateTime "soon"/);
    expect(() => run(credentialLifetime, ENTRA_EVIDENCE.applications, broken)).toThrow(/unreadable endDateTime/);
  });
});

describe("azure.entra.device-compliant and device-encrypted", () => {
  // Microsoft Learn, "List managedDevices" with $select: the fields the collector asks for.
  const device = (id: string, operatingSystem: string, complianceState: string, isEncrypted: boolean | null) => ({
    id,
    deviceName: id,
    operatingSystem,
    complianceState,
    isEncrypted,
    lastSyncDateTime: "2026-10-31T07:00:00Z",
  });
  const devices = {
    devices: [
      device("LAPTOP-1", "Windows", "compliant", true),
      device("MBP-2", "macOS", "noncompliant", false),
      device("PIXEL-3", "Android", "inGracePeriod", null),
      device("SCCM-4", "Windows", "configManager", true),
    ],
  };

  it("compliance: compliant passes; non-compliant and in grace period fail; Configuration Manager is not judged", () => {
    expect(run(deviceCompliant, ENTRA_EVIDENCE.managedDevices, devices)).toEqual([
      ["LAPTOP-1", "pass", "Device LAPTOP-1 (Windows) is compliant with its Intune compliance policies."],
      ["MBP-2", "fail", "Device MBP-2 (macOS) is not compliant with its Intune compliance policies."],
      ["PIXEL-3", "fail", "Device PIXEL-3 (Android) is not compliant (still in its grace period)."],
      ["SCCM-4", "not_applicable", "Device SCCM-4 (Windows) has its compliance managed by Configuration Manager, not shown here."],
    ]);
    expect(() => run(deviceCompliant, ENTRA_EVIDENCE.managedDevices, { devices: [device("X", "iOS", "Compliant", true)] })).toThrow(
      /undocumented complianceState "Compliant"/,
    );
  });

  it("encryption: encrypted passes; unencrypted fails; no encryption state is an error", () => {
    expect(run(deviceEncrypted, ENTRA_EVIDENCE.managedDevices, devices).slice(0, 3)).toEqual([
      ["LAPTOP-1", "pass", "Device LAPTOP-1 (Windows) has its storage encrypted."],
      ["MBP-2", "fail", "Device MBP-2 (macOS) does not have its storage encrypted."],
      ["PIXEL-3", "error", "Device PIXEL-3 (Android) has no encryption state in Intune, so whether it is encrypted cannot be told."],
    ]);
  });
});
