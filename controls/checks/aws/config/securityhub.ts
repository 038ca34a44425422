import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.securityhub",
  title: "Security Hub is enabled",
  severity: "medium",
  controls: [
    { control: "A.8.8", rationale: "Security Hub aggregates vulnerability and misconfiguration findings so technical vulnerabilities are managed." },
  ],
  remediation:
    "Enable Security Hub in every region, with the AWS Foundational Security Best Practices standard, through the delegated administrator account.",
});
