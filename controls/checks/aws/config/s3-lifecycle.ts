import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-lifecycle",
  title: "S3 buckets have lifecycle rules that expire data",
  severity: "low",
  controls: [
    {
      control: "A.8.10",
      rationale:
        "“Information stored in information systems … shall be deleted when no longer required”: a lifecycle rule deletes objects (and old versions) after a set period instead of keeping them forever; whether the period matches the retention schedule is for the schedule to say.",
    },
  ],
  remediation: "Add lifecycle rules that expire current objects and noncurrent versions after the period the retention schedule sets for each bucket's data.",
});
