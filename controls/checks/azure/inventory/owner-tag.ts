import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_EVIDENCE, inventoryEvidenceSchema } from "../../../../src/evidence/azure.js";
import { shortName } from "../../../lib/azure.js";

export default defineCheck({
  id: "azure.inventory.owner-tag",
  title: "Every Azure resource names its owner and data classification",
  severity: "low",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.9",
      rationale:
        "“An inventory of information and other associated assets, including owners, shall be developed and maintained”: the owner tag records each resource's owner in Azure's own inventory.",
    },
    {
      control: "A.5.12",
      rationale:
        "Information “shall be classified according to the information security needs of the organization”: the classification tag records each resource's class.",
    },
  ],
  remediation:
    "Add the owner and classification tags to the listed resources, and enforce them with an Azure Policy (Require a tag on resources) assigned at the management group.",
  requires: [AZURE_EVIDENCE.inventory],
  settings: z
    .object({
      ownerTag: z.string().min(1).default("owner").describe("The tag naming the resource's owner."),
      classificationTag: z.string().min(1).default("data-classification").describe("The tag giving its data classification."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_EVIDENCE.inventory, inventoryEvidenceSchema);
    return data.resources.map((resource) => {
      // Tag names are case-insensitive in Azure.
      const tags = new Set(
        Object.entries(resource.tags)
          .filter(([, v]) => v.trim() !== "")
          .map(([k]) => k.toLowerCase()),
      );
      const missing = [settings.ownerTag, settings.classificationTag].filter((t) => !tags.has(t.toLowerCase()));
      const name = `Resource ${shortName(resource)} (${resource.type})`;
      return missing.length > 0
        ? { resourceId: resource.id, status: "fail" as const, reason: `${name} has no ${missing.join(" or ")} tag.` }
        : { resourceId: resource.id, status: "pass" as const, reason: `${name} is tagged with its ${settings.ownerTag} and ${settings.classificationTag}.` };
    });
  },
});
