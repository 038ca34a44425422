import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-public-access",
  title: "S3 buckets do not allow public read or write",
  severity: "critical",
  controls: [
    { control: "A.8.3", rationale: "Public buckets give anyone on the internet access to the information in them." },
    { control: "A.5.15", rationale: "Public access bypasses every access-control rule the organisation has set." },
  ],
  remediation:
    "Turn on S3 Block Public Access at account level, remove public ACLs and bucket-policy statements that grant access to everyone, and serve public content through CloudFront with origin access control.",
});
