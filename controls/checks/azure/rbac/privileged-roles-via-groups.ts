import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, AZURE_PRIVILEGED_ROLES, PRINCIPAL_TYPES, roleAssignmentsEvidenceSchema, roleGuid } from "../../../../src/evidence/azure-arm.js";

export default defineCheck({
  id: "azure.rbac.privileged-roles-via-groups",
  title: "Owner, Contributor and User Access Administrator are not assigned directly to users",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights shall be restricted and managed”: the subscription's Owner, Contributor and User Access Administrator assignments show who holds privileged rights and whether each goes through a managed group. ARM cannot tell a guest from a member (both are principalType User), nor show who is in a group.",
    },
    {
      control: "A.5.18",
      rationale:
        "Access rights “shall be provisioned, reviewed, modified and removed” under the access control rules: a privileged role held through a group is provisioned and removed with membership, while one assigned straight to a person escapes that review. It does not show that reviews take place.",
    },
  ],
  remediation:
    "Assign Owner, Contributor and User Access Administrator to Entra ID groups (ideally PIM-eligible) and remove the direct user assignments listed; check in Entra ID whether any of those users is a guest (#EXT#) and remove guests from privileged roles.",
  requires: [AZURE_ARM_EVIDENCE.roleAssignments],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.roleAssignments, roleAssignmentsEvidenceSchema);
    const subscription = evidence.scope.account;
    const findings = data.assignments.flatMap((assignment): FindingDraft[] => {
      const role = AZURE_PRIVILEGED_ROLES[roleGuid(assignment.properties.roleDefinitionId)];
      if (!role) return [];
      const { principalId, principalType, scope } = assignment.properties;
      // Inherited assignments (a management group, the tenant root) apply to the subscription too.
      const where =
        scope && scope.toLowerCase() !== `/subscriptions/${subscription}`.toLowerCase() ? `inherited from ${scope}` : `on subscription ${subscription}`;
      const known = PRINCIPAL_TYPES.find((t) => t === principalType);
      if (!known) {
        return [
          {
            resourceId: assignment.id,
            status: "error",
            reason: `Role assignment ${assignment.name} (${role} ${where}) has a principal type ARM does not document (${JSON.stringify(principalType ?? null)}), so it cannot be judged.`,
          },
        ];
      }
      return known === "User"
        ? [
            {
              resourceId: assignment.id,
              status: "fail",
              reason: `${role} is assigned directly to user ${principalId} ${where} (assignment ${assignment.name}); ARM does not say whether the user is a guest.`,
            },
          ]
        : [{ resourceId: assignment.id, status: "pass", reason: `${role} ${where} is held by ${known} ${principalId}, not assigned directly to a user.` }];
    });
    if (findings.length > 0) return findings;
    return [
      {
        resourceId: `/subscriptions/${subscription}`,
        status: "not_applicable",
        reason: `Subscription ${subscription} has no Owner, Contributor or User Access Administrator assignment at its scope.`,
      },
    ];
  },
});
