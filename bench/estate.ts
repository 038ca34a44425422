/**
 * A simulated enterprise estate sized by a scale factor, for the benchmark. At scale 1: 20 AWS
 * accounts × 3 regions with 5,000 IAM users and 20,000 AWS Config evaluations, 20,000 Azure
 * resources in 4 subscriptions with 1,000 Entra users, and a GitHub organisation of 2,000
 * repositories and 1,000 members.
 */
import type { FakeAwsAccount, FakeAwsEstate, FakeConfigRegion, FakeConfigRule } from "../demo/servers/aws.js";
import type { FakeArmResource, FakeAzureEstate } from "../demo/servers/azure.js";
import type { FakeGithubOrg, FakeRepo } from "../demo/servers/github.js";
import { credentialReportRow, DEMO_PASSWORD_POLICY, DEMO_ROOT, renderCredentialReport, type DemoUser } from "../demo/estates/demo.js";

export const BENCH_REGIONS = ["eu-west-1", "us-east-1", "eu-central-1"] as const;
const RULES = [
  { name: "restricted-ssh", identifier: "INCOMING_SSH_DISABLED", resourceType: "AWS::EC2::SecurityGroup", prefix: "sg-" },
  { name: "restricted-common-ports", identifier: "RESTRICTED_INCOMING_TRAFFIC", resourceType: "AWS::EC2::SecurityGroup", prefix: "sg-" },
  { name: "s3-bucket-public-read-prohibited", identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", resourceType: "AWS::S3::Bucket", prefix: "bucket-" },
  { name: "encrypted-volumes", identifier: "ENCRYPTED_VOLUMES", resourceType: "AWS::EC2::Volume", prefix: "vol-" },
] as const;
const AZURE_TYPES = [
  "Microsoft.Network/networkSecurityGroups",
  "Microsoft.Storage/storageAccounts",
  "Microsoft.KeyVault/vaults",
  "Microsoft.Compute/disks",
  "Microsoft.Web/sites",
  "Microsoft.Compute/virtualMachines",
] as const;

export interface EstateSizes {
  scale: number;
  awsAccounts: number;
  awsRegions: number;
  iamUsers: number;
  configRulesPerRegion: number;
  configEvaluations: number;
  azureSubscriptions: number;
  azureResources: number;
  azureTypedResources: Record<string, number>;
  entraUsers: number;
  githubRepos: number;
  githubArchivedRepos: number;
  githubMembers: number;
  githubOwners: number;
  githubMembersWithout2fa: number;
}

export interface BenchEstate {
  aws: FakeAwsEstate;
  azure: FakeAzureEstate;
  github: FakeGithubOrg;
  sizes: EstateSizes;
}

const count = (base: number, scale: number, min = 1) => Math.max(min, Math.round(base * scale));

/**
 * The IAM users of account `a`: a mix of good and bad. Every fifth has no console password, every
 * seventh no MFA (so some console users lack it), every third an access key rotated 0-199 days ago
 * (about half of them older than 90 days).
 */
function benchUsers(a: number, n: number): DemoUser[] {
  return Array.from({ length: n }, (_, u) => ({
    name: `user-${a}-${u}`,
    createdDaysAgo: 100 + (u % 500),
    ...(u % 5 === 0 ? {} : { password: { lastUsedDaysAgo: u % 30, changedDaysAgo: 40 + (u % 60) } }),
    mfa: u % 7 !== 0,
    ...(u % 3 === 0 ? { keys: [{ rotatedDaysAgo: u % 200, lastUsedDaysAgo: u % 10, region: "eu-west-1", service: "s3" }] } : {}),
  }));
}

/** The single-account bench's one region. It has no AWS Config data: the agent makes one Config call there. */
export const SINGLE_ACCOUNT_REGION = "eu-west-1";

/**
 * `--single-account`: one AWS account (the one the credentials reach), one region without AWS
 * Config data, `users` IAM users with the full bench's mix, the demo's password policy.
 */
export function singleAccountEstate(users: number, now: Date): FakeAwsEstate {
  const accountId = "100000000000";
  const iamUsers = benchUsers(0, users);
  return {
    accounts: [
      {
        accountId,
        name: "account-0",
        callerArn: `arn:aws:iam::${accountId}:user/isms-agent`,
        credentialReportCsv: renderCredentialReport([DEMO_ROOT, ...iamUsers].map((u) => credentialReportRow(u, accountId, now))),
        passwordPolicy: DEMO_PASSWORD_POLICY,
        summaryMap: { Users: iamUsers.length, AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
      },
    ],
    enabledRegions: [SINGLE_ACCOUNT_REGION],
  };
}

export function benchEstate(scale: number, now: Date): BenchEstate {
  const awsAccounts = count(20, scale);
  const usersPerAccount = Math.max(1, Math.round(count(5000, scale) / awsAccounts));
  const evaluationsPerRule = Math.max(1, Math.round(count(20_000, scale) / (awsAccounts * BENCH_REGIONS.length * RULES.length)));
  const accounts: FakeAwsAccount[] = [];
  for (let a = 0; a < awsAccounts; a++) {
    const accountId = String(100000000000 + a);
    const users = benchUsers(a, usersPerAccount);
    const config: Record<string, FakeConfigRegion> = {};
    for (const region of BENCH_REGIONS) {
      const rules: FakeConfigRule[] = RULES.map((rule) => ({
        name: rule.name,
        identifier: rule.identifier,
        evaluations: Array.from({ length: evaluationsPerRule }, (_, i) => ({
          resourceType: rule.resourceType,
          resourceId: `${rule.prefix}${a}-${region}-${i}`,
          compliance: i % 11 === 0 ? ("NON_COMPLIANT" as const) : ("COMPLIANT" as const),
        })),
      }));
      config[region] = { recording: true, rules };
    }
    accounts.push({
      accountId,
      name: `account-${a}`,
      callerArn: `arn:aws:iam::${accountId}:user/isms-agent`,
      credentialReportCsv: renderCredentialReport([DEMO_ROOT, ...users].map((u) => credentialReportRow(u, accountId, now))),
      passwordPolicy: DEMO_PASSWORD_POLICY,
      summaryMap: { Users: users.length, AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
      config,
    });
  }

  const azureSubscriptions = 4;
  const azureResources = count(20_000, scale, azureSubscriptions);
  const typed: Record<string, number> = {};
  const subscriptions = Array.from({ length: azureSubscriptions }, (_, s) => {
    const subscriptionId = `00000000-0000-4000-8000-${String(s).padStart(12, "0")}`;
    const resources: FakeArmResource[] = Array.from({ length: Math.round(azureResources / azureSubscriptions) }, (_, i) => {
      const type = AZURE_TYPES[i % AZURE_TYPES.length] ?? "Microsoft.Web/sites";
      typed[type] = (typed[type] ?? 0) + 1;
      const name = `res-${s}-${i}`;
      return {
        id: `/subscriptions/${subscriptionId}/resourceGroups/rg-${i % 20}/providers/${type}/${name}`,
        name,
        type,
        location: "westeurope",
        tags: { owner: `team-${i % 9}` },
        properties: propertiesOf(type, i),
      };
    });
    return { subscriptionId, displayName: `sub-${s}`, resources };
  });
  const entraUsers = count(1000, scale);
  const azure: FakeAzureEstate = {
    tenantId: "11111111-2222-4333-8444-555555555555",
    token: "bench-azure-token-0123456789",
    subscriptions,
    users: Array.from({ length: entraUsers }, (_, i) => ({
      id: `u${i}`,
      userPrincipalName: `user${i}@bench.example`,
      userDisplayName: `User ${i}`,
      isAdmin: i % 50 === 0,
      isMfaRegistered: i % 9 !== 0,
    })),
  };

  const githubRepos = count(2000, scale);
  const githubMembers = count(1000, scale);
  const repos: FakeRepo[] = Array.from({ length: githubRepos }, (_, i) => ({
    name: `repo-${i}`,
    visibility: i % 40 === 0 ? "public" : "private",
    ...(i % 25 === 0 ? { archived: true } : {}),
    defaultBranch: "main",
    securityAndAnalysis: { secret_scanning: { status: i % 4 === 0 ? "disabled" : "enabled" } },
    protection: i % 3 === 0 ? null : { required_pull_request_reviews: { required_approving_review_count: 1 }, enforce_admins: { enabled: true } },
    vulnerabilityAlerts: i % 5 !== 0,
    alerts: i % 10 === 0 ? [{ number: 1, severity: "high", createdDaysAgo: 40, package: "lodash" }] : [],
  }));
  const github: FakeGithubOrg = {
    login: "bench-org",
    token: "ghp_benchtoken0123456789abcdefABCDEF",
    twoFactorRequired: false,
    defaultRepositoryPermission: "read",
    members: Array.from({ length: githubMembers }, (_, i) => ({ login: `dev-${i}`, twoFactor: i % 13 !== 0, ...(i % 100 === 0 ? { owner: true } : {}) })),
    outsideCollaborators: ["contractor-1", "contractor-2"],
    hooks: [],
    repos,
  };

  return {
    aws: { accounts, enabledRegions: [...BENCH_REGIONS] },
    azure,
    github,
    sizes: {
      scale,
      awsAccounts,
      awsRegions: BENCH_REGIONS.length,
      iamUsers: usersPerAccount * awsAccounts,
      configRulesPerRegion: RULES.length,
      configEvaluations: evaluationsPerRule * RULES.length * BENCH_REGIONS.length * awsAccounts,
      azureSubscriptions,
      azureResources: subscriptions.reduce((n, s) => n + s.resources.length, 0),
      azureTypedResources: typed,
      entraUsers,
      githubRepos,
      githubArchivedRepos: repos.filter((r) => r.archived).length,
      githubMembers,
      githubOwners: github.members.filter((m) => m.owner).length,
      githubMembersWithout2fa: github.members.filter((m) => !m.twoFactor).length,
    },
  };
}

function propertiesOf(type: string, i: number): Record<string, unknown> {
  switch (type) {
    case "Microsoft.Network/networkSecurityGroups":
      return {
        securityRules: [
          {
            name: "allow-https",
            properties: { direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "443", priority: 100 },
          },
          ...(i % 17 === 0
            ? [
                {
                  name: "allow-ssh",
                  properties: {
                    direction: "Inbound",
                    access: "Allow",
                    protocol: "Tcp",
                    sourceAddressPrefix: "Internet",
                    destinationPortRange: "22",
                    priority: 110,
                  },
                },
              ]
            : []),
        ],
      };
    case "Microsoft.Storage/storageAccounts":
      return {
        minimumTlsVersion: i % 8 === 0 ? "TLS1_0" : "TLS1_2",
        supportsHttpsTrafficOnly: true,
        allowBlobPublicAccess: i % 10 === 0,
        encryption: { services: { blob: { enabled: true } } },
      };
    case "Microsoft.KeyVault/vaults":
      return { enableSoftDelete: true, enablePurgeProtection: i % 6 !== 0 };
    case "Microsoft.Compute/disks":
      return { encryption: { type: "EncryptionAtRestWithPlatformKey" } };
    default:
      return {};
  }
}
