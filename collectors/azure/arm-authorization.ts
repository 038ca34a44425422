/**
 * Azure RBAC, one subscription: the role assignments at the subscription's scope, inherited ones
 * (management groups, tenant root) included. One paged listing; roles are named by their
 * definition id, so no role-definition read is needed for the built-in roles the checks judge.
 */
import { AZURE_ARM_API_VERSIONS, AZURE_ARM_EVIDENCE, roleAssignmentSchema } from "../../src/evidence/azure-arm.js";
import type { CollectorDefinition } from "../types.js";
import { armReader, type ArmCall, type AzureArmOptions } from "./arm-read.js";

export const AZURE_AUTHORIZATION_COLLECTOR = "azure.authorization";

const LIST: ArmCall = { operation: "Role Assignments - List For Subscription", permission: "Microsoft.Authorization/roleAssignments/read" };

export const azureAuthorizationCollector: CollectorDefinition<AzureArmOptions> = {
  name: AZURE_AUTHORIZATION_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_ARM_EVIDENCE.roleAssignments],
  permissions: [LIST.permission],
  async collect(options, context) {
    const arm = armReader(AZURE_AUTHORIZATION_COLLECTOR, options, context);
    // atScope(): assignments that apply to the whole subscription (made on it or above it), not
    // the many made on resource groups or single resources below it.
    const url = `${arm.base}/providers/Microsoft.Authorization/roleAssignments?api-version=${AZURE_ARM_API_VERSIONS.roleAssignments}&$filter=atScope()`;
    const assignments = await arm.list(LIST, url, roleAssignmentSchema);
    return [arm.evidence(AZURE_ARM_EVIDENCE.roleAssignments, LIST.operation, { assignments })];
  },
};
