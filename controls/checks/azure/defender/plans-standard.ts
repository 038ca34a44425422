import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, pricingsEvidenceSchema } from "../../../../src/evidence/azure-arm.js";

export default defineCheck({
  id: "azure.defender.plans-standard",
  title: "Microsoft Defender for Cloud plans are on for the workloads in use",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.16",
      rationale:
        "“Networks, systems and applications shall be monitored for anomalous behaviour”: each Defender plan on the Standard tier raises threat alerts for its workload (servers, storage, SQL, Key Vault, containers, ARM operations). It shows the monitoring is switched on, not that anyone acts on its alerts.",
    },
  ],
  remediation:
    "Turn on the listed Defender for Cloud plans for the subscription (Defender for Cloud > Environment settings), or drop from this check's plans those the subscription does not use.",
  requires: [AZURE_ARM_EVIDENCE.defenderPlans],
  settings: z
    .object({
      plans: z
        .array(z.string().min(1))
        .default(["VirtualMachines", "StorageAccounts", "SqlServers", "KeyVaults", "Containers", "Arm"])
        .describe("The Defender plans (pricing names) that must be on the Standard tier."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.defenderPlans, pricingsEvidenceSchema);
    const subscription = evidence.scope.account;
    return settings.plans.map((name): FindingDraft => {
      const plan = data.pricings.find((p) => p.name.toLowerCase() === name.toLowerCase());
      const resourceId = plan?.id ?? `/subscriptions/${subscription}/providers/Microsoft.Security/pricings/${name}`;
      if (!plan) return { resourceId, status: "fail", reason: `Subscription ${subscription} does not list the Defender plan ${name}.` };
      const tier = plan.properties.pricingTier;
      if (tier === "Standard")
        return { resourceId, status: "pass", reason: `Defender plan ${plan.name} is on (Standard tier) for subscription ${subscription}.` };
      if (tier === "Free") return { resourceId, status: "fail", reason: `Defender plan ${plan.name} is off (Free tier) for subscription ${subscription}.` };
      return {
        resourceId,
        status: "error",
        reason: `Defender plan ${plan.name} of subscription ${subscription} has a tier ARM does not document (${JSON.stringify(tier)}).`,
      };
    });
  },
});
