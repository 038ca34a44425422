/**
 * Microsoft Defender for Cloud, one subscription: the plans and their tiers (pricings), the
 * security contacts alerts are mailed to, and every assessment (recommendation per resource).
 * Three paged listings read side by side; never a call per resource.
 */
import type { Evidence } from "../../src/domain.js";
import { AZURE_ARM_API_VERSIONS, AZURE_ARM_EVIDENCE, assessmentSchema, pricingSchema, securityContactSchema } from "../../src/evidence/azure-arm.js";
import type { CollectorDefinition } from "../types.js";
import { armReader, type ArmCall, type AzureArmOptions } from "./arm-read.js";

export const AZURE_SECURITY_COLLECTOR = "azure.security";

const PRICINGS: ArmCall = { operation: "Pricings - List", permission: "Microsoft.Security/pricings/read" };
const CONTACTS: ArmCall = { operation: "Security Contacts - List", permission: "Microsoft.Security/securityContacts/read" };
const ASSESSMENTS: ArmCall = { operation: "Assessments - List", permission: "Microsoft.Security/assessments/read" };

export const azureSecurityCollector: CollectorDefinition<AzureArmOptions> = {
  name: AZURE_SECURITY_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_ARM_EVIDENCE.defenderPlans, AZURE_ARM_EVIDENCE.securityContacts, AZURE_ARM_EVIDENCE.assessments],
  permissions: [PRICINGS.permission, CONTACTS.permission, ASSESSMENTS.permission],
  async collect(options, context) {
    const arm = armReader(AZURE_SECURITY_COLLECTOR, options, context);
    const v = AZURE_ARM_API_VERSIONS;
    const reads: Promise<Evidence>[] = [
      arm
        .list(PRICINGS, `${arm.base}/providers/Microsoft.Security/pricings?api-version=${v.pricings}`, pricingSchema)
        .then((pricings) => arm.evidence(AZURE_ARM_EVIDENCE.defenderPlans, PRICINGS.operation, { pricings })),
      arm
        .list(CONTACTS, `${arm.base}/providers/Microsoft.Security/securityContacts?api-version=${v.securityContacts}`, securityContactSchema)
        .then((contacts) => arm.evidence(AZURE_ARM_EVIDENCE.securityContacts, CONTACTS.operation, { contacts })),
      arm
        .list(ASSESSMENTS, `${arm.base}/providers/Microsoft.Security/assessments?api-version=${v.assessments}`, assessmentSchema)
        .then((assessments) => arm.evidence(AZURE_ARM_EVIDENCE.assessments, ASSESSMENTS.operation, { assessments })),
    ];
    // Settled, so one refusal does not leave the others' rejections unhandled; the first failure wins.
    const settled = await Promise.allSettled(reads);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<Evidence>).value);
  },
};
