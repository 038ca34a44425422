import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.macie",
  title: "Amazon Macie discovers sensitive data in S3",
  severity: "low",
  controls: [
    {
      control: "A.5.34",
      rationale:
        "The organization “shall identify and meet the requirements regarding the preservation of privacy and protection of PII”: Macie finds where personal data sits in S3, which meeting those requirements starts from; it does not show the requirements were identified or met.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that … store … sensitive information”: Macie identifies the buckets holding sensitive data and flags those exposed publicly or shared, so that leak prevention can be aimed at them.",
    },
  ],
  remediation:
    "Enable Amazon Macie in every region with S3 data through the delegated administrator account, with automated sensitive data discovery, and route its findings to the security team.",
});
