import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { authorizationPolicyEvidenceSchema, ENTRA_EVIDENCE } from "../../../../src/evidence/azure-graph.js";

/** guestUserRoleId values (Microsoft Learn, authorizationPolicy). */
const GUEST_ROLES: Readonly<Record<string, { name: string; limited: boolean }>> = {
  "a0b1b346-4d3e-4e8b-98f8-753987be4970": { name: "the same access as members (User)", limited: false },
  "10dae51f-b6af-4016-8d66-8c2a99b929b3": { name: "limited access (Guest User)", limited: true },
  "2af84b1e-32c8-42b7-82bc-daa82404023b": { name: "restricted access (Restricted Guest User)", limited: true },
};
const INVITERS: Readonly<Record<string, string>> = {
  none: "no one",
  adminsAndGuestInviters: "administrators and the Guest Inviter role only",
  adminsGuestInvitersAndAllMembers: "administrators, Guest Inviters and every member",
  everyone: "everyone, guests included",
};

export default defineCheck({
  id: "azure.entra.guest-access-restricted",
  title: "Entra ID guest invitations and guest directory access are restricted",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.19",
      rationale:
        "Supplier access shall be managed by “processes and procedures … to manage the information security risks associated with the use of supplier's products or services”: guests are mostly suppliers' people, so only administrators or Guest Inviters inviting them, and guests seeing little of the directory, keeps supplier access deliberate. It does not show the supplier agreements.",
    },
    {
      control: "A.5.16",
      rationale:
        "“The full life cycle of identities shall be managed”: when any user can invite guests, external identities enter the directory outside the managed registration process.",
    },
  ],
  remediation:
    "In External collaboration settings, let only administrators and users with the Guest Inviter role invite guests, and set guest user access to limited (or restricted) access.",
  requires: [ENTRA_EVIDENCE.authorizationPolicy],
  settings: z
    .object({
      requireRestrictedGuestRole: z.boolean().default(false).describe("Accept only the Restricted Guest User role, not the default limited Guest User role."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const tenant = evidence.scope.account;
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.authorizationPolicy, authorizationPolicyEvidenceSchema);
    const { allowInvitesFrom, guestUserRoleId } = data.policy;
    // Own keys only: "valueOf" or "constructor" from the API must not find Object.prototype's members.
    const inviters = Object.hasOwn(INVITERS, allowInvitesFrom) ? INVITERS[allowInvitesFrom] : undefined;
    const role = Object.hasOwn(GUEST_ROLES, guestUserRoleId) ? GUEST_ROLES[guestUserRoleId] : undefined;
    if (!inviters) throw new Error(`the authorization policy's allowInvitesFrom has the undocumented value ${JSON.stringify(allowInvitesFrom)}`);
    if (!role) throw new Error(`the authorization policy's guestUserRoleId ${JSON.stringify(guestUserRoleId)} is not one of the documented guest roles`);
    const invitesOk = allowInvitesFrom === "none" || allowInvitesFrom === "adminsAndGuestInviters";
    const roleOk = settings.requireRestrictedGuestRole ? guestUserRoleId === "2af84b1e-32c8-42b7-82bc-daa82404023b" : role.limited;
    const invites: FindingDraft = {
      resourceId: `${tenant}/authorizationPolicy/allowInvitesFrom`,
      status: invitesOk ? "pass" : "fail",
      reason: `In tenant ${tenant}, guests can be invited by ${inviters}.`,
    };
    const access: FindingDraft = {
      resourceId: `${tenant}/authorizationPolicy/guestUserRoleId`,
      status: roleOk ? "pass" : "fail",
      reason: `In tenant ${tenant}, guests have ${role.name} to the directory${!roleOk && role.limited ? " (restricted access is required by requireRestrictedGuestRole)" : ""}.`,
    };
    return [invites, access];
  },
});
