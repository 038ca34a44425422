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
  { name: "iam-user-mfa-enabled", identifier: "IAM_USER_MFA_ENABLED", check: "aws.config.iam-mfa" },
  { name: "root-account-mfa-enabled", identifier: "ROOT_ACCOUNT_MFA_ENABLED", check: "aws.config.iam-mfa" },
  { name: "mfa-enabled-for-iam-console-access", identifier: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", check: "aws.config.iam-mfa" },
  { name: "db-instance-backup-enabled", identifier: "DB_INSTANCE_BACKUP_ENABLED", check: "aws.config.backups" },
  { name: "dynamodb-pitr-enabled", identifier: "DYNAMODB_PITR_ENABLED", check: "aws.config.backups" },
  { name: "guardduty-enabled-centralized", identifier: "GUARDDUTY_ENABLED_CENTRALIZED", check: "aws.config.guardduty" },
  { name: "securityhub-enabled", identifier: "SECURITYHUB_ENABLED", check: "aws.config.securityhub" },
  { name: "s3-account-level-public-access-blocks", identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS", check: "aws.config.s3-account-public-access-block" },
  {
    name: "s3-account-level-public-access-blocks-periodic",
    identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    check: "aws.config.s3-account-public-access-block",
  },
  { name: "ec2-ebs-encryption-by-default", identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT", check: "aws.config.ebs-default-encryption" },
  { name: "s3-bucket-ssl-requests-only", identifier: "S3_BUCKET_SSL_REQUESTS_ONLY", check: "aws.config.s3-tls-only" },
  { name: "vpc-flow-logs-enabled", identifier: "VPC_FLOW_LOGS_ENABLED", check: "aws.config.vpc-flow-logs" },
  { name: "iam-policy-no-statements-with-admin-access", identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", check: "aws.config.iam-admin-policies" },
  { name: "iam-user-no-policies-check", identifier: "IAM_USER_NO_POLICIES_CHECK", check: "aws.config.iam-user-policies" },
  {
    name: "ec2-managedinstance-patch-compliance-status-check",
    identifier: "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK",
    check: "aws.config.patch-compliance",
  },
  { name: "ec2-managedinstance-applications-blacklisted", identifier: "EC2_MANAGEDINSTANCE_APPLICATIONS_BLACKLISTED", check: "aws.config.instance-software" },
  { name: "ec2-managedinstance-applications-required", identifier: "EC2_MANAGEDINSTANCE_APPLICATIONS_REQUIRED", check: "aws.config.instance-software" },
  { name: "rds-multi-az-support", identifier: "RDS_MULTI_AZ_SUPPORT", check: "aws.config.redundancy" },
  { name: "elb-cross-zone-load-balancing-enabled", identifier: "ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED", check: "aws.config.redundancy" },
  { name: "elbv2-multiple-az", identifier: "ELBV2_MULTIPLE_AZ", check: "aws.config.redundancy" },
  { name: "autoscaling-multiple-az", identifier: "AUTOSCALING_MULTIPLE_AZ", check: "aws.config.redundancy" },
  { name: "autoscaling-group-elb-healthcheck-required", identifier: "AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED", check: "aws.config.redundancy" },
  { name: "required-tags", identifier: "REQUIRED_TAGS", check: "aws.config.required-tags" },
  { name: "elb-tls-https-listeners-only", identifier: "ELB_TLS_HTTPS_LISTENERS_ONLY", check: "aws.config.load-balancer-tls" },
  { name: "alb-http-to-https-redirection-check", identifier: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", check: "aws.config.load-balancer-tls" },
  { name: "elb-predefined-security-policy-ssl-check", identifier: "ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK", check: "aws.config.load-balancer-tls" },
  { name: "api-gw-ssl-enabled", identifier: "API_GW_SSL_ENABLED", check: "aws.config.api-gateway-backend-certificate" },
  { name: "cloud-trail-log-file-validation-enabled", identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", check: "aws.config.cloudtrail-log-validation" },
  { name: "s3-bucket-default-lock-enabled", identifier: "S3_BUCKET_DEFAULT_LOCK_ENABLED", check: "aws.config.s3-object-lock" },
  { name: "cw-loggroup-retention-period-check", identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK", check: "aws.config.log-retention" },
  {
    name: "backup-plan-min-frequency-and-min-retention-check",
    identifier: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
    check: "aws.config.backup-plans",
  },
  { name: "ec2-resources-protected-by-backup-plan", identifier: "EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN", check: "aws.config.backup-plans" },
  { name: "ebs-resources-protected-by-backup-plan", identifier: "EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN", check: "aws.config.backup-plans" },
  { name: "rds-resources-protected-by-backup-plan", identifier: "RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN", check: "aws.config.backup-plans" },
  { name: "s3-resources-protected-by-backup-plan", identifier: "S3_RESOURCES_PROTECTED_BY_BACKUP_PLAN", check: "aws.config.backup-plans" },
  { name: "dynamodb-resources-protected-by-backup-plan", identifier: "DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN", check: "aws.config.backup-plans" },
  { name: "guardduty-non-archived-findings", identifier: "GUARDDUTY_NON_ARCHIVED_FINDINGS", check: "aws.config.guardduty-findings" },
  { name: "s3-lifecycle-policy-check", identifier: "S3_LIFECYCLE_POLICY_CHECK", check: "aws.config.s3-lifecycle" },
  { name: "s3-version-lifecycle-policy-check", identifier: "S3_VERSION_LIFECYCLE_POLICY_CHECK", check: "aws.config.s3-lifecycle" },
  { name: "dynamodb-autoscaling-enabled", identifier: "DYNAMODB_AUTOSCALING_ENABLED", check: "aws.config.dynamodb-capacity" },
  { name: "dynamodb-throughput-limit-check", identifier: "DYNAMODB_THROUGHPUT_LIMIT_CHECK", check: "aws.config.dynamodb-capacity" },
  { name: "secretsmanager-rotation-enabled-check", identifier: "SECRETSMANAGER_ROTATION_ENABLED_CHECK", check: "aws.config.secrets-rotation" },
  {
    name: "secretsmanager-scheduled-rotation-success-check",
    identifier: "SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK",
    check: "aws.config.secrets-rotation",
  },
  { name: "secretsmanager-secret-periodic-rotation", identifier: "SECRETSMANAGER_SECRET_PERIODIC_ROTATION", check: "aws.config.secrets-rotation" },
  { name: "acm-certificate-expiration-check", identifier: "ACM_CERTIFICATE_EXPIRATION_CHECK", check: "aws.config.certificate-expiry" },
  { name: "cmk-backing-key-rotation-enabled", identifier: "CMK_BACKING_KEY_ROTATION_ENABLED", check: "aws.config.kms-key-rotation" },
  { name: "rds-instance-public-access-check", identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", check: "aws.config.rds-public-access" },
  { name: "macie-status-check", identifier: "MACIE_STATUS_CHECK", check: "aws.config.macie" },
  // AWS names this rule differently from its identifier (EC2_INSTANCE_MANAGED_BY_SSM).
  { name: "ec2-instance-managed-by-systems-manager", identifier: "EC2_INSTANCE_MANAGED_BY_SSM", check: "aws.config.systems-manager" },
  {
    name: "ec2-managedinstance-association-compliance-status-check",
    identifier: "EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK",
    check: "aws.config.systems-manager",
  },
  { name: "s3-bucket-logging-enabled", identifier: "S3_BUCKET_LOGGING_ENABLED", check: "aws.config.service-logging" },
  { name: "cloudtrail-s3-dataevents-enabled", identifier: "CLOUDTRAIL_S3_DATAEVENTS_ENABLED", check: "aws.config.service-logging" },
  { name: "elb-logging-enabled", identifier: "ELB_LOGGING_ENABLED", check: "aws.config.service-logging" },
  { name: "rds-logging-enabled", identifier: "RDS_LOGGING_ENABLED", check: "aws.config.service-logging" },
  { name: "api-gw-execution-logging-enabled", identifier: "API_GW_EXECUTION_LOGGING_ENABLED", check: "aws.config.service-logging" },
  { name: "ebs-snapshot-public-restorable-check", identifier: "EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK", check: "aws.config.public-snapshots" },
  { name: "rds-snapshots-public-prohibited", identifier: "RDS_SNAPSHOTS_PUBLIC_PROHIBITED", check: "aws.config.public-snapshots" },
  { name: "ec2-instance-no-public-ip", identifier: "EC2_INSTANCE_NO_PUBLIC_IP", check: "aws.config.public-ips" },
  { name: "subnet-auto-assign-public-ip-disabled", identifier: "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", check: "aws.config.public-ips" },
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
