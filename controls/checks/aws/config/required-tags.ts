import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.required-tags",
  title: "Resources carry the tags the organisation requires",
  severity: "low",
  controls: [
    {
      control: "A.5.9",
      rationale:
        "“An inventory of information and other associated assets, including owners, shall be developed and maintained”: the required-tags rule finds resources missing the tags (typically owner, system, environment) that make the inventory usable; the evidence does not show which tag keys the rule requires.",
    },
  ],
  remediation:
    "Add the missing tags to the named resources, and enforce them at creation with tag policies in AWS Organizations and aws:RequestTag conditions or IaC defaults.",
});
