import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-object-lock",
  title: "Buckets holding logs and records have S3 Object Lock on by default",
  severity: "medium",
  controls: [
    {
      control: "A.5.33",
      rationale:
        "“Records shall be protected from loss, destruction, falsification, unauthorized access and unauthorized release”: a default Object Lock retention stops objects being overwritten or deleted before it ends, for the buckets the rule is scoped to (scope it to log and record buckets).",
    },
    {
      control: "A.5.28",
      rationale:
        "Procedures for “the … preservation of evidence” need storage where evidence cannot be altered: write-once retention on log buckets preserves what they hold (collecting it is still a procedure).",
    },
    {
      control: "A.8.15",
      rationale:
        "Logs “shall be … stored, protected”: Object Lock on the log buckets protects stored logs against deletion and tampering, even by administrators in compliance mode.",
    },
  ],
  remediation:
    "Scope the rule to log and record buckets, create them with Object Lock enabled and set a default retention (COMPLIANCE mode for evidence), or copy logs into such a bucket; Object Lock can also be enabled on an existing versioned bucket.",
});
