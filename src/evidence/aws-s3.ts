/**
 * S3 account-level Block Public Access (S3 Control GetPublicAccessBlock), shared by the collector
 * and the check. `publicAccessBlock: null` records NoSuchPublicAccessBlockConfiguration: the
 * account has no account-level setting at all.
 */
import { z } from "zod";

export const S3_ACCOUNT_EVIDENCE = "aws.s3.account-public-access-block";

export const PUBLIC_ACCESS_BLOCK_SETTINGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export const accountPublicAccessBlockEvidenceSchema = z.object({
  publicAccessBlock: z
    .object({
      BlockPublicAcls: z.boolean().optional(),
      IgnorePublicAcls: z.boolean().optional(),
      BlockPublicPolicy: z.boolean().optional(),
      RestrictPublicBuckets: z.boolean().optional(),
    })
    .nullable(),
});
export type AccountPublicAccessBlockEvidence = z.infer<typeof accountPublicAccessBlockEvidenceSchema>;
