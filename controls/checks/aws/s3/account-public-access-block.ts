import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { PUBLIC_ACCESS_BLOCK_SETTINGS, S3_ACCOUNT_EVIDENCE, accountPublicAccessBlockEvidenceSchema } from "../../../../src/evidence/aws-s3.js";

export default defineCheck({
  id: "aws.s3.account-public-access-block",
  title: "S3 Block Public Access is on for the whole account",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “should be restricted in accordance with the established topic-specific policy on access control”: with all four account-level settings on, no bucket of the account can be made readable by anyone through ACLs or bucket policies. It shows the account-wide guard, not who inside the organisation can read each bucket.",
    },
    {
      control: "A.8.12",
      rationale:
        "Data leakage prevention measures “should be applied to systems … that process, store or transmit sensitive information”: the account-wide block stops a bucket being published by mistake, the commonest way cloud data leaks. It does not cover other paths out (pre-signed URLs, replication, other services).",
    },
  ],
  remediation:
    "Turn on all four settings for the account (S3 console > Block Public Access settings for this account, or `aws s3control put-public-access-block --account-id <id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`); list any bucket that must stay public as a documented exception first.",
  requires: [S3_ACCOUNT_EVIDENCE],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, S3_ACCOUNT_EVIDENCE, accountPublicAccessBlockEvidenceSchema);
    const account = evidence.scope.account;
    const resourceId = `arn:aws:s3:::account/${account}/public-access-block`;
    const block = data.publicAccessBlock;
    if (!block) {
      return [
        {
          resourceId,
          status: "fail",
          reason: `Account ${account} has no account-level S3 Block Public Access configuration, so each bucket's own settings decide.`,
        },
      ];
    }
    // An absent setting is off: S3 Control omits nothing it has, and false is the default.
    const off = PUBLIC_ACCESS_BLOCK_SETTINGS.filter((name) => block[name] !== true);
    return off.length === 0
      ? [{ resourceId, status: "pass", reason: `Account ${account} has all four S3 Block Public Access settings on.` }]
      : [
          {
            resourceId,
            status: "fail",
            reason: `Account ${account} has S3 Block Public Access only partly on: ${off.join(", ")} ${off.length === 1 ? "is" : "are"} off.`,
          },
        ];
  },
});
