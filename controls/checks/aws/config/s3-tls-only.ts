import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-tls-only",
  title: "S3 buckets refuse requests without TLS",
  severity: "medium",
  controls: [
    {
      control: "A.5.14",
      rationale:
        "“Information transfer rules … shall be in place for all types of transfer facilities”: a bucket policy denying requests without aws:SecureTransport enforces encrypted transfer to and from the bucket (it shows the rule applied, not that transfer rules were agreed with the other parties).",
    },
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: refusing plain HTTP is that rule applied to data in transit to storage.",
    },
  ],
  remediation:
    'Add a bucket-policy statement that denies s3:* when "aws:SecureTransport" is "false" to every bucket (or enforce it organisation-wide with a resource control policy).',
});
