import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.cloudtrail",
  title: "CloudTrail logs every region with log file validation",
  severity: "high",
  controls: [
    { control: "A.8.15", rationale: "CloudTrail is the audit log of every API call made in the account." },
    { control: "A.8.16", rationale: "Monitoring activities depends on a complete, multi-region record of account activity." },
  ],
  remediation:
    "Create an organisation or multi-region trail with log file validation enabled, delivering to a dedicated, access-restricted S3 bucket.",
});
