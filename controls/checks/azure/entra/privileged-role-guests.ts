import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, roleAssignmentsEvidenceSchema, usersEvidenceSchema } from "../../../../src/evidence/azure-graph.js";
import { PRIVILEGED_ROLES, roleName, userKind } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.privileged-role-guests",
  title: "No guest holds a privileged Entra ID role",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights shall be restricted and managed”: a guest is managed by another organisation, so a privileged directory role held by a guest is privileged access outside the organisation's identity life cycle. Group members holding a role are not expanded.",
    },
  ],
  remediation:
    "Remove the privileged role from each listed guest; give the person a member account of this tenant, managed by its joiner-mover-leaver process, if they need the role.",
  requires: [ENTRA_EVIDENCE.roleAssignments, ENTRA_EVIDENCE.users],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.roleAssignments, roleAssignmentsEvidenceSchema);
    const { data: directory } = readEvidence(evidence, ENTRA_EVIDENCE.users, usersEvidenceSchema);
    const users = new Map(directory.users.map((u) => [u.id, u]));
    return data.assignments
      .filter((a) => a.roleDefinitionId in PRIVILEGED_ROLES)
      .map((a): FindingDraft => {
        const role = roleName(a.roleDefinitionId);
        const type = a.principal?.["@odata.type"];
        if (type !== "#microsoft.graph.user") {
          const what = type === "#microsoft.graph.group" ? "group" : type === "#microsoft.graph.servicePrincipal" ? "service principal" : undefined;
          if (!what) throw new Error(`the principal of role assignment ${a.id} has the unknown type ${JSON.stringify(type)}`);
          return {
            resourceId: a.id,
            status: "not_applicable",
            reason: `${role} is held by ${what} ${a.principal?.displayName ?? a.principalId}, not a user; ${what === "group" ? "its members are not read" : "it is not a guest"}.`,
          };
        }
        const user = users.get(a.principalId);
        if (!user) throw new Error(`the user ${a.principal?.userPrincipalName ?? a.principalId} holding ${role} is not in the collected user list`);
        return userKind(user) === "guest"
          ? { resourceId: a.id, status: "fail", reason: `Guest ${user.userPrincipalName} holds the privileged role ${role}.` }
          : { resourceId: a.id, status: "pass", reason: `${role} is held by ${user.userPrincipalName}, a member of the tenant.` };
      });
  },
});
