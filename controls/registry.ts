/**
 * Every check, by explicit import. test/controls/registry.test.ts walks controls/checks/ and
 * fails if a file is missing here or an id differs from its path.
 */
import type { Check } from "../src/domain.js";
import awsConfigBackups from "./checks/aws/config/backups.js";
import awsConfigCloudtrail from "./checks/aws/config/cloudtrail.js";
import awsConfigCustomRules from "./checks/aws/config/custom-rules.js";
import awsConfigEncryptionAtRest from "./checks/aws/config/encryption-at-rest.js";
import awsConfigFirewallRules from "./checks/aws/config/firewall-rules.js";
import awsConfigGuardduty from "./checks/aws/config/guardduty.js";
import awsConfigIamMfa from "./checks/aws/config/iam-mfa.js";
import awsConfigRecorderOn from "./checks/aws/config/recorder-on.js";
import awsConfigS3PublicAccess from "./checks/aws/config/s3-public-access.js";
import awsConfigSecurityhub from "./checks/aws/config/securityhub.js";
import awsConfigS3AccountPublicAccessBlock from "./checks/aws/config/s3-account-public-access-block.js";
import awsConfigEbsDefaultEncryption from "./checks/aws/config/ebs-default-encryption.js";
import awsConfigS3TlsOnly from "./checks/aws/config/s3-tls-only.js";
import awsConfigVpcFlowLogs from "./checks/aws/config/vpc-flow-logs.js";
import awsConfigIamAdminPolicies from "./checks/aws/config/iam-admin-policies.js";
import awsConfigIamUserPolicies from "./checks/aws/config/iam-user-policies.js";
import awsConfigPatchCompliance from "./checks/aws/config/patch-compliance.js";
import awsConfigInstanceSoftware from "./checks/aws/config/instance-software.js";
import awsConfigRedundancy from "./checks/aws/config/redundancy.js";
import awsConfigRequiredTags from "./checks/aws/config/required-tags.js";
import awsConfigLoadBalancerTls from "./checks/aws/config/load-balancer-tls.js";
import awsConfigApiGatewayBackendCertificate from "./checks/aws/config/api-gateway-backend-certificate.js";
import awsConfigCloudtrailLogValidation from "./checks/aws/config/cloudtrail-log-validation.js";
import awsConfigS3ObjectLock from "./checks/aws/config/s3-object-lock.js";
import awsConfigLogRetention from "./checks/aws/config/log-retention.js";
import awsConfigBackupPlans from "./checks/aws/config/backup-plans.js";
import awsConfigGuarddutyFindings from "./checks/aws/config/guardduty-findings.js";
import awsConfigS3Lifecycle from "./checks/aws/config/s3-lifecycle.js";
import awsConfigDynamodbCapacity from "./checks/aws/config/dynamodb-capacity.js";
import awsConfigSecretsRotation from "./checks/aws/config/secrets-rotation.js";
import awsConfigCertificateExpiry from "./checks/aws/config/certificate-expiry.js";
import awsConfigKmsKeyRotation from "./checks/aws/config/kms-key-rotation.js";
import awsConfigRdsPublicAccess from "./checks/aws/config/rds-public-access.js";
import awsConfigMacie from "./checks/aws/config/macie.js";
import awsConfigSystemsManager from "./checks/aws/config/systems-manager.js";
import awsConfigServiceLogging from "./checks/aws/config/service-logging.js";
import awsConfigPublicSnapshots from "./checks/aws/config/public-snapshots.js";
import awsConfigPublicIps from "./checks/aws/config/public-ips.js";
import azureInventoryOwnerTag from "./checks/azure/inventory/owner-tag.js";
import azureNetworkNsgAdminPortsClosed from "./checks/azure/network/nsg-admin-ports-closed.js";
import azureStorageHttpsOnly from "./checks/azure/storage/https-only.js";
import azureStorageMinTls12 from "./checks/azure/storage/min-tls-1-2.js";
import azureStorageNoPublicBlobAccess from "./checks/azure/storage/no-public-blob-access.js";
import azureKeyvaultSoftDeletePurgeProtection from "./checks/azure/keyvault/soft-delete-purge-protection.js";
import azureSqlNoPublicNetworkAccess from "./checks/azure/sql/no-public-network-access.js";
import azureSqlMinTls12 from "./checks/azure/sql/min-tls-1-2.js";
import azureComputeDiskEncryption from "./checks/azure/compute/disk-encryption.js";
import azureEntraUserMfaRegistered from "./checks/azure/entra/user-mfa-registered.js";
import azureEntraMfaEnforced from "./checks/azure/entra/mfa-enforced.js";
import azureEntraLegacyAuthBlocked from "./checks/azure/entra/legacy-auth-blocked.js";
import azureEntraCompliantDeviceRequired from "./checks/azure/entra/compliant-device-required.js";
import azureEntraPrivilegedRoleCount from "./checks/azure/entra/privileged-role-count.js";
import azureEntraPrivilegedRoleGuests from "./checks/azure/entra/privileged-role-guests.js";
import azureEntraPermanentGlobalAdmin from "./checks/azure/entra/permanent-global-admin.js";
import azureEntraStaleUsers from "./checks/azure/entra/stale-users.js";
import azureEntraGuestAccessRestricted from "./checks/azure/entra/guest-access-restricted.js";
import azureEntraAppCredentialExpiry from "./checks/azure/entra/app-credential-expiry.js";
import azureEntraAppCredentialLifetime from "./checks/azure/entra/app-credential-lifetime.js";
import azureEntraDeviceCompliant from "./checks/azure/entra/device-compliant.js";
import azureEntraDeviceEncrypted from "./checks/azure/entra/device-encrypted.js";
import azureRbacPrivilegedRolesViaGroups from "./checks/azure/rbac/privileged-roles-via-groups.js";
import azureRbacOwnerCount from "./checks/azure/rbac/owner-count.js";
import azureDefenderServersPlan from "./checks/azure/defender/servers-plan.js";
import azureDefenderStorageMalwareScanning from "./checks/azure/defender/storage-malware-scanning.js";
import azureDefenderPlansStandard from "./checks/azure/defender/plans-standard.js";
import azureDefenderSecurityContacts from "./checks/azure/defender/security-contacts.js";
import azureDefenderVulnerabilityFindings from "./checks/azure/defender/vulnerability-findings.js";
import azureMonitorActivityLogExported from "./checks/azure/monitor/activity-log-exported.js";
import azureMonitorKeyvaultDiagnostics from "./checks/azure/monitor/keyvault-diagnostics.js";
import azurePolicyCompliance from "./checks/azure/policy/compliance.js";
import azureInventoryClassificationLabel from "./checks/azure/inventory/classification-label.js";
import githubOrgTwoFactorRequired from "./checks/github/org/two-factor-required.js";
import githubOrgMembers2fa from "./checks/github/org/members-2fa.js";
import githubOrgAdminCount from "./checks/github/org/admin-count.js";
import githubOrgOutsideCollaborators from "./checks/github/org/outside-collaborators.js";
import githubOrgDefaultPermission from "./checks/github/org/default-permission.js";
import githubOrgWebhooksTls from "./checks/github/org/webhooks-tls.js";
import githubRepoDefaultBranchProtected from "./checks/github/repo/default-branch-protected.js";
import githubRepoSecretScanning from "./checks/github/repo/secret-scanning.js";
import githubRepoDependabot from "./checks/github/repo/dependabot.js";
import githubRepoPublicVisibility from "./checks/github/repo/public-visibility.js";
import githubRepoDeployKeysReadOnly from "./checks/github/repo/deploy-keys-read-only.js";
import githubRepoAdminsNotExempt from "./checks/github/repo/admins-not-exempt.js";
import githubRepoRequiredStatusChecks from "./checks/github/repo/required-status-checks.js";
import githubRepoCodeOwnerReview from "./checks/github/repo/code-owner-review.js";
import githubRepoLastPushApproval from "./checks/github/repo/last-push-approval.js";
import githubRepoStaleReviewsDismissed from "./checks/github/repo/stale-reviews-dismissed.js";
import githubOrgActionsAllowed from "./checks/github/org/actions-allowed.js";
import githubOrgWorkflowTokenReadOnly from "./checks/github/org/workflow-token-read-only.js";
import githubOrgWorkflowsCannotApprove from "./checks/github/org/workflows-cannot-approve.js";
import githubOrgAppInstallations from "./checks/github/org/app-installations.js";
import githubRepoCodeScanningEnabled from "./checks/github/repo/code-scanning-enabled.js";
import githubRepoCodeScanningAlerts from "./checks/github/repo/code-scanning-alerts.js";
import githubRepoSecretScanningAlerts from "./checks/github/repo/secret-scanning-alerts.js";
import githubRepoProductionEnvironmentReviewers from "./checks/github/repo/production-environment-reviewers.js";
import awsIamAccessKeyRotation from "./checks/aws/iam/access-key-rotation.js";
import awsIamConsoleUserMfa from "./checks/aws/iam/console-user-mfa.js";
import awsIamPasswordPolicy from "./checks/aws/iam/password-policy.js";
import awsIamRootAccessKeys from "./checks/aws/iam/root-access-keys.js";
import awsIamRootMfa from "./checks/aws/iam/root-mfa.js";
import awsIamUnusedCredentials from "./checks/aws/iam/unused-credentials.js";
import awsIamAdminPolicies from "./checks/aws/iam/admin-policies.js";
import awsIamCrossAccountTrust from "./checks/aws/iam/cross-account-trust.js";
import awsS3AccountPublicAccessBlock from "./checks/aws/s3/account-public-access-block.js";
import awsOrganizationsScpGuardrails from "./checks/aws/organizations/scp-guardrails.js";
import awsOrganizationsEnvironmentSeparation from "./checks/aws/organizations/environment-separation.js";
import awsIdentityCenterUsersKnown from "./checks/aws/identity-center/users-known.js";
import awsIdentityCenterUserMfa from "./checks/aws/identity-center/user-mfa.js";
import awsInspectorScanningEnabled from "./checks/aws/inspector/scanning-enabled.js";
import awsInspectorFindingsSla from "./checks/aws/inspector/findings-sla.js";

export const CHECKS: readonly Check[] = [
  awsIamConsoleUserMfa,
  awsIamRootMfa,
  awsIamRootAccessKeys,
  awsIamAccessKeyRotation,
  awsIamUnusedCredentials,
  awsIamPasswordPolicy,
  awsIamAdminPolicies,
  awsIamCrossAccountTrust,
  awsS3AccountPublicAccessBlock,
  awsOrganizationsScpGuardrails,
  awsOrganizationsEnvironmentSeparation,
  awsConfigRecorderOn,
  awsConfigFirewallRules,
  awsConfigEncryptionAtRest,
  awsConfigS3PublicAccess,
  awsConfigCloudtrail,
  awsConfigIamMfa,
  awsConfigBackups,
  awsConfigGuardduty,
  awsConfigSecurityhub,
  awsConfigS3AccountPublicAccessBlock,
  awsConfigEbsDefaultEncryption,
  awsConfigS3TlsOnly,
  awsConfigVpcFlowLogs,
  awsConfigIamAdminPolicies,
  awsConfigIamUserPolicies,
  awsConfigPatchCompliance,
  awsConfigInstanceSoftware,
  awsConfigRedundancy,
  awsConfigRequiredTags,
  awsConfigLoadBalancerTls,
  awsConfigApiGatewayBackendCertificate,
  awsConfigCloudtrailLogValidation,
  awsConfigS3ObjectLock,
  awsConfigLogRetention,
  awsConfigBackupPlans,
  awsConfigGuarddutyFindings,
  awsConfigS3Lifecycle,
  awsConfigDynamodbCapacity,
  awsConfigSecretsRotation,
  awsConfigCertificateExpiry,
  awsConfigKmsKeyRotation,
  awsConfigRdsPublicAccess,
  awsConfigMacie,
  awsConfigSystemsManager,
  awsConfigServiceLogging,
  awsConfigPublicSnapshots,
  awsConfigPublicIps,
  awsConfigCustomRules,
  awsIdentityCenterUsersKnown,
  awsIdentityCenterUserMfa,
  awsInspectorScanningEnabled,
  awsInspectorFindingsSla,
  azureInventoryOwnerTag,
  azureNetworkNsgAdminPortsClosed,
  azureStorageHttpsOnly,
  azureStorageMinTls12,
  azureStorageNoPublicBlobAccess,
  azureKeyvaultSoftDeletePurgeProtection,
  azureSqlNoPublicNetworkAccess,
  azureSqlMinTls12,
  azureComputeDiskEncryption,
  azureEntraUserMfaRegistered,
  azureEntraMfaEnforced,
  azureEntraLegacyAuthBlocked,
  azureEntraCompliantDeviceRequired,
  azureEntraPrivilegedRoleCount,
  azureEntraPrivilegedRoleGuests,
  azureEntraPermanentGlobalAdmin,
  azureEntraStaleUsers,
  azureEntraGuestAccessRestricted,
  azureEntraAppCredentialExpiry,
  azureEntraAppCredentialLifetime,
  azureEntraDeviceCompliant,
  azureEntraDeviceEncrypted,
  azureRbacPrivilegedRolesViaGroups,
  azureRbacOwnerCount,
  azureDefenderServersPlan,
  azureDefenderStorageMalwareScanning,
  azureDefenderPlansStandard,
  azureDefenderSecurityContacts,
  azureDefenderVulnerabilityFindings,
  azureMonitorActivityLogExported,
  azureMonitorKeyvaultDiagnostics,
  azurePolicyCompliance,
  azureInventoryClassificationLabel,
  githubOrgTwoFactorRequired,
  githubOrgMembers2fa,
  githubOrgAdminCount,
  githubOrgOutsideCollaborators,
  githubOrgDefaultPermission,
  githubOrgWebhooksTls,
  githubRepoDefaultBranchProtected,
  githubRepoSecretScanning,
  githubRepoDependabot,
  githubRepoPublicVisibility,
  githubRepoDeployKeysReadOnly,
  githubRepoAdminsNotExempt,
  githubRepoRequiredStatusChecks,
  githubRepoCodeOwnerReview,
  githubRepoLastPushApproval,
  githubRepoStaleReviewsDismissed,
  githubOrgActionsAllowed,
  githubOrgWorkflowTokenReadOnly,
  githubOrgWorkflowsCannotApprove,
  githubOrgAppInstallations,
  githubRepoCodeScanningEnabled,
  githubRepoCodeScanningAlerts,
  githubRepoSecretScanningAlerts,
  githubRepoProductionEnvironmentReviewers,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
