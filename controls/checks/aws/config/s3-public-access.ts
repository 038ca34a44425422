import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-public-access",
  title: "S3 buckets do not allow public read or write",
  severity: "critical",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “shall be restricted in accordance with the established topic-specific policy on access control”: a public bucket is open to anyone.",
    },
    {
      control: "A.5.15",
      rationale: "Rules to control logical access “shall be established and implemented”: public access bypasses every access rule the organisation has set.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that process, store or transmit sensitive information”: a public bucket is the commonest cloud leak.",
    },
  ],
  remediation:
    "Turn on S3 Block Public Access at account level, remove public ACLs and bucket-policy statements that grant access to everyone, and serve public content through CloudFront with origin access control.",
});
