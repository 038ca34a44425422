import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.backup-plans",
  title: "AWS Backup plans cover the resources, often and long enough",
  severity: "medium",
  controls: [
    {
      control: "A.8.13",
      rationale:
        "“Backup copies of information, software and systems shall be maintained … in accordance with the agreed topic-specific policy on backup”: the rules show each instance, volume, database, bucket and table is in a backup plan, and each plan meets the minimum frequency and retention (restore tests need their own record).",
    },
    {
      control: "A.5.30",
      rationale:
        "“ICT readiness shall be planned, implemented, maintained and tested based on business continuity objectives”: backup plans whose frequency and retention meet set minimums are the implemented part of recovery-point objectives; the continuity plan, recovery-time objectives and tests are documents.",
    },
  ],
  remediation:
    "Assign the named resources to an AWS Backup plan (by tag, or through an organisation backup policy), and give every plan a rule at least as frequent and retained as long as the backup policy requires.",
});
