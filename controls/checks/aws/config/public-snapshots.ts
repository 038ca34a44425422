import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.public-snapshots",
  title: "EBS and RDS snapshots are not public",
  severity: "critical",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “shall be restricted in accordance with the established topic-specific policy on access control”: a public snapshot can be restored by any AWS account, with every byte of the disk or database in it.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that process, store or transmit sensitive information”: public snapshots are a known cloud leak path, and these rules detect them (blocking them takes the account-level block public access settings for EBS and RDS).",
    },
  ],
  remediation:
    "Make the named snapshots private (`aws ec2 modify-snapshot-attribute --create-volume-permission Remove=[{Group=all}]`, `aws rds modify-db-snapshot-attribute --values-to-remove all`) and turn on EBS snapshot block public access in every region.",
});
