/**
 * One configured AWS source: find its accounts (the caller's own, an explicit list, or every
 * ACTIVE account of the AWS Organization), assume the read-only role in each, find the regions
 * ("all" = the regions enabled in that account), and plan the IAM and Config jobs. Each member
 * account is planned by a discovery job of its own, so its jobs start as soon as its role is
 * assumed, whatever the other members' AssumeRole calls are doing. An account whose role cannot
 * be assumed becomes failed jobs for that account: recorded, never skipped.
 *
 * The calls, each needed once: GetCallerIdentity (once per source: the account the credentials
 * reach labels the evidence of a single-account source, tells which listed account needs no role
 * and proves an account listed without one is really that account, and gives the partition for
 * role ARNs; no other call answers this when the credential report fails or a region has no
 * Config data); ListAccounts (organization only); AssumeRole (per member); DescribeRegions (per
 * account, only with `regions: all`). The IAM and Config collectors justify theirs.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { CollectContext, CollectJob, CollectorJob, DiscoveryJob } from "../../src/collect.js";
import type { AwsSourceConfig } from "../../src/config/schema.js";
import type { Evidence, Scope } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { awsClientConfig, describeAwsError, type AwsCredentials } from "./clients.js";
import { awsAuthorizationCollector } from "./authorization.js";
import { awsConfigCollector } from "./config.js";
import { CALLER_IDENTITY_EVIDENCE, awsIamCollector, type AwsIamOptions } from "./iam.js";
import { awsIdentityCenterCollector } from "./identity-center.js";
import { awsInspectorCollector } from "./inspector.js";
import { awsOrganizationsCollector } from "./organizations.js";
import { awsS3AccountCollector } from "./s3-account.js";
import { loadPackage } from "../load-package.js";

export const AWS_DISCOVERY = "aws.discovery";
export const ORGANIZATION_ACCOUNTS_EVIDENCE = "aws.organizations.accounts";
export const ASSUMED_ROLE_EVIDENCE = "aws.sts.assume-role";
export const ENABLED_REGIONS_EVIDENCE = "aws.ec2.enabled-regions";

/** Discovery's own calls, declared like a collector's so the permission policy covers them. */
export const awsDiscovery: Pick<CollectorDefinition<never>, "name" | "sourceType" | "permissions"> = {
  name: AWS_DISCOVERY,
  sourceType: "aws",
  permissions: ["sts:GetCallerIdentity", "organizations:ListAccounts", "sts:AssumeRole", "ec2:DescribeRegions"],
};

interface Target {
  account: string;
  roleArn?: string | undefined;
  externalId?: string | undefined;
  /** The organisation's account ids (ListAccounts), for the authorization evidence; absent without an organization. */
  organizationAccounts?: readonly string[];
}

export interface AwsPlanOptions {
  iam?: Pick<AwsIamOptions, "pollIntervalMs" | "maxWaitMs">;
}

type Discovered = { evidence: Evidence[]; jobs: CollectorJob[] };

/** Collectors planned once per account and region besides AWS Config (their SDKs load only when a job runs). */
const REGION_COLLECTORS = [awsIdentityCenterCollector, awsInspectorCollector] as const;

/** Every evidence kind an account's jobs produce: what its checks lose when planning it fails. */
const ACCOUNT_PRODUCES = [
  ...awsIamCollector.produces,
  ...awsConfigCollector.produces,
  ...REGION_COLLECTORS.flatMap((c) => c.produces),
  ...awsAuthorizationCollector.produces,
  ...awsS3AccountCollector.produces,
];

export function planAwsSource(source: AwsSourceConfig, options: AwsPlanOptions = {}): DiscoveryJob {
  const scope: Scope = { source: source.name, sourceType: "aws", account: "unknown", region: "global" };
  return {
    kind: "discover",
    collector: AWS_DISCOVERY,
    scope,
    // The organisation's evidence too: it is read in the source's own account, planned here.
    produces: [...ACCOUNT_PRODUCES, ...awsOrganizationsCollector.produces],
    sourceConcurrency: source.concurrency,
    discover: (context) => discover(source, options, context),
  };
}

async function discover(source: AwsSourceConfig, options: AwsPlanOptions, context: CollectContext): Promise<Discovered> {
  const call = { abortSignal: context.signal };
  const base = awsClientConfig(source, source.globalRegion);
  const fail = (apiCall: string, error: unknown, account?: string): never => {
    throw new CollectorError({ collector: AWS_DISCOVERY, source: source.name, account, region: "global", apiCall }, describeAwsError(error, apiCall), {
      cause: error,
    });
  };
  const sts = new STSClient(base);
  const identity = await sts
    .send(new GetCallerIdentityCommand({}), call)
    .catch((e: unknown) => fail("GetCallerIdentity", e))
    .finally(() => sts.destroy());
  const callerAccount = identity.Account ?? fail("GetCallerIdentity", new Error("malformed response: no Account"));
  const partition = identity.Arn?.split(":")[1] ?? "aws";
  const evidence: Evidence[] = [];
  const record = (kind: string, apiCall: string, payload: unknown) =>
    evidence.push(evidenceFor({ source: source.name, sourceType: "aws", account: callerAccount, region: "global" }, context)(kind, apiCall, payload));
  record(CALLER_IDENTITY_EVIDENCE, "GetCallerIdentity", { account: callerAccount, arn: identity.Arn ?? null });

  let targets: Target[];
  if (source.organization) {
    const { roleName, externalId } = source.organization;
    // Loaded only for an organization source: a single account never needs the client.
    const { ListAccountsCommand, OrganizationsClient } = await loadPackage(import("@aws-sdk/client-organizations"));
    const organizations = new OrganizationsClient(base);
    try {
      const accounts = await collectAll("ListAccounts", async (NextToken) => {
        const page = await organizations.send(new ListAccountsCommand({ NextToken }), call);
        return { items: page.Accounts ?? [], next: page.NextToken };
      }).catch((e: unknown) => fail("ListAccounts", e, callerAccount));
      record(ORGANIZATION_ACCOUNTS_EVIDENCE, "ListAccounts", {
        accounts: accounts.map((a) => ({ id: a.Id ?? null, name: a.Name ?? null, status: a.Status ?? null })),
      });
      const organizationAccounts = accounts.flatMap((a) => (a.Id ? [a.Id] : []));
      targets = accounts
        .filter((a) => a.Status === "ACTIVE" && a.Id)
        .map((a) => ({ account: a.Id ?? "", roleArn: `arn:${partition}:iam::${a.Id}:role/${roleName}`, externalId, organizationAccounts }));
    } finally {
      organizations.destroy();
    }
  } else if (source.accounts) {
    targets = source.accounts.map((a) => ({ account: a.id, roleArn: a.roleArn, externalId: a.externalId }));
  } else {
    targets = [{ account: callerAccount }];
  }

  // Members are handed to the runner as discovery jobs of their own (AssumeRole, then their
  // regions), first so their roles are assumed early: each one's jobs start when its role is.
  // The caller's own account is read with the caller's credentials, as the management account
  // of an organisation often has no member role; it is planned here.
  const needsRole = (target: Target): target is Target & { roleArn: string } => Boolean(target.roleArn) && target.account !== callerAccount;
  const members = targets.filter(needsRole).map((target) => memberDiscovery(source, target, options));
  const own = await Promise.all(
    targets.flatMap((target, index): Promise<Discovered>[] => {
      if (needsRole(target)) return [];
      if (target.account === callerAccount)
        return [Promise.resolve(planAccount(source, target.account, undefined, options, context, target.organizationAccounts))];
      // Read with the caller's credentials, this account's evidence would carry another account's data.
      const failure = new CollectorError(
        { collector: AWS_DISCOVERY, source: source.name, account: target.account, region: "global", apiCall: "GetCallerIdentity" },
        `accounts[${index}] (${target.account}) has no roleArn, but the source's own credentials reach account ${callerAccount}: set accounts[${index}].roleArn to a role in ${target.account}, or list ${callerAccount}`,
      );
      return [Promise.resolve({ evidence: [], jobs: failedJobs(source, target.account, source.regions === "all" ? ["all"] : source.regions, failure) })];
    }),
  );
  // Organizations is read once, with the source's own credentials (the management account's);
  // without an organization the job records, without a call, that there is none to read.
  const organizationJobs = source.organization || targets.some((t) => t.account === callerAccount) ? [organizationsJob(source, callerAccount)] : [];
  return { evidence: [...evidence, ...own.flatMap((p) => p.evidence)], jobs: [...members, ...own.flatMap((p) => p.jobs), ...organizationJobs] };
}

/** A member account: assume its role, then plan its jobs with the temporary credentials. */
function memberDiscovery(source: AwsSourceConfig, target: Target & { roleArn: string }, options: AwsPlanOptions): DiscoveryJob {
  return {
    kind: "discover",
    collector: AWS_DISCOVERY,
    scope: { source: source.name, sourceType: "aws", account: target.account, region: "global" },
    // Should this job fail outright (a timeout), the account's checks are `error`, not missing.
    produces: ACCOUNT_PRODUCES,
    sourceConcurrency: source.concurrency,
    discover: async (context) => {
      const sts = new STSClient(awsClientConfig(source, source.globalRegion));
      let credentials: AwsCredentials;
      let assumedRoleArn: string | null;
      try {
        const assumed = await sts.send(
          new AssumeRoleCommand({ RoleArn: target.roleArn, RoleSessionName: "isms-agent", ExternalId: target.externalId, DurationSeconds: 3600 }),
          { abortSignal: context.signal },
        );
        const c = assumed.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("malformed response: AssumeRole returned no credentials");
        credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        assumedRoleArn = assumed.AssumedRoleUser?.Arn ?? null;
      } catch (error) {
        const failure = new CollectorError(
          { collector: AWS_DISCOVERY, source: source.name, account: target.account, region: "global", apiCall: "AssumeRole" },
          `cannot assume ${target.roleArn}: ${describeAwsError(error, "AssumeRole")}`,
          { cause: error },
        );
        return { evidence: [], jobs: failedJobs(source, target.account, source.regions === "all" ? ["all"] : source.regions, failure) };
      } finally {
        sts.destroy();
      }
      const assumedEvidence = evidenceFor({ source: source.name, sourceType: "aws", account: target.account, region: "global" }, context)(
        ASSUMED_ROLE_EVIDENCE,
        "AssumeRole",
        { roleArn: target.roleArn, assumedRoleArn },
      );
      const planned = await planAccount(source, target.account, credentials, options, context, target.organizationAccounts);
      return { evidence: [assumedEvidence, ...planned.evidence], jobs: planned.jobs };
    },
  };
}

/** One reachable account's jobs: IAM once, Config per region (listing the enabled ones for "all"). */
async function planAccount(
  source: AwsSourceConfig,
  account: string,
  credentials: AwsCredentials | undefined,
  options: AwsPlanOptions,
  context: CollectContext,
  organizationAccounts?: readonly string[],
): Promise<Discovered> {
  const jobs: CollectorJob[] = [
    iamJob(source, account, credentials, options),
    authorizationJob(source, account, credentials, organizationAccounts),
    s3AccountJob(source, account, credentials),
  ];
  if (source.regions !== "all") {
    for (const region of source.regions) jobs.push(configJob(source, account, region, credentials), ...regionJobs(source, account, region, credentials));
    return { evidence: [], jobs };
  }
  let regions: string[];
  try {
    regions = await enabledRegions(source, credentials, context);
  } catch (error) {
    const failure = new CollectorError(
      { collector: AWS_DISCOVERY, source: source.name, account, region: "all", apiCall: "DescribeRegions" },
      describeAwsError(error, "DescribeRegions"),
      { cause: error },
    );
    return {
      evidence: [],
      jobs: [
        ...jobs,
        failingJob(awsConfigCollector, source, account, "all", failure),
        ...REGION_COLLECTORS.map((c) => failingJob(c, source, account, "all", failure)),
      ],
    };
  }
  for (const region of regions) jobs.push(configJob(source, account, region, credentials), ...regionJobs(source, account, region, credentials));
  const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region: "global" }, context)(ENABLED_REGIONS_EVIDENCE, "DescribeRegions", {
    regions,
  });
  return { evidence: [evidence], jobs };
}

async function enabledRegions(source: AwsSourceConfig, credentials: AwsCredentials | undefined, context: CollectContext): Promise<string[]> {
  // Loaded only with `regions: all`.
  const { DescribeRegionsCommand, EC2Client } = await loadPackage(import("@aws-sdk/client-ec2"));
  const ec2 = new EC2Client(awsClientConfig(source, source.globalRegion, credentials));
  try {
    // AllRegions false: only the regions enabled for this account (opted-in or default).
    const response = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }), { abortSignal: context.signal });
    const names = (response.Regions ?? []).map((r) => r.RegionName).filter((r): r is string => Boolean(r));
    if (names.length === 0) throw new Error("malformed response: DescribeRegions listed no region");
    return names.sort();
  } finally {
    ec2.destroy();
  }
}

/** A job of one collector for one account and region of the source. */
function job(
  collector: { name: string; produces: readonly string[] },
  source: AwsSourceConfig,
  account: string,
  region: string,
  run: CollectJob["run"],
): CollectJob {
  return {
    kind: "collect",
    collector: collector.name,
    scope: { source: source.name, sourceType: "aws", account, region },
    produces: collector.produces,
    sourceConcurrency: source.concurrency,
    run,
  };
}

function iamJob(source: AwsSourceConfig, account: string, credentials: AwsCredentials | undefined, options: AwsPlanOptions): CollectJob {
  return job(awsIamCollector, source, account, "global", (context) =>
    awsIamCollector.collect({ source, account, ...(credentials ? { credentials } : {}), ...options.iam }, context),
  );
}

function authorizationJob(
  source: AwsSourceConfig,
  account: string,
  credentials: AwsCredentials | undefined,
  organizationAccounts?: readonly string[],
): CollectJob {
  return job(awsAuthorizationCollector, source, account, "global", (context) =>
    awsAuthorizationCollector.collect(
      { source, account, ...(credentials ? { credentials } : {}), organizationAccounts: organizationAccounts ?? null },
      context,
    ),
  );
}

function s3AccountJob(source: AwsSourceConfig, account: string, credentials: AwsCredentials | undefined): CollectJob {
  return job(awsS3AccountCollector, source, account, "global", (context) =>
    awsS3AccountCollector.collect({ source, account, ...(credentials ? { credentials } : {}) }, context),
  );
}

function organizationsJob(source: AwsSourceConfig, account: string): CollectJob {
  return job(awsOrganizationsCollector, source, account, "global", (context) => awsOrganizationsCollector.collect({ source, account }, context));
}

/** IAM Identity Center and Amazon Inspector in one region: each answers only for the region it is asked in. */
function regionJobs(source: AwsSourceConfig, account: string, region: string, credentials: AwsCredentials | undefined): CollectJob[] {
  const options = { source, account, region, ...(credentials ? { credentials } : {}) };
  return [
    job(awsIdentityCenterCollector, source, account, region, (context) => awsIdentityCenterCollector.collect(options, context)),
    job(awsInspectorCollector, source, account, region, (context) => awsInspectorCollector.collect(options, context)),
  ];
}

function configJob(source: AwsSourceConfig, account: string, region: string, credentials: AwsCredentials | undefined): CollectJob {
  return job(awsConfigCollector, source, account, region, (context) =>
    awsConfigCollector.collect({ source, account, region, ...(credentials ? { credentials } : {}) }, context),
  );
}

function failingJob(
  collector: { name: string; produces: readonly string[] },
  source: AwsSourceConfig,
  account: string,
  region: string,
  error: Error,
): CollectJob {
  return job(collector, source, account, region, () => Promise.reject(error));
}

/** Every job an account would have had, each failing with why the account could not be reached. */
function failedJobs(source: AwsSourceConfig, account: string, regions: readonly string[], error: Error): CollectJob[] {
  return [
    failingJob(awsIamCollector, source, account, "global", error),
    failingJob(awsAuthorizationCollector, source, account, "global", error),
    failingJob(awsS3AccountCollector, source, account, "global", error),
    ...regions.map((region) => failingJob(awsConfigCollector, source, account, region, error)),
    ...regions.flatMap((region) => REGION_COLLECTORS.map((c) => failingJob(c, source, account, region, error))),
  ];
}
