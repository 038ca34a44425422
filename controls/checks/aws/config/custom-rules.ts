import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck } from "../../../../src/engine/check.js";
import { CONFIG_EVIDENCE } from "../../../../src/evidence/aws-config.js";
import { managedRuleOf } from "../../../aws-config-rules.js";
import { judgeRules, readRules, recorderGap } from "../../../lib/aws-config.js";

/**
 * Every AWS Config rule the table does not know: mapped to the controls the user gave it in
 * config (`sources.aws[].configRules`), or reported as unmapped, supporting no control.
 */
export default defineCheck({
  id: "aws.config.custom-rules",
  title: "Your own AWS Config rules pass",
  severity: "medium",
  sourceType: "aws",
  controls: [],
  perFindingControls: true,
  remediation:
    "Follow the remediation your organisation wrote for the rule; AWS Config's console shows each rule's description and the non-compliant resources.",
  requires: [CONFIG_EVIDENCE.recorderStatus, CONFIG_EVIDENCE.rules],
  settings: z
    .object({
      rules: z.record(z.string(), z.array(z.string())).default({}).describe("Rule name → Annex A ids. Usually set per source with sources.aws[].configRules."),
    })
    .strict(),
  evaluate(context) {
    const custom = readRules(context).filter((r) => !managedRuleOf(r));
    if (custom.length === 0) return [];
    const gap = recorderGap(context);
    if (gap) return [gap];
    const region = context.evidence.scope.region;
    const findings: FindingDraft[] = [];
    for (const rule of custom) {
      const controls = context.settings.rules[rule.name] ?? [];
      const mapping = controls.length > 0 ? `mapped to ${controls.join(", ")}` : "not mapped to any Annex A control";
      for (const finding of judgeRules([rule], region)) {
        findings.push({
          ...finding,
          resourceId: `config-rule/${rule.name}/${finding.resourceId}`,
          reason: `${finding.reason.replace(/\.$/, "")} (custom rule, ${mapping}).`,
          controls,
        });
      }
    }
    return findings;
  },
});
