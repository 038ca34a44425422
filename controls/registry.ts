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
import awsIamAccessKeyRotation from "./checks/aws/iam/access-key-rotation.js";
import awsIamConsoleUserMfa from "./checks/aws/iam/console-user-mfa.js";
import awsIamPasswordPolicy from "./checks/aws/iam/password-policy.js";
import awsIamRootAccessKeys from "./checks/aws/iam/root-access-keys.js";
import awsIamRootMfa from "./checks/aws/iam/root-mfa.js";
import awsIamUnusedCredentials from "./checks/aws/iam/unused-credentials.js";

export const CHECKS: readonly Check[] = [
  awsIamConsoleUserMfa,
  awsIamRootMfa,
  awsIamRootAccessKeys,
  awsIamAccessKeyRotation,
  awsIamUnusedCredentials,
  awsIamPasswordPolicy,
  awsConfigRecorderOn,
  awsConfigFirewallRules,
  awsConfigEncryptionAtRest,
  awsConfigS3PublicAccess,
  awsConfigCloudtrail,
  awsConfigIamMfa,
  awsConfigBackups,
  awsConfigGuardduty,
  awsConfigSecurityhub,
  awsConfigCustomRules,
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
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
