/**
 * AWS Config managed rules and the isms-agent check that reads each, as data. A rule deployed
 * under another name (Security Hub's `securityhub-restricted-ssh-1a2b3c`, a conformance pack's
 * `restricted-ssh-conformance-pack-xyz`) is matched by its managed identifier, or failing that
 * (Security Hub deploys some as Lambda rules) by the managed rule name inside its own name.
 * A rule in none of these is still stored as evidence and reported as unmapped.
 */
import type { ConfigRule } from "../src/evidence/aws-config.js";

export interface ManagedRule {
  /** The rule's name in the AWS Config managed rules list, e.g. restricted-ssh. */
  name: string;
  /** The managed rule identifier (Source.SourceIdentifier), e.g. INCOMING_SSH_DISABLED. */
  identifier: string;
  /** The isms-agent check whose findings it feeds. */
  check: string;
}

export const MANAGED_RULES: readonly ManagedRule[] = [
  { name: "restricted-ssh", identifier: "INCOMING_SSH_DISABLED", check: "aws.config.firewall-rules" },
  { name: "restricted-common-ports", identifier: "RESTRICTED_INCOMING_TRAFFIC", check: "aws.config.firewall-rules" },
  { name: "vpc-sg-open-only-to-authorized-ports", identifier: "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS", check: "aws.config.firewall-rules" },
  { name: "vpc-default-security-group-closed", identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED", check: "aws.config.firewall-rules" },
  { name: "s3-bucket-server-side-encryption-enabled", identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", check: "aws.config.encryption-at-rest" },
  { name: "encrypted-volumes", identifier: "ENCRYPTED_VOLUMES", check: "aws.config.encryption-at-rest" },
  { name: "rds-storage-encrypted", identifier: "RDS_STORAGE_ENCRYPTED", check: "aws.config.encryption-at-rest" },
  { name: "s3-bucket-public-read-prohibited", identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", check: "aws.config.s3-public-access" },
  { name: "s3-bucket-public-write-prohibited", identifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", check: "aws.config.s3-public-access" },
  { name: "cloudtrail-enabled", identifier: "CLOUD_TRAIL_ENABLED", check: "aws.config.cloudtrail" },
  { name: "multi-region-cloudtrail-enabled", identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED", check: "aws.config.cloudtrail" },
  { name: "cloud-trail-log-file-validation-enabled", identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", check: "aws.config.cloudtrail" },
  { name: "iam-user-mfa-enabled", identifier: "IAM_USER_MFA_ENABLED", check: "aws.config.iam-mfa" },
  { name: "root-account-mfa-enabled", identifier: "ROOT_ACCOUNT_MFA_ENABLED", check: "aws.config.iam-mfa" },
  { name: "mfa-enabled-for-iam-console-access", identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", check: "aws.config.iam-mfa" },
  { name: "db-instance-backup-enabled", identifier: "DB_INSTANCE_BACKUP_ENABLED", check: "aws.config.backups" },
  { name: "dynamodb-pitr-enabled", identifier: "DYNAMODB_PITR_ENABLED", check: "aws.config.backups" },
  { name: "guardduty-enabled-centralized", identifier: "GUARDDUTY_ENABLED_CENTRALIZED", check: "aws.config.guardduty" },
  { name: "securityhub-enabled", identifier: "SECURITYHUB_ENABLED", check: "aws.config.securityhub" },
];

/** The managed rule a deployed rule is, if any. */
export function managedRuleOf(rule: Pick<ConfigRule, "name" | "sourceIdentifier">): ManagedRule | undefined {
  const byIdentifier = MANAGED_RULES.find((m) => m.identifier === rule.sourceIdentifier);
  if (byIdentifier) return byIdentifier;
  const name = rule.name.toLowerCase();
  // Longest name first, so "multi-region-cloudtrail-enabled" is not taken for "cloudtrail-enabled".
  return [...MANAGED_RULES]
    .sort((a, b) => b.name.length - a.name.length)
    .find((m) => name === m.name || name.startsWith(`${m.name}-`) || name.includes(`-${m.name}-`) || name.endsWith(`-${m.name}`));
}
