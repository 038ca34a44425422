/**
 * AWS IAM Identity Center, one account and region: the instances ListInstances shows there
 * (sso-admin), and for each instance this account owns, its users (identitystore ListUsers,
 * paged, 100 a page). People who sign in through Identity Center are not IAM users, so the
 * credential report never lists them; this is where they are seen.
 *
 * Why per region: an instance lives in one region (its primary region, plus replica regions
 * where it was extended), and ListInstances answers only for the region it is called in; this
 * SDK version has no parameter to list every region's instances at once. One ListInstances per
 * region in scope is the least that finds an instance wherever the source looks. Users are read
 * once per instance: only by its owner account and only in its primary region (AWS gives none
 * for older instances: then wherever it is seen), so a replica region or a member that merely
 * sees the organisation's instance costs no ListUsers.
 *
 * What no API shows, said plainly: no sso-admin or identitystore operation returns a user's MFA
 * devices or the instance's MFA settings, so this collector stores none.
 *
 * The SDK clients are imported when a job runs, so a run that plans no such job never loads them.
 * Fetches and validates; never judges.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import {
  IDENTITY_CENTER_EVIDENCE,
  NOT_OWNED,
  NOT_PRIMARY_REGION,
  identityCenterEvidenceSchema,
  type IdentityCenterInstance,
  type IdentityCenterUser,
} from "../../src/evidence/aws-identity-center.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";
import { loadPackage } from "../load-package.js";

export const AWS_IDENTITY_CENTER_COLLECTOR = "aws.identity-center";

export interface AwsIdentityCenterOptions {
  source: AwsSourceConfig;
  account: string;
  region: string;
  credentials?: AwsCredentials;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

const PERMISSION: Record<string, string> = { ListInstances: "sso:ListInstances", ListUsers: "identitystore:ListUsers" };

export const awsIdentityCenterCollector: CollectorDefinition<AwsIdentityCenterOptions> = {
  name: AWS_IDENTITY_CENTER_COLLECTOR,
  sourceType: "aws",
  produces: [IDENTITY_CENTER_EVIDENCE.users],
  permissions: ["sso:ListInstances", "identitystore:ListUsers"],
  async collect(options, context) {
    const { source, account, region } = options;
    const { SSOAdminClient, ListInstancesCommand } = await loadPackage(import("@aws-sdk/client-sso-admin"));
    const { IdentitystoreClient, ListUsersCommand } = await loadPackage(import("@aws-sdk/client-identitystore"));
    const config = awsClientConfig(source, region, options.credentials, options.retryStrategy);
    const ssoAdmin = new SSOAdminClient(config);
    const identityStore = new IdentitystoreClient(config);
    const call = { abortSignal: context.signal };
    const at = async <T>(apiCall: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        // The message names the IAM action to grant, not only the API call.
        throw new CollectorError(
          { collector: AWS_IDENTITY_CENTER_COLLECTOR, source: source.name, account, region, apiCall },
          describeAwsError(error, PERMISSION[apiCall] ?? apiCall),
          { cause: error },
        );
      }
    };
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region }, context);

    try {
      const listed = await at("ListInstances", () =>
        collectAll("ListInstances", async (NextToken) => {
          const page = await ssoAdmin.send(new ListInstancesCommand({ NextToken, MaxResults: 100 }), call);
          return { items: page.Instances ?? [], next: page.NextToken };
        }),
      );
      const instances: IdentityCenterInstance[] = [];
      for (const instance of listed) {
        if (!instance.InstanceArn || !instance.IdentityStoreId) {
          throw new CollectorError(
            { collector: AWS_IDENTITY_CENTER_COLLECTOR, source: source.name, account, region, apiCall: "ListInstances" },
            "malformed response: an Identity Center instance has no InstanceArn or IdentityStoreId",
          );
        }
        const owner = instance.OwnerAccountId ?? null;
        const primaryRegion = instance.PrimaryRegion ?? null;
        const notListed = owner !== null && owner !== account ? NOT_OWNED : primaryRegion !== null && primaryRegion !== region ? NOT_PRIMARY_REGION : null;
        const identityStoreId = instance.IdentityStoreId;
        const users =
          notListed !== null
            ? null
            : await at("ListUsers", () =>
                collectAll(`ListUsers ${identityStoreId}`, async (NextToken) => {
                  const page = await identityStore.send(new ListUsersCommand({ IdentityStoreId: identityStoreId, NextToken, MaxResults: 100 }), call);
                  return { items: page.Users ?? [], next: page.NextToken };
                }),
              );
        instances.push({
          instanceArn: instance.InstanceArn,
          identityStoreId,
          ownerAccountId: owner,
          name: instance.Name ?? null,
          status: instance.Status ?? null,
          primaryRegion,
          // Kept: who the person is to the organisation and where they come from. Left out: the
          // personal data no check reads (addresses, phone numbers, e-mails, birthdate, photos).
          users:
            users?.map((user): IdentityCenterUser => ({
              userId: user.UserId ?? "",
              userName: user.UserName ?? null,
              displayName: user.DisplayName ?? null,
              userStatus: user.UserStatus ?? null,
              externalIds: (user.ExternalIds ?? []).map((e) => ({ issuer: e.Issuer ?? "", id: e.Id ?? "" })),
              createdAt: user.CreatedAt ? user.CreatedAt.toISOString() : null,
            })) ?? null,
          notListed,
        });
      }
      const parsed = identityCenterEvidenceSchema.safeParse({ instances });
      if (!parsed.success) {
        throw new CollectorError(
          { collector: AWS_IDENTITY_CENTER_COLLECTOR, source: source.name, account, region, apiCall: "ListUsers" },
          `malformed response: ${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        );
      }
      return [evidence(IDENTITY_CENTER_EVIDENCE.users, "ListInstances+ListUsers", parsed.data)];
    } finally {
      ssoAdmin.destroy();
      identityStore.destroy();
    }
  },
};
