import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.backups",
  title: "Databases have backups and point-in-time recovery",
  severity: "medium",
  controls: [
    {
      control: "A.8.13",
      rationale:
        "“Backup copies of information, software and systems shall be maintained”: automated backups and point-in-time recovery are those copies (their testing needs a restore record).",
    },
  ],
  remediation:
    "Set a backup retention period of at least 7 days on RDS instances and enable point-in-time recovery on DynamoDB tables (or cover them with an AWS Backup plan).",
});
