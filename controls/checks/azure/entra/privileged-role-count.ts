import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, roleAssignmentsEvidenceSchema } from "../../../../src/evidence/azure-graph.js";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLES, roleName } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.privileged-role-count",
  title: "Entra ID privileged roles are held by few principals (Global Administrators: at least 2)",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights shall be restricted and managed”: the number of active holders of each privileged directory role (tenant-wide) shows it is restricted, and two or more Global Administrators keep the tenant manageable if one is lost. PIM-eligible holders are not counted; group members are not expanded.",
    },
  ],
  remediation:
    "Remove privileged role assignments that are not needed (prefer PIM eligibility to active assignments); keep at least two Global Administrators, e.g. one named administrator and one break-glass account.",
  requires: [ENTRA_EVIDENCE.roleAssignments],
  settings: z
    .object({
      maxGlobalAdmins: z
        .number()
        .int()
        .min(2)
        .default(4)
        .describe("Most active Global Administrator assignments allowed (Microsoft recommends fewer than five)."),
      maxPerRole: z.number().int().min(1).default(5).describe("Most active assignments of any other privileged role."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const tenant = evidence.scope.account;
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.roleAssignments, roleAssignmentsEvidenceSchema);
    const holders = new Map<string, string[]>(Object.keys(PRIVILEGED_ROLES).map((id) => [id, []]));
    for (const a of data.assignments) {
      // Only tenant-wide assignments grant the role over the whole directory.
      if (a.directoryScopeId !== "/") continue;
      holders.get(a.roleDefinitionId)?.push(a.principal?.userPrincipalName ?? a.principal?.displayName ?? a.principalId);
    }
    return [...holders].flatMap(([roleId, names]): FindingDraft[] => {
      const role = roleName(roleId);
      const resourceId = `${tenant}/roles/${roleId}`;
      const n = names.length;
      const list = names.join(", ");
      if (roleId === GLOBAL_ADMINISTRATOR) {
        if (n < 2)
          return [
            {
              resourceId,
              status: "fail",
              reason: `Tenant ${tenant} has ${n} active Global Administrator${n === 1 ? "" : "s"}${n ? ` (${list})` : ""}: fewer than 2, so losing one account can lock the tenant.`,
            },
          ];
        if (n > settings.maxGlobalAdmins)
          return [
            { resourceId, status: "fail", reason: `Tenant ${tenant} has ${n} active Global Administrators, more than ${settings.maxGlobalAdmins}: ${list}.` },
          ];
        return [{ resourceId, status: "pass", reason: `Tenant ${tenant} has ${n} active Global Administrators (2 to ${settings.maxGlobalAdmins}): ${list}.` }];
      }
      if (n === 0) return [];
      return n > settings.maxPerRole
        ? [{ resourceId, status: "fail", reason: `Role ${role} in tenant ${tenant} has ${n} active holders, more than ${settings.maxPerRole}: ${list}.` }]
        : [
            {
              resourceId,
              status: "pass",
              reason: `Role ${role} in tenant ${tenant} has ${n} active holder${n === 1 ? "" : "s"} (at most ${settings.maxPerRole}): ${list}.`,
            },
          ];
    });
  },
});
