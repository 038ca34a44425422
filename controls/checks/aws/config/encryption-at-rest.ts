import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.encryption-at-rest",
  title: "Storage is encrypted at rest (S3, EBS, RDS)",
  severity: "high",
  controls: [
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: encryption at rest of buckets, volumes and databases is that rule applied to stored data.",
    },
  ],
  remediation:
    "Enable default encryption on S3 buckets, turn on EBS encryption by default and re-create unencrypted volumes from encrypted snapshots, and restore unencrypted RDS instances from encrypted snapshot copies.",
});
