/**
 * Property-based tests (fast-check) of the promise every check makes: evidence that cannot be
 * read never yields `pass`. They run through the engine's evaluate(), which turns a throwing check
 * into an `error` finding, as a real run does.
 *
 * Each property starts from SEEDS, an estate in which every check passes (a test below proves
 * that), and breaks it: a payload that no longer matches its evidence schema, evidence that is
 * missing, or a value the schema lets through but the vendor never sends. A check that passed on
 * the seed must then say `error` (or `fail`), never `pass`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MANAGED_RULES } from "../../controls/aws-config-rules.js";
import { CHECKS } from "../../controls/registry.js";
import type { Check, CollectorOutcome, Finding, FindingDraft, Scope, SourceType, StoredEvidence } from "../../src/domain.js";
import { FINDING_STATUSES } from "../../src/domain.js";
import { canonicalJson, sha256 } from "../../src/engine/canonical.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { CONFIG_EVIDENCE, recorderStatusEvidenceSchema, rulesEvidenceSchema } from "../../src/evidence/aws-config.js";
import { IAM_EVIDENCE, credentialReportEvidenceSchema, passwordPolicyEvidenceSchema } from "../../src/evidence/aws-iam.js";
import { IDENTITY_CENTER_EVIDENCE, identityCenterEvidenceSchema } from "../../src/evidence/aws-identity-center.js";
import { AUTHORIZATION_EVIDENCE, authorizationDetailsEvidenceSchema } from "../../src/evidence/aws-authorization.js";
import { ORGANIZATIONS_EVIDENCE, organizationTreeEvidenceSchema, serviceControlPoliciesEvidenceSchema } from "../../src/evidence/aws-organizations.js";
import { S3_ACCOUNT_EVIDENCE, accountPublicAccessBlockEvidenceSchema } from "../../src/evidence/aws-s3.js";
import { INSPECTOR_EVIDENCE, accountStatusEvidenceSchema, findingsEvidenceSchema } from "../../src/evidence/aws-inspector.js";
import { AZURE_EVIDENCE, inventoryEvidenceSchema, registrationDetailsEvidenceSchema, typedListEvidenceSchema } from "../../src/evidence/azure.js";
import {
  AZURE_ARM_EVIDENCE,
  activityLogDiagnosticsEvidenceSchema,
  assessmentsEvidenceSchema,
  keyVaultDiagnosticsEvidenceSchema,
  policySummaryEvidenceSchema,
  pricingsEvidenceSchema,
  roleAssignmentsEvidenceSchema as armRoleAssignmentsEvidenceSchema,
  securityContactsEvidenceSchema,
} from "../../src/evidence/azure-arm.js";
import {
  applicationsEvidenceSchema,
  authorizationPolicyEvidenceSchema,
  conditionalAccessEvidenceSchema,
  ENTRA_EVIDENCE,
  managedDevicesEvidenceSchema,
  pimSchedulesEvidenceSchema,
  roleAssignmentsEvidenceSchema,
  usersEvidenceSchema,
} from "../../src/evidence/azure-graph.js";
import {
  GITHUB_EVIDENCE,
  actionsPolicyEvidenceSchema,
  codeScanningAlertsEvidenceSchema,
  installationsEvidenceSchema,
  secretScanningAlertsEvidenceSchema,
  membersEvidenceSchema,
  orgEvidenceSchema,
  orgHooksEvidenceSchema,
  outsideCollaboratorsEvidenceSchema,
  reposEvidenceSchema,
} from "../../src/evidence/github.js";
import { reportFromCsv } from "../helpers.js";

// Each run judges all checks over a whole estate: fewer runs than the parser properties.
const RUNS = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 120) };
const NOW = new Date("2026-11-02T00:00:00Z");

interface Schema {
  safeParse(value: unknown): { success: boolean };
}

/** Every evidence kind a check reads, with the schema the collector writes it in (src/evidence/). */
const SCHEMAS: Record<string, Schema> = {
  [IAM_EVIDENCE.credentialReport]: credentialReportEvidenceSchema,
  [IAM_EVIDENCE.passwordPolicy]: passwordPolicyEvidenceSchema,
  [AUTHORIZATION_EVIDENCE]: authorizationDetailsEvidenceSchema,
  [S3_ACCOUNT_EVIDENCE]: accountPublicAccessBlockEvidenceSchema,
  [ORGANIZATIONS_EVIDENCE.tree]: organizationTreeEvidenceSchema,
  [ORGANIZATIONS_EVIDENCE.serviceControlPolicies]: serviceControlPoliciesEvidenceSchema,
  [CONFIG_EVIDENCE.recorderStatus]: recorderStatusEvidenceSchema,
  [CONFIG_EVIDENCE.rules]: rulesEvidenceSchema,
  [IDENTITY_CENTER_EVIDENCE.users]: identityCenterEvidenceSchema,
  [INSPECTOR_EVIDENCE.accountStatus]: accountStatusEvidenceSchema,
  [INSPECTOR_EVIDENCE.findings]: findingsEvidenceSchema,
  [AZURE_EVIDENCE.inventory]: inventoryEvidenceSchema,
  [AZURE_EVIDENCE.networkSecurityGroups]: typedListEvidenceSchema,
  [AZURE_EVIDENCE.storageAccounts]: typedListEvidenceSchema,
  [AZURE_EVIDENCE.keyVaults]: typedListEvidenceSchema,
  [AZURE_EVIDENCE.sqlServers]: typedListEvidenceSchema,
  [AZURE_EVIDENCE.disks]: typedListEvidenceSchema,
  [AZURE_EVIDENCE.registrationDetails]: registrationDetailsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.roleAssignments]: armRoleAssignmentsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.defenderPlans]: pricingsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.securityContacts]: securityContactsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.assessments]: assessmentsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.activityLogDiagnostics]: activityLogDiagnosticsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.keyVaultDiagnostics]: keyVaultDiagnosticsEvidenceSchema,
  [AZURE_ARM_EVIDENCE.policySummary]: policySummaryEvidenceSchema,
  [ENTRA_EVIDENCE.conditionalAccess]: conditionalAccessEvidenceSchema,
  [ENTRA_EVIDENCE.authorizationPolicy]: authorizationPolicyEvidenceSchema,
  [ENTRA_EVIDENCE.roleAssignments]: roleAssignmentsEvidenceSchema,
  [ENTRA_EVIDENCE.pimSchedules]: pimSchedulesEvidenceSchema,
  [ENTRA_EVIDENCE.users]: usersEvidenceSchema,
  [ENTRA_EVIDENCE.applications]: applicationsEvidenceSchema,
  [ENTRA_EVIDENCE.managedDevices]: managedDevicesEvidenceSchema,
  [GITHUB_EVIDENCE.org]: orgEvidenceSchema,
  [GITHUB_EVIDENCE.members]: membersEvidenceSchema,
  [GITHUB_EVIDENCE.outsideCollaborators]: outsideCollaboratorsEvidenceSchema,
  [GITHUB_EVIDENCE.orgHooks]: orgHooksEvidenceSchema,
  [GITHUB_EVIDENCE.repos]: reposEvidenceSchema,
  [GITHUB_EVIDENCE.actionsPolicy]: actionsPolicyEvidenceSchema,
  [GITHUB_EVIDENCE.codeScanningAlerts]: codeScanningAlertsEvidenceSchema,
  [GITHUB_EVIDENCE.secretScanningAlerts]: secretScanningAlertsEvidenceSchema,
  [GITHUB_EVIDENCE.installations]: installationsEvidenceSchema,
};

const CREDENTIAL_REPORT = [
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2026-10-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
  "alice,arn:aws:iam::123456789012:user/alice,2025-01-01T00:00:00+00:00,true,2026-10-30T00:00:00+00:00,2026-09-01T00:00:00+00:00,N/A,true,true,2026-10-01T00:00:00+00:00,2026-10-31T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
].join("\n");

const azureResource = (type: string, name: string, properties: Record<string, unknown>) => ({
  id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/${type}/${name}`,
  name,
  type,
  location: "westeurope",
  properties,
});

/** Checks that report a gap no API can close (no AWS API shows Identity Center users' MFA): their seed finding is `error`, never `pass`. */
const NEVER_PASSES = new Set(["aws.identity-center.user-mfa"]);

/** An estate in which every check passes (NEVER_PASSES apart). */
const SEEDS: Record<string, unknown> = {
  [IDENTITY_CENTER_EVIDENCE.users]: {
    instances: [
      {
        instanceArn: "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
        identityStoreId: "d-93670a1b2c",
        ownerAccountId: "123456789012",
        name: "acme",
        status: "ACTIVE",
        primaryRegion: "eu-west-1",
        users: [
          {
            userId: "906722b2-4d21-7033-c2a1-4f5a1b2c3d4e",
            userName: "alice",
            displayName: "Alice",
            userStatus: "ENABLED",
            externalIds: [{ issuer: "https://scim.aws.com/1a2b3c4d", id: "00u1abcd" }],
            createdAt: "2026-01-01T00:00:00.000Z",
          },
        ],
        notListed: null,
      },
    ],
  },
  [INSPECTOR_EVIDENCE.accountStatus]: {
    accounts: [
      {
        accountId: "123456789012",
        state: { status: "ENABLED", errorCode: null, errorMessage: null },
        resourceState: Object.fromEntries(["ec2", "ecr", "lambda"].map((t) => [t, { status: "ENABLED", errorCode: null, errorMessage: null }])),
      },
    ],
    failedAccounts: [],
  },
  [INSPECTOR_EVIDENCE.findings]: {
    filter: { awsAccountId: "123456789012", findingStatus: ["ACTIVE"], severity: ["CRITICAL", "HIGH"] },
    findings: [
      {
        findingArn: "arn:aws:inspector2:eu-west-1:123456789012:finding/0a1b2c3d4e5f",
        severity: "HIGH",
        status: "ACTIVE",
        type: "PACKAGE_VULNERABILITY",
        title: "CVE-2026-0001 - openssl",
        vulnerabilityId: "CVE-2026-0001",
        firstObservedAt: "2026-10-30T00:00:00.000Z",
        lastObservedAt: "2026-11-01T00:00:00.000Z",
        fixAvailable: "YES",
        resources: [{ type: "AWS_EC2_INSTANCE", id: "i-0123456789abcdef0" }],
      },
    ],
  },
  [IAM_EVIDENCE.credentialReport]: reportFromCsv(CREDENTIAL_REPORT),
  [IAM_EVIDENCE.passwordPolicy]: {
    passwordPolicy: {
      MinimumPasswordLength: 16,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: false,
      PasswordReusePrevention: 24,
    },
  },
  [AUTHORIZATION_EVIDENCE]: {
    users: [
      {
        name: "alice",
        arn: "arn:aws:iam::123456789012:user/alice",
        groups: ["readers"],
        inlinePolicies: [],
        attachedPolicies: [{ name: "ops", arn: "arn:aws:iam::123456789012:policy/ops" }],
      },
    ],
    groups: [
      {
        name: "readers",
        arn: "arn:aws:iam::123456789012:group/readers",
        inlinePolicies: [{ name: "read", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] } }],
        attachedPolicies: [{ name: "ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      },
    ],
    roles: [
      {
        name: "vendor",
        arn: "arn:aws:iam::123456789012:role/vendor",
        path: "/",
        trustPolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::999988887777:root" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": "agreed" } },
            },
          ],
        },
        inlinePolicies: [],
        attachedPolicies: [],
      },
    ],
    policies: [
      {
        name: "ops",
        arn: "arn:aws:iam::123456789012:policy/ops",
        defaultVersionId: "v1",
        versions: [{ versionId: "v1", isDefault: true, document: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "ec2:*", Resource: "*" } } }],
      },
    ],
    organizationAccounts: ["123456789012", "111111111111"],
  },
  [S3_ACCOUNT_EVIDENCE]: { publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } },
  [ORGANIZATIONS_EVIDENCE.tree]: {
    organization: {
      roots: [{ id: "r-1", name: "Root", policyTypes: [{ type: "SERVICE_CONTROL_POLICY", status: "ENABLED" }] }],
      organizationalUnits: [{ id: "ou-prod", name: "Production", parentId: "r-1" }],
      accounts: [
        { id: "111111111111", arn: "arn:aws:organizations::999999999999:account/o-abc/111111111111", name: "shop-prod", status: "ACTIVE", parentId: "ou-prod" },
      ],
    },
  },
  [ORGANIZATIONS_EVIDENCE.serviceControlPolicies]: {
    organization: {
      policies: [
        { id: "p-FullAWSAccess", name: "FullAWSAccess", awsManaged: true, targets: [{ targetId: "r-1", type: "ROOT", name: "Root" }] },
        { id: "p-guard", name: "guardrails", awsManaged: false, targets: [{ targetId: "ou-prod", type: "ORGANIZATIONAL_UNIT", name: "Production" }] },
      ],
    },
  },
  [CONFIG_EVIDENCE.recorderStatus]: { recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] },
  [CONFIG_EVIDENCE.rules]: {
    rules: [
      // One managed rule per Config-based check, and one custom rule.
      ...[...new Map(MANAGED_RULES.map((m) => [m.check, m])).values()].map((m) => ({ name: m.name, sourceIdentifier: m.identifier, owner: "AWS" })),
      { name: "tagging-policy", sourceIdentifier: "arn:aws:lambda:eu-west-1:123456789012:function:tagging", owner: "CUSTOM_LAMBDA" },
    ].map((rule, i) => ({
      ...rule,
      state: "ACTIVE",
      compliance: "COMPLIANT",
      evaluations: [
        { resourceType: "AWS::S3::Bucket", resourceId: `bucket-${i}`, compliance: "COMPLIANT", annotation: null, recordedAt: "2026-11-01T00:00:00.000Z" },
      ],
    })),
  },
  [AZURE_EVIDENCE.inventory]: {
    resources: [
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/data",
        name: "data",
        type: "Microsoft.Storage/storageAccounts",
        location: "westeurope",
        tags: { owner: "platform", "data-classification": "internal" },
      },
    ],
  },
  [AZURE_EVIDENCE.networkSecurityGroups]: {
    resources: [
      azureResource("Microsoft.Network/networkSecurityGroups", "web", {
        securityRules: [
          { name: "deny-ssh", properties: { access: "Deny", direction: "Inbound", sourceAddressPrefix: "*", destinationPortRange: "22" } },
          {
            name: "allow-https",
            properties: { access: "Allow", direction: "Inbound", sourceAddressPrefix: "Internet", destinationPortRanges: ["443", "8443-8444"] },
          },
          {
            name: "allow-ssh-office",
            properties: { access: "Allow", direction: "Inbound", sourceAddressPrefix: "203.0.113.0/24", destinationPortRange: "22" },
          },
        ],
      }),
    ],
  },
  [AZURE_EVIDENCE.storageAccounts]: {
    resources: [
      azureResource("Microsoft.Storage/storageAccounts", "data", { supportsHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false }),
    ],
  },
  [AZURE_EVIDENCE.keyVaults]: { resources: [azureResource("Microsoft.KeyVault/vaults", "kv", { enableSoftDelete: true, enablePurgeProtection: true })] },
  [AZURE_EVIDENCE.sqlServers]: { resources: [azureResource("Microsoft.Sql/servers", "sql", { publicNetworkAccess: "Disabled", minimalTlsVersion: "1.2" })] },
  [AZURE_EVIDENCE.disks]: { resources: [azureResource("Microsoft.Compute/disks", "os", { encryption: { type: "EncryptionAtRestWithPlatformKey" } })] },
  [AZURE_ARM_EVIDENCE.roleAssignments]: {
    assignments: [
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleAssignments/ra1",
        name: "ra1",
        properties: {
          roleDefinitionId:
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          principalId: "g1",
          principalType: "Group",
          scope: "/subscriptions/00000000-0000-0000-0000-000000000000",
        },
      },
    ],
  },
  [AZURE_ARM_EVIDENCE.defenderPlans]: {
    pricings: ["VirtualMachines", "StorageAccounts", "SqlServers", "KeyVaults", "Containers", "Arm"].map((name) => ({
      id: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Security/pricings/${name}`,
      name,
      properties: { pricingTier: "Standard", ...(name === "StorageAccounts" ? { extensions: [{ name: "OnUploadMalwareScanning", isEnabled: "True" }] } : {}) },
    })),
  },
  [AZURE_ARM_EVIDENCE.securityContacts]: {
    contacts: [
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Security/securityContacts/default",
        name: "default",
        properties: { isEnabled: true, emails: "security@example.com", notificationsSources: [{ sourceType: "Alert", minimalSeverity: "High" }] },
      },
    ],
  },
  [AZURE_ARM_EVIDENCE.assessments]: {
    assessments: [
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f",
        name: "1195afff-c881-495e-9bc5-1486211ae03f",
        properties: {
          resourceDetails: {
            Source: "Azure",
            Id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
          },
          status: { code: "Healthy" },
        },
      },
    ],
  },
  [AZURE_ARM_EVIDENCE.activityLogDiagnostics]: {
    settings: [{ id: "ds", name: "ds", properties: { workspaceId: "/subscriptions/x/workspaces/w", logs: [{ categoryGroup: "allLogs", enabled: true }] } }],
  },
  [AZURE_ARM_EVIDENCE.keyVaultDiagnostics]: {
    vaults: [
      {
        id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        name: "kv",
        settings: [{ id: "ds", name: "ds", properties: { workspaceId: "/subscriptions/x/workspaces/w", logs: [{ category: "AuditEvent", enabled: true }] } }],
      },
    ],
  },
  [AZURE_ARM_EVIDENCE.policySummary]: {
    summaries: [
      {
        results: { nonCompliantResources: 0, nonCompliantPolicies: 0 },
        policyAssignments: [
          { policyAssignmentId: "/subscriptions/x/providers/microsoft.authorization/policyassignments/a", results: { nonCompliantResources: 0 } },
        ],
      },
    ],
  },
  [AZURE_EVIDENCE.registrationDetails]: {
    users: [{ id: "u1", userPrincipalName: "alice@example.com", userDisplayName: "Alice", isAdmin: true, isMfaRegistered: true, userType: "member" }],
  },
  // Entra ID (Graph): every user required MFA, blocked from legacy auth and held to compliant devices; two Global Administrators, one via PIM.
  [ENTRA_EVIDENCE.conditionalAccess]: {
    securityDefaults: { isEnabled: false },
    policies: [
      ["mfa", ["all"], ["mfa"]],
      ["legacy", ["exchangeActiveSync", "other"], ["block"]],
      ["device", ["all"], ["compliantDevice", "domainJoinedDevice"]],
    ].map(([id, clientAppTypes, builtInControls]) => ({
      id,
      displayName: `policy ${String(id)}`,
      state: "enabled",
      conditions: {
        users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
        applications: { includeApplications: ["All"], excludeApplications: [] },
        clientAppTypes,
        platforms: null,
        locations: null,
        userRiskLevels: [],
        signInRiskLevels: [],
      },
      grantControls: { operator: "OR", builtInControls, authenticationStrength: null },
    })),
  },
  [ENTRA_EVIDENCE.authorizationPolicy]: {
    policy: { id: "authorizationPolicy", allowInvitesFrom: "adminsAndGuestInviters", guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3" },
  },
  [ENTRA_EVIDENCE.roleAssignments]: {
    assignments: ["u1", "u2"].map((id) => ({
      id: `ra-${id}`,
      principalId: id,
      roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      directoryScopeId: "/",
      principal: { "@odata.type": "#microsoft.graph.user", id, displayName: id, userPrincipalName: `${id}@example.com` },
    })),
  },
  [ENTRA_EVIDENCE.pimSchedules]: {
    eligibilitySchedules: [
      { id: "es-u2", principalId: "u2", roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/", status: "Provisioned" },
    ],
    assignmentSchedules: [
      {
        id: "ra-u2",
        principalId: "u2",
        roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
        directoryScopeId: "/",
        assignmentType: "Activated",
        scheduleInfo: { startDateTime: "2026-11-01T08:00:00Z", expiration: { type: "afterDateTime", endDateTime: "2026-11-02T16:00:00Z" } },
      },
    ],
  },
  [ENTRA_EVIDENCE.users]: {
    users: ["u1", "u2"].map((id) => ({
      id,
      userPrincipalName: `${id}@example.com`,
      displayName: id,
      userType: "Member",
      accountEnabled: true,
      createdDateTime: "2025-01-01T00:00:00Z",
      signInActivity: { lastSignInDateTime: "2026-10-30T09:00:00Z", lastNonInteractiveSignInDateTime: null },
    })),
  },
  [ENTRA_EVIDENCE.applications]: {
    applications: [
      {
        id: "app1",
        appId: "00000000-0000-0000-0000-0000000000a1",
        displayName: "portal",
        passwordCredentials: [{ keyId: "k1", displayName: "s1", startDateTime: "2026-09-01T00:00:00Z", endDateTime: "2027-03-01T00:00:00Z" }],
        keyCredentials: [
          { keyId: "k2", displayName: "c1", startDateTime: "2026-06-01T00:00:00Z", endDateTime: "2027-05-01T00:00:00Z", type: "AsymmetricX509Cert" },
        ],
      },
    ],
  },
  [ENTRA_EVIDENCE.managedDevices]: {
    devices: [
      {
        id: "d1",
        deviceName: "LAPTOP-1",
        operatingSystem: "Windows",
        complianceState: "compliant",
        isEncrypted: true,
        lastSyncDateTime: "2026-11-01T00:00:00Z",
      },
    ],
  },
  [GITHUB_EVIDENCE.org]: { login: "acme", two_factor_requirement_enabled: true, default_repository_permission: "read" },
  [GITHUB_EVIDENCE.members]: {
    members: [
      { login: "alice", id: 1 },
      { login: "carol", id: 2 },
    ],
    owners: [{ login: "alice", id: 1 }],
    twoFactorDisabled: [],
  },
  [GITHUB_EVIDENCE.outsideCollaborators]: { collaborators: [{ login: "bob", id: 3 }] },
  [GITHUB_EVIDENCE.orgHooks]: { hooks: [{ id: 7, name: "web", active: true, config: { url: "https://hooks.example.com/isms?token=x", insecure_ssl: "0" } }] },
  [GITHUB_EVIDENCE.actionsPolicy]: {
    permissions: { enabled_repositories: "all", allowed_actions: "local_only" },
    workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: false },
  },
  [GITHUB_EVIDENCE.codeScanningAlerts]: {
    alerts: [
      { number: 1, state: "open", created_at: "2026-10-30T00:00:00Z", rule: { id: "js/xss", security_severity_level: "high" }, repository: { name: "api" } },
    ],
  },
  [GITHUB_EVIDENCE.secretScanningAlerts]: {
    alerts: [{ number: 2, state: "resolved", created_at: "2026-10-01T00:00:00Z", secret_type: "github_personal_access_token", repository: { name: "api" } }],
  },
  [GITHUB_EVIDENCE.installations]: {
    installations: [{ id: 1, app_slug: "ci-bot", repository_selection: "selected", permissions: { contents: "read", metadata: "read" } }],
  },
  [GITHUB_EVIDENCE.repos]: {
    repos: [
      {
        repository: {
          name: "api",
          archived: false,
          visibility: "private",
          private: true,
          default_branch: "main",
          security_and_analysis: { secret_scanning: { status: "enabled" }, secret_scanning_push_protection: { status: "enabled" } },
        },
        empty: false,
        protection: null,
        rules: [
          {
            type: "pull_request",
            parameters: {
              required_approving_review_count: 1,
              dismiss_stale_reviews_on_push: true,
              require_code_owner_review: true,
              require_last_push_approval: true,
            },
            ruleset_id: 42,
          },
          { type: "required_status_checks", parameters: { required_status_checks: [{ context: "ci" }] }, ruleset_id: 42 },
          { type: "non_fast_forward", ruleset_id: 42 },
          { type: "deletion", ruleset_id: 42 },
        ],
        rulesets: [{ id: 42, name: "main", enforcement: "active", bypass_actors: [] }],
        environments: [{ name: "production", protection_rules: [{ type: "required_reviewers", reviewers: [{ type: "User" }] }] }],
        codeScanningAnalyses: [{ id: 9, created_at: "2026-10-30T00:00:00Z", tool: { name: "CodeQL" } }],
        hooks: [],
        deployKeys: [{ id: 1, title: "ci", read_only: true }],
        vulnerabilityAlertsEnabled: true,
        dependabotAlerts: [
          {
            number: 1,
            state: "open",
            created_at: "2026-10-30T00:00:00Z",
            security_advisory: { severity: "critical" },
            dependency: { package: { name: "lodash" } },
          },
        ],
        collaborators: [{ login: "bob", id: 3, permissions: { admin: false, push: true } }],
      },
    ],
  },
};

const KINDS = [...new Set(CHECKS.flatMap((c) => c.requires))].sort();
const SOURCE_OF_KIND = new Map<string, SourceType>(CHECKS.flatMap((c) => c.requires.map((k) => [k, c.sourceType] as const)));
const SCOPES: Record<SourceType, Scope> = {
  aws: { source: "prod", sourceType: "aws", account: "123456789012", region: "eu-west-1" },
  azure: { source: "tenant", sourceType: "azure", account: "00000000-0000-0000-0000-000000000000", region: "global" },
  github: { source: "gh", sourceType: "github", account: "acme", region: "global" },
};

function scopeOf(kind: string): Scope {
  const sourceType = SOURCE_OF_KIND.get(kind);
  if (!sourceType) throw new Error(`no check reads evidence of kind ${kind}`);
  return SCOPES[sourceType];
}

function record(kind: string, payload: unknown, id: number): StoredEvidence {
  return { ...scopeOf(kind), kind, apiCall: kind, collectedAt: "2026-11-01T00:00:00.000Z", payload, id, sha256: sha256(canonicalJson(payload ?? null)) };
}

/** Runs every check through the engine over the given payloads (kind → payload); findings by check id. */
function judge(payloads: ReadonlyMap<string, unknown>, outcomes: CollectorOutcome[] = [], checks: readonly Check[] = CHECKS): Map<string, Finding[]> {
  const evidence = [...payloads].map(([kind, payload], i) => record(kind, payload, i + 1));
  const findings = evaluate({ checks, evidence, outcomes, settings: new Map(), now: NOW });
  const byCheck = new Map<string, Finding[]>(checks.map((c) => [c.id, []]));
  for (const f of findings) byCheck.get(f.checkId)?.push(f);
  return byCheck;
}

const seeded = () => new Map(KINDS.map((k) => [k, structuredClone(SEEDS[k])]));
const valid = (kind: string, payload: unknown) => SCHEMAS[kind]?.safeParse(payload).success === true;

// ── Breaking a payload: a path into it, and what happens there ────────────────────────────────

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => pathsOf(v, [...at, i])));
  if (value !== null && typeof value === "object") return here.concat(Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k])));
  return here;
}

type Edit = { op: "set"; value: unknown } | { op: "delete" } | { op: "retype" } | { op: "nearMiss"; suffix: string };

/** The value of another JSON type with the same content, as a careless API or a bug would send it. */
function retype(value: unknown): unknown {
  if (typeof value === "string") return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value === "true" || value === "false" ? value === "true" : [value];
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return String(value);
  if (value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (typeof value === "object") return Object.values(value);
  return null;
}

function apply(value: unknown, edit: Edit): unknown {
  switch (edit.op) {
    case "set":
      return edit.value;
    case "delete":
      return undefined;
    case "retype":
      return retype(value);
    case "nearMiss":
      return typeof value === "string" ? `${value.toUpperCase()}${edit.suffix}` : value;
  }
}

/** A copy of `root` with `edit` applied at `path` (deleting the key or array element for "delete"). */
function editAt(root: unknown, path: Path, edit: Edit): unknown {
  if (path.length === 0) return apply(root, edit);
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (edit.op === "delete") {
    if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
    else delete parent[last];
  } else {
    parent[last] = apply(parent[last], edit);
  }
  return copy;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.anything({ maxDepth: 2 })) }),
  fc.constant<Edit>({ op: "delete" }),
  fc.constant<Edit>({ op: "retype" }),
  fc.record({ op: fc.constant("nearMiss" as const), suffix: fc.constantFrom("", " ", "x") }),
);

/** One to four edits, each at a random place in the payload of a random kind; or a whole payload of another kind. */
const brokenEstate = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...KINDS), fc.nat(), edit).map(([kind, at, e]) => ({ kind, at, edit: e })),
      fc
        .tuple(fc.constantFrom(...KINDS), fc.constantFrom(...KINDS))
        .map(([kind, other]) => ({ kind, at: 0, edit: { op: "set", value: structuredClone(SEEDS[other]) } as Edit })),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    const payloads = seeded();
    for (const { kind, at, edit: e } of edits) {
      const paths = pathsOf(payloads.get(kind));
      payloads.set(kind, editAt(payloads.get(kind), paths[at % paths.length] ?? [], e));
    }
    return payloads;
  });

describe("property: checks on broken evidence", () => {
  it("the seed estate is all good: every check yields findings, all pass (so what follows can fail)", () => {
    expect(Object.keys(SEEDS).sort()).toEqual(KINDS);
    for (const kind of KINDS) expect(valid(kind, SEEDS[kind]), `seed of ${kind} matches its schema`).toBe(true);
    for (const [checkId, findings] of judge(seeded())) {
      expect(findings.length, `${checkId} judged something`).toBeGreaterThan(0);
      const good = NEVER_PASSES.has(checkId) ? "error" : "pass";
      expect(findings.filter((f) => f.status !== good).map((f) => `${checkId}: ${f.status}: ${f.reason}`)).toEqual([]);
    }
  });

  it("a payload that does not match its evidence schema gives its checks only `error` findings naming that evidence, never `pass`", () => {
    let judgedBroken = 0;
    fc.assert(
      fc.property(brokenEstate, (payloads) => {
        for (const [checkId, findings] of judge(payloads)) {
          for (const f of findings) {
            expect(FINDING_STATUSES).toContain(f.status);
            expect(f.reason.length).toBeGreaterThan(0);
          }
          const check = CHECKS.find((c) => c.id === checkId);
          const broken = (check?.requires ?? []).filter((kind) => !valid(kind, payloads.get(kind)));
          if (broken.length === 0) continue;
          if (findings.length > 0) judgedBroken++;
          for (const f of findings) {
            expect(f.status, `${checkId} on broken ${broken.join(", ")}: ${f.reason}`).toBe("error");
            expect(
              broken.some((kind) => f.reason.includes(kind)),
              `${checkId}'s reason names the broken evidence: ${f.reason}`,
            ).toBe(true);
          }
        }
      }),
      RUNS,
    );
    // The generator must actually reach checks with broken evidence, or the property says nothing.
    expect(judgedBroken).toBeGreaterThan(RUNS.numRuns / 2);
  });

  it("arbitrary values in place of whole payloads (fc.anything) never yield `pass` unless they match the schema", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KINDS), fc.oneof(fc.anything({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 })), { minKeys: 1, maxKeys: KINDS.length }),
        (replaced) => {
          const payloads = seeded();
          for (const [kind, payload] of Object.entries(replaced)) payloads.set(kind, payload);
          for (const [checkId, findings] of judge(payloads)) {
            const check = CHECKS.find((c) => c.id === checkId);
            if ((check?.requires ?? []).every((kind) => valid(kind, payloads.get(kind)))) continue;
            expect(findings.filter((f) => f.status !== "error").map((f) => `${checkId}: ${f.status}: ${f.reason}`)).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("missing evidence never yields `pass`: through the engine it is `error` (or nothing when the scope has none at all), and a check handed a view without it throws or does not pass", () => {
    fc.assert(
      fc.property(fc.subarray(KINDS), fc.subarray(KINDS), (present, failedKinds) => {
        const payloads = new Map(present.map((k) => [k, structuredClone(SEEDS[k])]));
        // A collector that failed for some kinds that are absent, as the runner records it.
        const outcomes: CollectorOutcome[] = failedKinds
          .filter((k) => !present.includes(k))
          .map((k) => ({
            ...scopeOf(k),
            collector: `collector:${k}`,
            status: "error",
            error: "connection reset",
            startedAt: "",
            finishedAt: "",
            produces: [k],
          }));
        const results = judge(payloads, outcomes);
        for (const check of CHECKS) {
          const missing = check.requires.filter((k) => !present.includes(k));
          if (missing.length === 0) continue;
          const findings = results.get(check.id) ?? [];
          expect(findings.filter((f) => f.status !== "error").map((f) => `${check.id}: ${f.status}: ${f.reason}`)).toEqual([]);
          const touched = check.requires.some((k) => present.includes(k) || outcomes.some((o) => o.produces.includes(k)));
          expect(findings.length > 0, `${check.id} reports its missing ${missing.join(", ")}`).toBe(touched);

          // The check itself, without the engine's guard: it must not make up a pass.
          const records = new Map([...payloads].map(([kind, payload], i) => [kind, record(kind, payload, i + 1)]));
          const direct = attempt(() =>
            check.evaluate({ evidence: { scope: SCOPES[check.sourceType], get: (kind) => records.get(kind) }, now: NOW, settings: {} }),
          );
          expect(direct.drafts.filter((d) => d.status === "pass").map((d) => `${check.id}: ${d.reason}`)).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});

// ── Values the schema lets through (a string, an unknown record) but the vendor never sends ────

interface Unreadable {
  check: string;
  kind: string;
  path: Path;
  /** Values of the type the schema allows... */
  values: fc.Arbitrary<unknown>;
  /** ...of which these are the ones the vendor documents (a check may pass or fail on them). */
  documented(value: unknown): boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const oneOf =
  (...allowed: unknown[]) =>
  (value: unknown) =>
    allowed.includes(value);
/** Random text, and near misses built around a documented value ("Public", "xTLS1_2", "TLS1_2 "). */
const textAround = (...documented: string[]) =>
  fc.oneof(
    fc.string(),
    fc.tuple(fc.string({ maxLength: 3 }), fc.constantFrom(...documented), fc.string({ maxLength: 3 })).map(([a, v, b]) => a + v + b),
    fc.constantFrom(...documented).map((v) => v.toUpperCase()),
    fc.constantFrom(...documented).map((v) => v.charAt(0).toUpperCase() + v.slice(1).toLowerCase()),
  );
/** "TLS1_2" (storage), "1.2" (SQL); not "SSL3_0", "TLS1_0_or_later" or "v1.2-beta". */
const tlsAsWritten = (value: unknown) => typeof value === "string" && /^\s*(TLS)?\d[._]\d\s*$/i.test(value);
const nsgRule = (field: string): Path => ["resources", 0, "properties", "securityRules", 0, "properties", field];
const repo = (...path: Path): Path => ["repos", 0, ...path];

const INSPECTOR_STATUSES = ["ENABLED", "ENABLING", "DISABLED", "DISABLING", "SUSPENDED", "SUSPENDING"];

const UNREADABLE: Unreadable[] = [
  // A trusted principal must read as an account, "*" or a deleted principal's id, never vanish into a pass.
  {
    check: "aws.iam.cross-account-trust",
    kind: AUTHORIZATION_EVIDENCE,
    path: ["roles", 0, "trustPolicy", "Statement", 0, "Principal", "AWS"],
    values: textAround("arn:aws:iam::999988887777:root", "999988887777"),
    documented: (v) =>
      typeof v === "string" && (/^\d{12}$/.test(v) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:/.test(v) || /^A[A-Z]{3}[A-Z0-9]{12,}$/.test(v) || v === "*"),
  },
  {
    check: "aws.organizations.scp-guardrails",
    kind: ORGANIZATIONS_EVIDENCE.tree,
    path: ["organization", "accounts", 0, "status"],
    values: textAround("ACTIVE", "SUSPENDED"),
    documented: oneOf("ACTIVE", "SUSPENDED", "PENDING_CLOSURE"),
  },
  {
    check: "aws.organizations.environment-separation",
    kind: ORGANIZATIONS_EVIDENCE.tree,
    path: ["organization", "accounts", 0, "status"],
    values: textAround("ACTIVE", "SUSPENDED"),
    documented: oneOf("ACTIVE", "SUSPENDED", "PENDING_CLOSURE"),
  },
  {
    check: "azure.rbac.privileged-roles-via-groups",
    kind: AZURE_ARM_EVIDENCE.roleAssignments,
    path: ["assignments", 0, "properties", "principalType"],
    values: fc.oneof(textAround("Group", "ServicePrincipal"), fc.constant(null)),
    documented: oneOf("User", "Group", "ServicePrincipal", "ForeignGroup", "Device"),
  },
  {
    check: "azure.defender.servers-plan",
    kind: AZURE_ARM_EVIDENCE.defenderPlans,
    path: ["pricings", 0, "properties", "pricingTier"],
    values: textAround("Standard", "Free"),
    documented: oneOf("Standard", "Free"),
  },
  {
    check: "azure.defender.storage-malware-scanning",
    kind: AZURE_ARM_EVIDENCE.defenderPlans,
    path: ["pricings", 1, "properties", "extensions", 0, "isEnabled"],
    values: textAround("True", "False"),
    documented: oneOf("True", "False"),
  },
  {
    check: "azure.defender.security-contacts",
    kind: AZURE_ARM_EVIDENCE.securityContacts,
    path: ["contacts", 0, "properties", "notificationsSources", 0, "minimalSeverity"],
    values: fc.oneof(textAround("High", "Medium", "Low"), fc.constant(null)),
    documented: oneOf("High", "Medium", "Low"),
  },
  {
    check: "azure.defender.vulnerability-findings",
    kind: AZURE_ARM_EVIDENCE.assessments,
    path: ["assessments", 0, "properties", "status", "code"],
    values: textAround("Healthy", "Unhealthy", "NotApplicable"),
    documented: oneOf("Healthy", "Unhealthy", "NotApplicable"),
  },
  {
    check: "github.org.actions-allowed",
    kind: GITHUB_EVIDENCE.actionsPolicy,
    path: ["permissions", "allowed_actions"],
    values: textAround("local_only", "selected", "all"),
    documented: oneOf("all", "local_only", "selected"),
  },
  {
    check: "github.org.workflow-token-read-only",
    kind: GITHUB_EVIDENCE.actionsPolicy,
    path: ["workflow", "default_workflow_permissions"],
    values: textAround("read", "write"),
    documented: oneOf("read", "write"),
  },
  {
    check: "github.repo.code-scanning-alerts",
    kind: GITHUB_EVIDENCE.codeScanningAlerts,
    path: ["alerts", 0, "rule", "security_severity_level"],
    values: textAround("critical", "high"),
    documented: oneOf("low", "medium", "high", "critical"),
  },
  {
    check: "github.repo.code-scanning-alerts",
    kind: GITHUB_EVIDENCE.codeScanningAlerts,
    path: ["alerts", 0, "created_at"],
    values: fc.oneof(
      textAround("2026-10-30T00:00:00Z", "yesterday"),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    ),
    documented: (v) => typeof v === "string" && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)),
  },
  {
    check: "github.org.app-installations",
    kind: GITHUB_EVIDENCE.installations,
    path: ["installations", 0, "repository_selection"],
    values: textAround("selected", "all"),
    documented: oneOf("all", "selected"),
  },
  {
    check: "github.repo.secret-scanning-alerts",
    kind: GITHUB_EVIDENCE.secretScanningAlerts,
    path: ["alerts", 0, "state"],
    values: textAround("resolved", "open"),
    documented: oneOf("open", "resolved"),
  },
  {
    check: "aws.inspector.findings-sla",
    kind: INSPECTOR_EVIDENCE.findings,
    path: ["findings", 0, "severity"],
    values: textAround("CRITICAL", "HIGH"),
    documented: oneOf("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"),
  },
  {
    check: "aws.inspector.findings-sla",
    kind: INSPECTOR_EVIDENCE.findings,
    path: ["findings", 0, "status"],
    values: textAround("ACTIVE", "CLOSED"),
    documented: oneOf("ACTIVE", "SUPPRESSED", "CLOSED"),
  },
  {
    check: "aws.inspector.findings-sla",
    kind: INSPECTOR_EVIDENCE.findings,
    path: ["findings", 0, "firstObservedAt"],
    values: fc.oneof(
      textAround("2026-10-30T00:00:00.000Z"),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    ),
    documented: (v) => typeof v === "string" && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)),
  },
  {
    check: "aws.inspector.scanning-enabled",
    kind: INSPECTOR_EVIDENCE.accountStatus,
    path: ["accounts", 0, "resourceState", "ec2", "status"],
    values: textAround(...INSPECTOR_STATUSES),
    documented: oneOf(...INSPECTOR_STATUSES),
  },
  {
    check: "aws.identity-center.users-known",
    kind: IDENTITY_CENTER_EVIDENCE.users,
    path: ["instances", 0, "users", 0, "userStatus"],
    values: textAround("ENABLED", "DISABLED"),
    documented: oneOf("ENABLED", "DISABLED"),
  },
  {
    check: "github.repo.dependabot",
    kind: GITHUB_EVIDENCE.repos,
    path: repo("dependabotAlerts", 0, "created_at"),
    values: fc.oneof(
      textAround("2026-10-30T00:00:00Z", "yesterday"),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    ),
    documented: (v) => typeof v === "string" && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)),
  },
  {
    check: "github.repo.dependabot",
    kind: GITHUB_EVIDENCE.repos,
    path: repo("dependabotAlerts", 0, "security_advisory", "severity"),
    values: textAround("critical", "high"),
    documented: (v) => typeof v === "string" && /^(low|medium|high|critical)$/i.test(v),
  },
  {
    check: "github.repo.default-branch-protected",
    kind: GITHUB_EVIDENCE.repos,
    path: repo("rules", 0, "parameters", "required_approving_review_count"),
    values: fc.oneof(fc.string(), fc.constantFrom("2", "1", "one"), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.jsonValue({ maxDepth: 1 })),
    documented: (v) => typeof v === "number" && Number.isInteger(v) && v >= 0,
  },
  {
    check: "github.repo.public-visibility",
    kind: GITHUB_EVIDENCE.repos,
    path: repo("repository", "visibility"),
    values: textAround("private", "internal", "public"),
    documented: oneOf("public", "private", "internal"),
  },
  {
    check: "github.repo.secret-scanning",
    kind: GITHUB_EVIDENCE.repos,
    path: repo("repository", "security_and_analysis", "secret_scanning", "status"),
    values: textAround("enabled", "disabled"),
    documented: oneOf("enabled", "disabled"),
  },
  {
    check: "github.org.webhooks-tls",
    kind: GITHUB_EVIDENCE.orgHooks,
    path: ["hooks", 0, "config", "insecure_ssl"],
    values: fc.oneof(textAround("0", "1"), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    documented: oneOf("0", "1", 0, 1),
  },
  {
    check: "github.org.default-permission",
    kind: GITHUB_EVIDENCE.org,
    path: ["default_repository_permission"],
    values: textAround("read", "none", "write"),
    documented: oneOf("none", "read", "write", "admin"),
  },
  {
    check: "azure.storage.min-tls-1-2",
    kind: AZURE_EVIDENCE.storageAccounts,
    path: ["resources", 0, "properties", "minimumTlsVersion"],
    values: fc.oneof(textAround("TLS1_2", "TLS1_3", "SSL3_0"), fc.jsonValue({ maxDepth: 1 })),
    documented: tlsAsWritten,
  },
  {
    check: "azure.sql.min-tls-1-2",
    kind: AZURE_EVIDENCE.sqlServers,
    path: ["resources", 0, "properties", "minimalTlsVersion"],
    values: fc.oneof(textAround("1.2", "1.3", "3.0"), fc.jsonValue({ maxDepth: 1 })),
    documented: tlsAsWritten,
  },
  {
    check: "azure.storage.https-only",
    kind: AZURE_EVIDENCE.storageAccounts,
    path: ["resources", 0, "properties", "supportsHttpsTrafficOnly"],
    values: fc.oneof(textAround("true"), fc.jsonValue({ maxDepth: 1 })),
    documented: oneOf(true, false),
  },
  {
    check: "azure.storage.no-public-blob-access",
    kind: AZURE_EVIDENCE.storageAccounts,
    path: ["resources", 0, "properties", "allowBlobPublicAccess"],
    values: fc.oneof(textAround("false"), fc.jsonValue({ maxDepth: 1 })),
    documented: oneOf(true, false),
  },
  {
    check: "azure.sql.no-public-network-access",
    kind: AZURE_EVIDENCE.sqlServers,
    path: ["resources", 0, "properties", "publicNetworkAccess"],
    values: fc.oneof(textAround("Disabled"), fc.jsonValue({ maxDepth: 1 })),
    documented: oneOf("Enabled", "Disabled", "SecuredByPerimeter"),
  },
  {
    check: "azure.keyvault.soft-delete-purge-protection",
    kind: AZURE_EVIDENCE.keyVaults,
    path: ["resources", 0, "properties", "enablePurgeProtection"],
    values: fc.oneof(textAround("true"), fc.jsonValue({ maxDepth: 1 })),
    documented: oneOf(true, false),
  },
  {
    check: "azure.compute.disk-encryption",
    kind: AZURE_EVIDENCE.disks,
    path: ["resources", 0, "properties", "encryption", "type"],
    values: fc.oneof(textAround("EncryptionAtRestWithPlatformKey"), fc.jsonValue({ maxDepth: 1 })),
    documented: oneOf("EncryptionAtRestWithPlatformKey", "EncryptionAtRestWithCustomerKey", "EncryptionAtRestWithPlatformAndCustomerKeys"),
  },
  // The seed's first NSG rule denies SSH from anywhere: read as anything but a Deny, it must not vanish into a pass.
  {
    check: "azure.network.nsg-admin-ports-closed",
    kind: AZURE_EVIDENCE.networkSecurityGroups,
    path: nsgRule("access"),
    values: textAround("Deny", "Allow"),
    documented: (v) => typeof v === "string" && /^(allow|deny)$/i.test(v),
  },
  {
    check: "azure.network.nsg-admin-ports-closed",
    kind: AZURE_EVIDENCE.networkSecurityGroups,
    path: nsgRule("direction"),
    values: textAround("Inbound", "Outbound"),
    documented: (v) => typeof v === "string" && /^(inbound|outbound)$/i.test(v),
  },
  // Entra ID (Graph): states, grant controls, user types, dates and Intune states only as Graph documents them.
  ...["azure.entra.mfa-enforced", "azure.entra.legacy-auth-blocked", "azure.entra.compliant-device-required"].flatMap((check): Unreadable[] => [
    {
      check,
      kind: ENTRA_EVIDENCE.conditionalAccess,
      path: ["policies", 0, "state"],
      values: textAround("enabled", "enabledForReportingButNotEnforced"),
      documented: oneOf("enabled", "disabled", "enabledForReportingButNotEnforced"),
    },
    {
      check,
      kind: ENTRA_EVIDENCE.users,
      path: ["users", 0, "userType"],
      values: fc.oneof(textAround("Member", "Guest"), fc.constant(null)),
      documented: oneOf("Member", "Guest"),
    },
  ]),
  {
    check: "azure.entra.mfa-enforced",
    kind: ENTRA_EVIDENCE.conditionalAccess,
    path: ["policies", 0, "grantControls", "builtInControls", 0],
    values: textAround("mfa", "block"),
    documented: oneOf(
      "block",
      "mfa",
      "compliantDevice",
      "domainJoinedDevice",
      "approvedApplication",
      "compliantApplication",
      "passwordChange",
      "unknownFutureValue",
    ),
  },
  {
    check: "azure.entra.stale-users",
    kind: ENTRA_EVIDENCE.users,
    path: ["users", 0, "signInActivity", "lastSignInDateTime"],
    values: textAround("2026-10-30T09:00:00Z"),
    documented: (v) => typeof v === "string" && ISO_DATE.test(v),
  },
  {
    check: "azure.entra.guest-access-restricted",
    kind: ENTRA_EVIDENCE.authorizationPolicy,
    path: ["policy", "allowInvitesFrom"],
    values: textAround("adminsAndGuestInviters", "none"),
    documented: oneOf("none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"),
  },
  {
    check: "azure.entra.permanent-global-admin",
    kind: ENTRA_EVIDENCE.pimSchedules,
    path: ["assignmentSchedules", 0, "assignmentType"],
    values: textAround("Activated", "Assigned"),
    documented: oneOf("Activated", "Assigned"),
  },
  {
    check: "azure.entra.privileged-role-guests",
    kind: ENTRA_EVIDENCE.roleAssignments,
    path: ["assignments", 0, "principal", "@odata.type"],
    values: textAround("#microsoft.graph.user", "#microsoft.graph.group"),
    documented: oneOf("#microsoft.graph.user", "#microsoft.graph.group", "#microsoft.graph.servicePrincipal"),
  },
  ...["azure.entra.app-credential-expiry", "azure.entra.app-credential-lifetime"].map((check): Unreadable => ({
    check,
    kind: ENTRA_EVIDENCE.applications,
    path: ["applications", 0, "passwordCredentials", 0, "endDateTime"],
    values: fc.oneof(textAround("2027-03-01T00:00:00Z"), fc.constant(null)),
    documented: (v) => typeof v === "string" && ISO_DATE.test(v),
  })),
  {
    check: "azure.entra.device-compliant",
    kind: ENTRA_EVIDENCE.managedDevices,
    path: ["devices", 0, "complianceState"],
    values: textAround("compliant", "noncompliant"),
    documented: oneOf("compliant", "noncompliant", "inGracePeriod", "conflict", "error", "unknown", "configManager"),
  },
];

describe("property: checks on values the vendor never sends", () => {
  for (const entry of UNREADABLE) {
    it(`${entry.check}: ${entry.path.join(".")} holding an undocumented value never passes`, () => {
      const check = CHECKS.find((c) => c.id === entry.check);
      expect(check, `${entry.check} is registered`).toBeDefined();
      const checks = check ? [check] : [];
      fc.assert(
        fc.property(
          entry.values.filter((v) => !entry.documented(v)),
          (value) => {
            const payloads = seeded();
            payloads.set(entry.kind, editAt(payloads.get(entry.kind), entry.path, { op: "set", value }));
            // Only values the schema accepts: a schema failure is the property above.
            fc.pre(valid(entry.kind, payloads.get(entry.kind)));
            const findings = judge(payloads, [], checks).get(entry.check) ?? [];
            expect(findings.length).toBeGreaterThan(0);
            expect(findings.filter((f) => f.status === "pass").map((f) => `${JSON.stringify(value)} → ${f.reason}`)).toEqual([]);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

function attempt(run: () => FindingDraft[]): { drafts: FindingDraft[]; error: unknown } {
  // Only the check's own throw is caught here; the expects run outside.
  try {
    return { drafts: run(), error: undefined };
  } catch (error) {
    return { drafts: [], error };
  }
}
