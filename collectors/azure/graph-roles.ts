/**
 * Microsoft Entra ID directory roles, one tenant: the active role assignments with their principal
 * expanded (no licence), and Privileged Identity Management's schedules (who is eligible, and
 * whether each active assignment is permanent, time-bound or activated), which need a Microsoft
 * Entra ID P2 licence. Both read with RoleManagement.Read.Directory.
 */
import { ENTRA_EVIDENCE, pimSchedulesEvidenceSchema, roleAssignmentSchema } from "../../src/evidence/azure-graph.js";
import { graphCollector } from "./graph-common.js";

const ROLE_ASSIGNMENTS = "GET /roleManagement/directory/roleAssignments";
const ELIGIBILITY = "GET /roleManagement/directory/roleEligibilitySchedules";
const ASSIGNMENT_SCHEDULES = "GET /roleManagement/directory/roleAssignmentSchedules";

export const azureEntraRolesCollector = graphCollector({
  name: "azure.entra-roles",
  kind: ENTRA_EVIDENCE.roleAssignments,
  // Microsoft Learn, "List unifiedRoleAssignments" (directory provider): RoleManagement.Read.Directory.
  needs: { permissions: ["RoleManagement.Read.Directory"] },
  operations: [ROLE_ASSIGNMENTS],
  async read(graph) {
    // One listing with the principal expanded, never a call per principal.
    const assignments = await graph.list("/roleManagement/directory/roleAssignments?$expand=principal", ROLE_ASSIGNMENTS, roleAssignmentSchema);
    return { assignments };
  },
});

export const azureEntraPimCollector = graphCollector({
  name: "azure.entra-pim",
  kind: ENTRA_EVIDENCE.pimSchedules,
  // Microsoft Learn, "List roleEligibilitySchedules" / "List roleAssignmentSchedules": RoleManagement.Read.Directory; PIM needs P2.
  needs: { permissions: ["RoleManagement.Read.Directory"], licence: "Microsoft Entra ID P2 (Privileged Identity Management)" },
  operations: [ELIGIBILITY, ASSIGNMENT_SCHEDULES],
  async read(graph) {
    const shape = pimSchedulesEvidenceSchema.shape;
    const eligibilitySchedules = await graph.list("/roleManagement/directory/roleEligibilitySchedules", ELIGIBILITY, shape.eligibilitySchedules.element);
    const assignmentSchedules = await graph.list("/roleManagement/directory/roleAssignmentSchedules", ASSIGNMENT_SCHEDULES, shape.assignmentSchedules.element);
    return { eligibilitySchedules, assignmentSchedules };
  },
});
