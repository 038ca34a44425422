import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, pricingsEvidenceSchema } from "../../../../src/evidence/azure-arm.js";

export default defineCheck({
  id: "azure.defender.servers-plan",
  title: "Microsoft Defender for Servers is on for each subscription",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.7",
      rationale:
        "“Protection against malware shall be implemented”: Defender for Servers (the VirtualMachines plan on the Standard tier) provisions Microsoft Defender for Endpoint, its anti-malware and EDR, to the subscription's machines. It does not show that each machine's agent is installed and healthy, nor the user awareness the control also asks for.",
    },
  ],
  remediation:
    "Turn on the Defender for Servers plan (Plan 1 or Plan 2) in Microsoft Defender for Cloud > Environment settings for the subscription, and keep the Defender for Endpoint integration on.",
  requires: [AZURE_ARM_EVIDENCE.defenderPlans],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.defenderPlans, pricingsEvidenceSchema);
    const subscription = evidence.scope.account;
    const plan = data.pricings.find((p) => p.name.toLowerCase() === "virtualmachines");
    const resourceId = plan?.id ?? `/subscriptions/${subscription}/providers/Microsoft.Security/pricings/VirtualMachines`;
    if (!plan) return [{ resourceId, status: "fail", reason: `Subscription ${subscription} does not list the Defender for Servers plan (VirtualMachines).` }];
    const tier = plan.properties.pricingTier;
    if (tier === "Standard") {
      const sub = plan.properties.subPlan ? ` (${plan.properties.subPlan})` : "";
      return [{ resourceId, status: "pass", reason: `Subscription ${subscription} has Defender for Servers on the Standard tier${sub}.` }];
    }
    if (tier === "Free") return [{ resourceId, status: "fail", reason: `Subscription ${subscription} has Defender for Servers off (Free tier).` }];
    return [
      { resourceId, status: "error", reason: `Subscription ${subscription} has a Defender for Servers tier ARM does not document (${JSON.stringify(tier)}).` },
    ];
  },
});
