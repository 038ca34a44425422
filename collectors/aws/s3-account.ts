/**
 * S3 account-level Block Public Access: one S3 Control GetPublicAccessBlock call per account
 * (IAM action s3:GetAccountPublicAccessBlock). The setting is account-wide, so it is read once,
 * in the source's global region. The S3 Control client is imported when the collector runs, so
 * a run that does not use it never loads it. Fetches and validates; never judges.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { S3_ACCOUNT_EVIDENCE, accountPublicAccessBlockEvidenceSchema } from "../../src/evidence/aws-s3.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";
import { loadPackage } from "../load-package.js";

export const AWS_S3_ACCOUNT_COLLECTOR = "aws.s3-account";

export interface AwsS3AccountOptions {
  source: AwsSourceConfig;
  /** The account whose setting is read (discovery always knows it). */
  account: string;
  /** Credentials of an assumed role; the source's own otherwise. */
  credentials?: AwsCredentials;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

export const awsS3AccountCollector: CollectorDefinition<AwsS3AccountOptions> = {
  name: AWS_S3_ACCOUNT_COLLECTOR,
  sourceType: "aws",
  produces: [S3_ACCOUNT_EVIDENCE],
  // The SDK's GetPublicAccessBlockCommand of S3 Control is authorised as this IAM action.
  permissions: ["s3:GetAccountPublicAccessBlock"],
  async collect(options, context) {
    const { source, account } = options;
    const { S3ControlClient, GetPublicAccessBlockCommand } = await loadPackage(import("@aws-sdk/client-s3-control"));
    const client = new S3ControlClient({
      ...awsClientConfig(source, source.globalRegion, options.credentials, options.retryStrategy),
      // S3 Control's endpoint rules put the account id in front of the host, the override's too
      // ({AccountId}.<endpoint host>), which disableHostPrefix does not change (it only governs the
      // model's hostPrefix traits). An override is taken as the one URL that answers for every
      // account instead: the account still travels in the x-amz-account-id header, and an IP
      // address (a loopback test server) cannot take a prefix at all.
      ...(source.endpoint ? { endpointProvider: () => ({ url: new URL(source.endpoint ?? "") }) } : {}),
    });
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region: "global" }, context);
    try {
      const response = await client.send(new GetPublicAccessBlockCommand({ AccountId: account }), { abortSignal: context.signal }).then(
        (r) => r.PublicAccessBlockConfiguration ?? null,
        (error: unknown) => {
          // NoSuchPublicAccessBlockConfiguration (404) is an answer: the account has no setting.
          if (error instanceof Error && error.name === "NoSuchPublicAccessBlockConfiguration") return null;
          throw new CollectorError(
            { collector: AWS_S3_ACCOUNT_COLLECTOR, source: source.name, account, region: "global", apiCall: "GetPublicAccessBlock" },
            describeAwsError(error, "s3:GetAccountPublicAccessBlock"),
            { cause: error },
          );
        },
      );
      const payload = accountPublicAccessBlockEvidenceSchema.parse({
        publicAccessBlock: response && {
          ...(response.BlockPublicAcls !== undefined ? { BlockPublicAcls: response.BlockPublicAcls } : {}),
          ...(response.IgnorePublicAcls !== undefined ? { IgnorePublicAcls: response.IgnorePublicAcls } : {}),
          ...(response.BlockPublicPolicy !== undefined ? { BlockPublicPolicy: response.BlockPublicPolicy } : {}),
          ...(response.RestrictPublicBuckets !== undefined ? { RestrictPublicBuckets: response.RestrictPublicBuckets } : {}),
        },
      });
      return [evidence(S3_ACCOUNT_EVIDENCE, "GetPublicAccessBlock", payload)];
    } finally {
      client.destroy();
    }
  },
};
