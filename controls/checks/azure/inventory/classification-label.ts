import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_EVIDENCE, inventoryEvidenceSchema } from "../../../../src/evidence/azure.js";
import { shortName } from "../../../lib/azure.js";

export default defineCheck({
  id: "azure.inventory.classification-label",
  title: "Azure resources carry a classification label from the scheme",
  severity: "low",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.13",
      rationale:
        "“An appropriate set of procedures for information labelling shall be developed and implemented in accordance with the information classification scheme”: the classification tag is the label on each resource, and its value is checked against the scheme's levels when they are configured. It labels the resource, not the information inside it.",
    },
  ],
  remediation:
    "Tag each listed resource with its classification (one of the scheme's levels), and enforce the tag and its allowed values with Azure Policy (Require a tag and its value on resources).",
  requires: [AZURE_EVIDENCE.inventory],
  settings: z
    .object({
      tag: z
        .string()
        .min(1)
        .default("data-classification")
        .describe("The tag holding the classification label (the same as azure.inventory.owner-tag's classificationTag)."),
      allowedValues: z
        .array(z.string().min(1))
        .default([])
        .describe("The classification scheme's levels, e.g. [public, internal, confidential]; empty: any non-empty value."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_EVIDENCE.inventory, inventoryEvidenceSchema);
    const allowed = new Set(settings.allowedValues.map((v) => v.toLowerCase()));
    return data.resources.map((resource) => {
      const name = `Resource ${shortName(resource)} (${resource.type})`;
      // Tag names are case-insensitive in Azure; values are compared case-insensitively too.
      const value =
        Object.entries(resource.tags)
          .find(([k]) => k.toLowerCase() === settings.tag.toLowerCase())?.[1]
          ?.trim() ?? "";
      if (!value) return { resourceId: resource.id, status: "fail" as const, reason: `${name} has no ${settings.tag} label.` };
      if (allowed.size > 0 && !allowed.has(value.toLowerCase())) {
        return {
          resourceId: resource.id,
          status: "fail" as const,
          reason: `${name} is labelled ${settings.tag}=${value}, which is not a level of the scheme (${settings.allowedValues.join(", ")}).`,
        };
      }
      return { resourceId: resource.id, status: "pass" as const, reason: `${name} is labelled ${settings.tag}=${value}.` };
    });
  },
});
