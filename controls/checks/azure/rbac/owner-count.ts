import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, AZURE_OWNER_ROLE, roleAssignmentsEvidenceSchema, roleGuid } from "../../../../src/evidence/azure-arm.js";

export default defineCheck({
  id: "azure.rbac.owner-count",
  title: "Each Azure subscription has few Owners",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights shall be restricted”: the number of Owner assignments that apply to the subscription is capped. A group counts as one assignment, whatever its size, since ARM does not list its members.",
    },
  ],
  remediation:
    "Remove Owner assignments beyond the cap (keep two or three named administrators or one PIM-eligible group); give day-to-day work narrower roles such as Contributor on resource groups.",
  requires: [AZURE_ARM_EVIDENCE.roleAssignments],
  settings: z.object({ maxOwners: z.number().int().min(1).default(3).describe("Most Owner role assignments allowed per subscription.") }).strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.roleAssignments, roleAssignmentsEvidenceSchema);
    const subscription = evidence.scope.account;
    const owners = data.assignments.filter((a) => roleGuid(a.properties.roleDefinitionId) === AZURE_OWNER_ROLE);
    const who = owners.map((a) => `${a.properties.principalType ?? "principal"} ${a.properties.principalId}`).join(", ");
    const count = `${owners.length} Owner assignment${owners.length === 1 ? "" : "s"}`;
    return [
      owners.length > settings.maxOwners
        ? {
            resourceId: `/subscriptions/${subscription}`,
            status: "fail",
            reason: `Subscription ${subscription} has ${count}, more than the ${settings.maxOwners} allowed: ${who}.`,
          }
        : {
            resourceId: `/subscriptions/${subscription}`,
            status: "pass",
            reason: `Subscription ${subscription} has ${count} (at most ${settings.maxOwners} allowed)${owners.length > 0 ? `: ${who}` : ""}.`,
          },
    ];
  },
});
