/**
 * Azure Policy, one subscription: the latest compliance summary (Policy States - Summarize For
 * Subscription), broken down per policy assignment and definition. One POST.
 */
import { AZURE_ARM_API_VERSIONS, AZURE_ARM_EVIDENCE, policySummarySchema } from "../../src/evidence/azure-arm.js";
import type { CollectorDefinition } from "../types.js";
import { armReader, type ArmCall, type AzureArmOptions } from "./arm-read.js";

export const AZURE_POLICY_COLLECTOR = "azure.policy";

// The summarize call is a POST, but the action it needs is the read below (Reader has it).
const SUMMARIZE: ArmCall = { operation: "Policy States - Summarize For Subscription", permission: "Microsoft.PolicyInsights/policyStates/summarize/read" };

export const azurePolicyCollector: CollectorDefinition<AzureArmOptions> = {
  name: AZURE_POLICY_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_ARM_EVIDENCE.policySummary],
  permissions: [SUMMARIZE.permission],
  async collect(options, context) {
    const arm = armReader(AZURE_POLICY_COLLECTOR, options, context);
    const url = `${arm.base}/providers/Microsoft.PolicyInsights/policyStates/latest/summarize?api-version=${AZURE_ARM_API_VERSIONS.policyStates}`;
    const summaries = await arm.list(SUMMARIZE, url, policySummarySchema, "POST");
    return [arm.evidence(AZURE_ARM_EVIDENCE.policySummary, SUMMARIZE.operation, { summaries })];
  },
};
