import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.s3-account-public-access-block",
  title: "S3 Block Public Access is on for the whole account",
  severity: "high",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “shall be restricted in accordance with the established topic-specific policy on access control”: the account-level block stops any bucket, present or future, from being opened to everyone by an ACL or a policy.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that process, store or transmit sensitive information”: the block is a preventive guard against the commonest cloud leak, a bucket made public (it says nothing of other leak paths).",
    },
  ],
  remediation:
    "Turn on all four S3 Block Public Access settings at account level (S3 console > Block Public Access settings for this account, or `aws s3control put-public-access-block`), ideally enforced by a service control policy.",
});
