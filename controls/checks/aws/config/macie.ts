import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.macie",
  title: "Amazon Macie is enabled to discover sensitive data in S3",
  severity: "low",
  controls: [
    {
      control: "A.5.34",
      rationale:
        "The organization “shall identify and meet the requirements regarding the preservation of privacy and protection of PII”: the rule shows Macie is enabled, the service that finds where personal data sits in S3, which meeting those requirements starts from; it shows neither that discovery covers every bucket nor that the requirements were identified or met.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that … store … sensitive information”: an enabled Macie reports the buckets holding sensitive data and those exposed publicly or shared, so that leak prevention can be aimed at them (it detects, it does not block).",
    },
  ],
  remediation:
    "Enable Amazon Macie in every region with S3 data through the delegated administrator account, with automated sensitive data discovery, and route its findings to the security team.",
});
