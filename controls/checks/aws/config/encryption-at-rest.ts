import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.encryption-at-rest",
  title: "Storage is encrypted at rest (S3, EBS, RDS)",
  severity: "high",
  controls: [
    { control: "A.8.24", rationale: "Encryption at rest is the use of cryptography the control asks for to protect stored information." },
  ],
  remediation:
    "Enable default encryption on S3 buckets, turn on EBS encryption by default and re-create unencrypted volumes from encrypted snapshots, and restore unencrypted RDS instances from encrypted snapshot copies.",
});
