import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.securityhub",
  title: "Security Hub is enabled",
  severity: "medium",
  // Not A.8.8: that a posture service is on says nothing of whether vulnerability information is
  // obtained, exposure evaluated and measures taken; that evidence comes from vulnerability data.
  controls: [
    {
      control: "A.8.16",
      rationale:
        "Systems are “monitored … and appropriate actions taken to evaluate potential information security incidents”: Security Hub gathers and ranks the findings of the account's security services.",
    },
    {
      control: "A.8.9",
      rationale:
        "Security configurations “shall be … monitored and reviewed”: Security Hub's standards evaluate resource configurations against a baseline continuously.",
    },
  ],
  remediation: "Enable Security Hub in every region, with the AWS Foundational Security Best Practices standard, through the delegated administrator account.",
});
