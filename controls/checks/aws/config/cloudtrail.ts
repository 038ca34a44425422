import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.cloudtrail",
  title: "CloudTrail logs every region",
  severity: "high",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "Logs of “activities, exceptions, faults and other relevant events shall be produced, stored, protected”: CloudTrail records every API call in every region (the protection of the record is judged by aws.config.cloudtrail-log-validation).",
    },
    {
      control: "A.8.16",
      rationale:
        "Systems “shall be monitored for anomalous behaviour”: a complete, multi-region record of activity is what monitoring reads (it shows the input, not that anyone watches it).",
    },
  ],
  remediation: "Create an organisation or multi-region trail delivering to a dedicated, access-restricted S3 bucket.",
});
