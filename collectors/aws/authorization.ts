/**
 * IAM authorization details: GetAccountAuthorizationDetails, paged (one call per account when the
 * answer fits a page), read by the administrator-policy and cross-account-trust checks.
 *
 * Filter User, Group, Role, LocalManagedPolicy: everything that holds or grants permissions in
 * the account, but not AWSManagedPolicy, which would add the ~1,300 AWS managed policies (several
 * MiB, the same in every account) to each answer. The one AWS managed policy that grants every
 * action on every resource, AdministratorAccess, is recognised by its ARN where it is attached.
 * Policy documents arrive URL-encoded; they are stored decoded and parsed. Fetches and validates;
 * never judges.
 */
import { GetAccountAuthorizationDetailsCommand, IAMClient, type AttachedPolicy, type PolicyDetail } from "@aws-sdk/client-iam";
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { AUTHORIZATION_EVIDENCE, authorizationDetailsEvidenceSchema, type AuthorizationDetailsEvidence } from "../../src/evidence/aws-authorization.js";
import { pages } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";

export const AWS_AUTHORIZATION_COLLECTOR = "aws.iam-authorization";

export interface AwsAuthorizationOptions {
  source: AwsSourceConfig;
  /** The account read (discovery always knows it). */
  account: string;
  /** Credentials of an assumed role; the source's own otherwise. */
  credentials?: AwsCredentials;
  /** The organisation's account ids from discovery's ListAccounts; null or absent when the source has no organization. */
  organizationAccounts?: readonly string[] | null;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

/** URL-decoded and parsed; the decoded text when it is not JSON, the raw text when it does not even decode. */
export function decodePolicyDocument(encoded: string | undefined): unknown {
  if (encoded === undefined) return null;
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const inline = (list: readonly PolicyDetail[] | undefined) =>
  (list ?? []).map((p) => ({ name: p.PolicyName ?? "", document: decodePolicyDocument(p.PolicyDocument) }));
const attached = (list: readonly AttachedPolicy[] | undefined) => (list ?? []).map((p) => ({ name: p.PolicyName ?? "", arn: p.PolicyArn ?? "" }));

export const awsAuthorizationCollector: CollectorDefinition<AwsAuthorizationOptions> = {
  name: AWS_AUTHORIZATION_COLLECTOR,
  sourceType: "aws",
  produces: [AUTHORIZATION_EVIDENCE],
  permissions: ["iam:GetAccountAuthorizationDetails"],
  async collect(options, context) {
    const { source, account } = options;
    const iam = new IAMClient(awsClientConfig(source, source.globalRegion, options.credentials, options.retryStrategy));
    const details: AuthorizationDetailsEvidence = {
      users: [],
      groups: [],
      roles: [],
      policies: [],
      organizationAccounts: options.organizationAccounts ? [...options.organizationAccounts] : null,
    };
    try {
      const fetchPage = async (Marker: string | undefined) => {
        const page = await iam.send(
          new GetAccountAuthorizationDetailsCommand({ Filter: ["User", "Group", "Role", "LocalManagedPolicy"], Marker, MaxItems: 1000 }),
          { abortSignal: context.signal },
        );
        return { items: [page], next: page.IsTruncated ? page.Marker : undefined };
      };
      for await (const [page] of pages("GetAccountAuthorizationDetails", fetchPage)) {
        if (!page) continue;
        for (const u of page.UserDetailList ?? []) {
          details.users.push({
            name: u.UserName ?? "",
            arn: u.Arn ?? "",
            groups: u.GroupList ?? [],
            inlinePolicies: inline(u.UserPolicyList),
            attachedPolicies: attached(u.AttachedManagedPolicies),
          });
        }
        for (const g of page.GroupDetailList ?? []) {
          details.groups.push({
            name: g.GroupName ?? "",
            arn: g.Arn ?? "",
            inlinePolicies: inline(g.GroupPolicyList),
            attachedPolicies: attached(g.AttachedManagedPolicies),
          });
        }
        for (const r of page.RoleDetailList ?? []) {
          details.roles.push({
            name: r.RoleName ?? "",
            arn: r.Arn ?? "",
            path: r.Path ?? "/",
            trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument),
            inlinePolicies: inline(r.RolePolicyList),
            attachedPolicies: attached(r.AttachedManagedPolicies),
          });
        }
        for (const p of page.Policies ?? []) {
          details.policies.push({
            name: p.PolicyName ?? "",
            arn: p.Arn ?? "",
            defaultVersionId: p.DefaultVersionId ?? null,
            versions: (p.PolicyVersionList ?? []).map((v) => ({
              versionId: v.VersionId ?? "",
              isDefault: v.IsDefaultVersion === true,
              document: decodePolicyDocument(v.Document),
            })),
          });
        }
      }
    } catch (error) {
      throw new CollectorError(
        { collector: AWS_AUTHORIZATION_COLLECTOR, source: source.name, account, region: "global", apiCall: "GetAccountAuthorizationDetails" },
        describeAwsError(error, "iam:GetAccountAuthorizationDetails"),
        { cause: error },
      );
    } finally {
      iam.destroy();
    }
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region: "global" }, context);
    return [evidence(AUTHORIZATION_EVIDENCE, "GetAccountAuthorizationDetails", authorizationDetailsEvidenceSchema.parse(details))];
  },
};
