import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, pimSchedulesEvidenceSchema, roleAssignmentsEvidenceSchema } from "../../../../src/evidence/azure-graph.js";
import { GLOBAL_ADMINISTRATOR } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.permanent-global-admin",
  title: "Global Administrator is held just in time (PIM), not permanently",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights shall be restricted and managed”: where Privileged Identity Management is in use, a Global Administrator assignment that is active with no end date is standing privilege; one activated from an eligibility, or time-bound, is restricted to when it is needed. Break-glass accounts are shown, not judged.",
    },
  ],
  remediation:
    "Convert each permanent Global Administrator assignment to a PIM eligible assignment (activation with MFA, justification and approval), keeping only the break-glass accounts listed in breakGlassAccounts permanent.",
  requires: [ENTRA_EVIDENCE.pimSchedules, ENTRA_EVIDENCE.roleAssignments],
  settings: z
    .object({
      breakGlassAccounts: z.array(z.string()).default([]).describe("Object ids of emergency-access accounts that keep a permanent assignment by design."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const tenant = evidence.scope.account;
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.pimSchedules, pimSchedulesEvidenceSchema);
    const { data: roles } = readEvidence(evidence, ENTRA_EVIDENCE.roleAssignments, roleAssignmentsEvidenceSchema);
    const names = new Map(roles.assignments.map((a) => [a.principalId, a.principal?.userPrincipalName ?? a.principal?.displayName ?? a.principalId]));
    const name = (id: string) => names.get(id) ?? id;
    if (data.eligibilitySchedules.length === 0)
      return [
        {
          resourceId: `${tenant}/pim`,
          status: "not_applicable",
          reason: `Tenant ${tenant} has no PIM eligible role assignment, so Privileged Identity Management is not in use and every assignment is permanent by design.`,
        },
      ];
    return data.assignmentSchedules
      .filter((s) => s.roleDefinitionId === GLOBAL_ADMINISTRATOR && s.directoryScopeId === "/")
      .map((s): FindingDraft => {
        const who = name(s.principalId);
        if (s.assignmentType === "Activated")
          return {
            resourceId: s.id,
            status: "pass",
            reason: `${who} holds Global Administrator just in time: the assignment was activated from a PIM eligibility.`,
          };
        if (s.assignmentType !== "Assigned") throw new Error(`the assignment schedule ${s.id} has the undocumented assignmentType "${s.assignmentType}"`);
        const expiration = s.scheduleInfo.expiration;
        if (expiration.type === "afterDateTime" || expiration.type === "afterDuration")
          return {
            resourceId: s.id,
            status: "pass",
            reason: `${who} holds Global Administrator on a time-bound assignment (${expiration.endDateTime ?? expiration.type}).`,
          };
        if (expiration.type !== "noExpiration") throw new Error(`the assignment schedule ${s.id} has the undocumented expiration type "${expiration.type}"`);
        if (settings.breakGlassAccounts.includes(s.principalId))
          return {
            resourceId: s.id,
            status: "not_applicable",
            reason: `${who} is a break-glass account (breakGlassAccounts) with a permanent Global Administrator assignment by design.`,
          };
        return {
          resourceId: s.id,
          status: "fail",
          reason: `${who} holds Global Administrator permanently (active, no end date) although the tenant uses PIM.`,
        };
      });
  },
});
