import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.cloudtrail",
  title: "CloudTrail logs every region with log file validation",
  severity: "high",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "Logs of “activities, exceptions, faults and other relevant events shall be produced, stored, protected”: CloudTrail records every API call, and log file validation protects the record.",
    },
    {
      control: "A.8.16",
      rationale:
        "Systems “shall be monitored for anomalous behaviour”: a complete, multi-region record of activity is what monitoring reads (it shows the input, not that anyone watches it).",
    },
  ],
  remediation: "Create an organisation or multi-region trail with log file validation enabled, delivering to a dedicated, access-restricted S3 bucket.",
});
