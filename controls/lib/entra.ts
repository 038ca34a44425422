/**
 * Shared reading of Microsoft Entra ID evidence for the azure.entra.* checks: which enabled
 * Conditional Access policy is shown to apply a control to a user, and the directory's privileged
 * roles by template id. Group and role memberships are not read, so a policy that includes or
 * excludes groups or roles is never taken as covering a user for certain.
 */
import type { FindingDraft } from "../../src/domain.js";
import type { ConditionalAccessPolicy, EntraApplication, EntraUser } from "../../src/evidence/azure-graph.js";

/** Built-in role template ids (the same in every tenant), Microsoft Learn "Microsoft Entra built-in roles". */
export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

/** Roles Microsoft Learn marks PRIVILEGED that can take over the tenant or its identities; the default list judged. */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  [GLOBAL_ADMINISTRATOR]: "Global Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
  "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
  "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
  "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
  "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
  "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
  "3a2c62db-5318-420d-8d74-23affee5d9d5": "Intune Administrator",
  "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
};

/** A role's name from its template id, or the id itself for a role not in the list. */
export const roleName = (roleDefinitionId: string): string => PRIVILEGED_ROLES[roleDefinitionId] ?? `role ${roleDefinitionId}`;

/** The documented states of a policy; anything else is not read as enabled or disabled. */
const POLICY_STATES = new Set(["enabled", "disabled", "enabledForReportingButNotEnforced"]);

export interface Coverage {
  /** The policy shown to apply the control to the user, if any. */
  by?: string;
  /** Why each other candidate policy does not count for this user. */
  gaps: string[];
}

/**
 * Whether an enabled policy that `grants` the control (for all cloud apps, with no narrowing
 * condition `narrowing` objects to) is shown to apply to `user`. Exclusions named in `breakGlass`
 * (user or group object ids) are accepted.
 */
export function coverageOf(
  user: Pick<EntraUser, "id">,
  policies: readonly ConditionalAccessPolicy[],
  grants: (policy: ConditionalAccessPolicy) => boolean,
  narrowing: (policy: ConditionalAccessPolicy) => string | undefined,
  breakGlass: ReadonlySet<string>,
): Coverage {
  const gaps: string[] = [];
  for (const policy of policies) {
    if (!POLICY_STATES.has(policy.state)) throw new Error(`Conditional Access policy "${policy.displayName}" has the undocumented state "${policy.state}"`);
    if (!grants(policy)) continue;
    const name = `"${policy.displayName}"`;
    if (policy.state !== "enabled") {
      gaps.push(`${name} is ${policy.state === "disabled" ? "disabled" : "report-only"}`);
      continue;
    }
    const { users, applications } = policy.conditions;
    if (!applications.includeApplications.includes("All") || applications.excludeApplications.length > 0) {
      gaps.push(`${name} does not cover all cloud apps`);
      continue;
    }
    const narrowed = narrowing(policy);
    if (narrowed) {
      gaps.push(`${name} ${narrowed}`);
      continue;
    }
    if (!users.includeUsers.includes("All") && !users.includeUsers.includes(user.id)) {
      gaps.push(
        `${name} does not include this user (it targets ${users.includeUsers.length > 0 ? "named users" : "groups or roles, whose members are not read"})`,
      );
      continue;
    }
    if (users.excludeUsers.includes(user.id)) {
      gaps.push(`${name} excludes this user`);
      continue;
    }
    const unread = [...users.excludeGroups, ...users.excludeRoles].filter((id) => !breakGlass.has(id));
    if (unread.length > 0) {
      gaps.push(`${name} excludes groups or roles (${unread.join(", ")}) whose members are not read`);
      continue;
    }
    return { by: policy.displayName, gaps };
  }
  return { gaps };
}

/** The documented grant controls (Graph v1.0 conditionalAccessGrantControl); another value makes the policy unreadable. */
const GRANT_CONTROLS = new Set([
  "block",
  "mfa",
  "compliantDevice",
  "domainJoinedDevice",
  "approvedApplication",
  "compliantApplication",
  "passwordChange",
  "unknownFutureValue",
]);

/** The grant controls a policy requires: all of them (AND), or any one (OR); an authentication strength counts as "mfa". */
export function grantOf(policy: ConditionalAccessPolicy): { all: boolean; controls: string[] } | undefined {
  const grant = policy.grantControls;
  if (!grant) return undefined;
  for (const control of grant.builtInControls)
    if (!GRANT_CONTROLS.has(control)) throw new Error(`Conditional Access policy "${policy.displayName}" has the undocumented grant control "${control}"`);
  if (grant.operator !== "AND" && grant.operator !== "OR")
    throw new Error(`Conditional Access policy "${policy.displayName}" has the undocumented grant operator "${grant.operator}"`);
  const controls = [...grant.builtInControls, ...(grant.authenticationStrength ? ["mfa"] : [])];
  return { all: grant.operator === "AND" || controls.length === 1, controls };
}

/** True when every way through the policy's grant includes one of `wanted`. */
export function grantRequires(policy: ConditionalAccessPolicy, wanted: readonly string[]): boolean {
  const grant = grantOf(policy);
  if (!grant || grant.controls.length === 0) return false;
  return grant.all ? grant.controls.some((c) => wanted.includes(c)) : grant.controls.every((c) => wanted.includes(c));
}

/** Users judged by per-user checks: enabled ones; a disabled account cannot sign in. */
export function isEnabledUser(user: EntraUser): boolean {
  return user.accountEnabled === true;
}

/** How a per-user Conditional Access finding names the user: "User alice@…" or "Guest bob@…". */
export function userLabel(user: EntraUser): string {
  return `${userKind(user) === "guest" ? "Guest" : "User"} ${user.userPrincipalName}`;
}

/**
 * The finding for a user a Conditional Access check does not judge (disabled, or a break-glass
 * account that `policies` may exclude by design); undefined for a user it judges.
 */
export function unjudgedUser(user: EntraUser, breakGlass: ReadonlySet<string>, policies: string): FindingDraft | undefined {
  const who = userLabel(user);
  if (!isEnabledUser(user)) return { resourceId: user.id, status: "not_applicable", reason: `${who} is disabled and cannot sign in.` };
  if (breakGlass.has(user.id))
    return {
      resourceId: user.id,
      status: "not_applicable",
      reason: `${who} is a break-glass account (breakGlassAccounts), which ${policies} may exclude by design.`,
    };
  return undefined;
}

/** "Guest" or "Member" as Graph writes userType; anything else is unreadable. */
export function userKind(user: EntraUser): "guest" | "member" {
  if (user.userType === "Guest") return "guest";
  if (user.userType === "Member") return "member";
  throw new Error(`user ${user.userPrincipalName} has the undocumented userType ${JSON.stringify(user.userType)}`);
}

/** An application's secrets and certificates with their validity; a credential without readable dates is an error, never valid. */
export function credentialsOf(app: EntraApplication): { label: string; start: Date; end: Date }[] {
  const read = (kind: "secret" | "certificate") => (c: EntraApplication["passwordCredentials"][number]) => {
    const label = `${kind} ${c.displayName ? `"${c.displayName}"` : c.keyId}`;
    const date = (value: string | null, field: string) => {
      const parsed = value === null ? Number.NaN : Date.parse(value);
      if (value === null || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(parsed))
        throw new Error(`application ${app.displayName}'s ${label} has an unreadable ${field} ${JSON.stringify(value)}`);
      return new Date(parsed);
    };
    return { label, start: date(c.startDateTime, "startDateTime"), end: date(c.endDateTime, "endDateTime") };
  };
  return [...app.passwordCredentials.map(read("secret")), ...app.keyCredentials.map(read("certificate"))];
}
