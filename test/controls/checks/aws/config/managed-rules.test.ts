/**
 * The checks recognised from AWS Config managed rules by identifier: for each, a compliant and a
 * non-compliant resource as AWS Config reports them (resource types from each rule's documentation),
 * with the exact finding each gives.
 */
import { describe, expect, it } from "vitest";
import { MANAGED_RULES, managedRuleOf } from "../../../../../controls/aws-config-rules.js";
import { findCheck } from "../../../../../controls/registry.js";
import type { Check } from "../../../../../src/domain.js";
import { CONFIG_EVIDENCE, type ConfigRule, type RuleEvaluation } from "../../../../../src/evidence/aws-config.js";
import { ACCOUNT, runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const recording = stored(CONFIG_EVIDENCE.recorderStatus, { recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] });
const stopped = stored(
  CONFIG_EVIDENCE.recorderStatus,
  { recorders: [{ name: "default", recording: false, lastStatus: "SUCCESS", lastErrorCode: null }] },
  undefined,
  2,
);
const rules = (list: ConfigRule[]) => stored(CONFIG_EVIDENCE.rules, { rules: list }, undefined, 3);
const evaluation = (resourceType: string, resourceId: string, compliance: RuleEvaluation["compliance"], annotation: string | null = null): RuleEvaluation => ({
  resourceType,
  resourceId,
  compliance,
  annotation,
  recordedAt: null,
});
/** A managed rule deployed under its own name, as DescribeConfigRules lists it. */
const managed = (name: string, evaluations: RuleEvaluation[]): ConfigRule => {
  const identifier = MANAGED_RULES.find((m) => m.name === name)?.identifier;
  if (!identifier) throw new Error(`${name} is not in MANAGED_RULES`);
  return { name, sourceIdentifier: identifier, owner: "AWS", state: "ACTIVE", compliance: null, evaluations };
};
const check = (id: string): Check => {
  const found = findCheck(id);
  if (!found) throw new Error(`${id} is not registered`);
  return found;
};

interface Case {
  check: string;
  rule: string;
  resourceType: string;
  good: string;
  bad: string;
  /** How the finding names the resource, e.g. "S3 bucket". */
  noun: string;
}

// One row per managed rule (each check's rules all appear): a resource Config found compliant and one it did not.
const CASES: Case[] = [
  {
    check: "aws.config.s3-account-public-access-block",
    rule: "s3-account-level-public-access-blocks-periodic",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.s3-account-public-access-block",
    rule: "s3-account-level-public-access-blocks",
    resourceType: "AWS::S3::AccountPublicAccessBlock",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "S3 account-level public access block of account",
  },
  {
    check: "aws.config.ebs-default-encryption",
    rule: "ec2-ebs-encryption-by-default",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.s3-tls-only",
    rule: "s3-bucket-ssl-requests-only",
    resourceType: "AWS::S3::Bucket",
    good: "acme-records",
    bad: "acme-legacy",
    noun: "S3 bucket",
  },
  { check: "aws.config.vpc-flow-logs", rule: "vpc-flow-logs-enabled", resourceType: "AWS::EC2::VPC", good: "vpc-0a1", bad: "vpc-0b2", noun: "VPC" },
  {
    check: "aws.config.iam-admin-policies",
    rule: "iam-policy-no-statements-with-admin-access",
    resourceType: "AWS::IAM::Policy",
    good: "ANPAREADONLY1",
    bad: "ANPAEVERYTHING2",
    noun: "IAM policy",
  },
  {
    check: "aws.config.iam-user-policies",
    rule: "iam-user-no-policies-check",
    resourceType: "AWS::IAM::User",
    good: "AIDAGOOD1",
    bad: "AIDADIRECT2",
    noun: "IAM user",
  },
  {
    check: "aws.config.patch-compliance",
    rule: "ec2-managedinstance-patch-compliance-status-check",
    resourceType: "AWS::SSM::PatchCompliance",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "Patch compliance of managed instance",
  },
  {
    check: "aws.config.instance-software",
    rule: "ec2-managedinstance-applications-blacklisted",
    resourceType: "AWS::SSM::ManagedInstanceInventory",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "Software inventory of managed instance",
  },
  {
    check: "aws.config.instance-software",
    rule: "ec2-managedinstance-applications-required",
    resourceType: "AWS::SSM::ManagedInstanceInventory",
    good: "i-0cc3",
    bad: "i-0dd4",
    noun: "Software inventory of managed instance",
  },
  {
    check: "aws.config.redundancy",
    rule: "rds-multi-az-support",
    resourceType: "AWS::RDS::DBInstance",
    good: "db-orders",
    bad: "db-reports",
    noun: "RDS instance",
  },
  {
    check: "aws.config.redundancy",
    rule: "elb-cross-zone-load-balancing-enabled",
    resourceType: "AWS::ElasticLoadBalancing::LoadBalancer",
    good: "web-classic",
    bad: "old-classic",
    noun: "Classic load balancer",
  },
  {
    check: "aws.config.redundancy",
    rule: "elbv2-multiple-az",
    resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    good: "app/web/1",
    bad: "app/intranet/2",
    noun: "Load balancer",
  },
  {
    check: "aws.config.redundancy",
    rule: "autoscaling-multiple-az",
    resourceType: "AWS::AutoScaling::AutoScalingGroup",
    good: "web-asg",
    bad: "batch-asg",
    noun: "Auto Scaling group",
  },
  {
    check: "aws.config.redundancy",
    rule: "autoscaling-group-elb-healthcheck-required",
    resourceType: "AWS::AutoScaling::AutoScalingGroup",
    good: "api-asg",
    bad: "worker-asg",
    noun: "Auto Scaling group",
  },
  { check: "aws.config.required-tags", rule: "required-tags", resourceType: "AWS::EC2::Instance", good: "i-0aa1", bad: "i-0bb2", noun: "EC2 instance" },
  {
    check: "aws.config.load-balancer-tls",
    rule: "elb-tls-https-listeners-only",
    resourceType: "AWS::ElasticLoadBalancing::LoadBalancer",
    good: "web-classic",
    bad: "old-classic",
    noun: "Classic load balancer",
  },
  {
    check: "aws.config.load-balancer-tls",
    rule: "alb-http-to-https-redirection-check",
    resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    good: "app/web/1",
    bad: "app/intranet/2",
    noun: "Load balancer",
  },
  {
    check: "aws.config.load-balancer-tls",
    rule: "elb-predefined-security-policy-ssl-check",
    resourceType: "AWS::ElasticLoadBalancing::LoadBalancer",
    good: "api-classic",
    bad: "legacy-classic",
    noun: "Classic load balancer",
  },
  {
    check: "aws.config.api-gateway-backend-certificate",
    rule: "api-gw-ssl-enabled",
    resourceType: "AWS::ApiGateway::Stage",
    good: "a1b2c3/prod",
    bad: "d4e5f6/dev",
    noun: "API Gateway stage",
  },
  {
    check: "aws.config.cloudtrail-log-validation",
    rule: "cloud-trail-log-file-validation-enabled",
    resourceType: "AWS::CloudTrail::Trail",
    good: "org-trail",
    bad: "old-trail",
    noun: "CloudTrail trail",
  },
  {
    check: "aws.config.s3-object-lock",
    rule: "s3-bucket-default-lock-enabled",
    resourceType: "AWS::S3::Bucket",
    good: "acme-audit-logs",
    bad: "acme-app-logs",
    noun: "S3 bucket",
  },
  {
    check: "aws.config.log-retention",
    rule: "cw-loggroup-retention-period-check",
    resourceType: "AWS::Logs::LogGroup",
    good: "/aws/lambda/orders",
    bad: "/ecs/web",
    noun: "CloudWatch log group",
  },
  {
    check: "aws.config.backup-plans",
    rule: "backup-plan-min-frequency-and-min-retention-check",
    resourceType: "AWS::Backup::BackupPlan",
    good: "daily-35d",
    bad: "weekly-7d",
    noun: "Backup plan",
  },
  {
    check: "aws.config.backup-plans",
    rule: "ec2-resources-protected-by-backup-plan",
    resourceType: "AWS::EC2::Instance",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "EC2 instance",
  },
  {
    check: "aws.config.backup-plans",
    rule: "ebs-resources-protected-by-backup-plan",
    resourceType: "AWS::EC2::Volume",
    good: "vol-0aa1",
    bad: "vol-0bb2",
    noun: "EBS volume",
  },
  {
    check: "aws.config.backup-plans",
    rule: "rds-resources-protected-by-backup-plan",
    resourceType: "AWS::RDS::DBInstance",
    good: "db-orders",
    bad: "db-scratch",
    noun: "RDS instance",
  },
  {
    check: "aws.config.backup-plans",
    rule: "s3-resources-protected-by-backup-plan",
    resourceType: "AWS::S3::Bucket",
    good: "acme-records",
    bad: "acme-tmp",
    noun: "S3 bucket",
  },
  {
    check: "aws.config.backup-plans",
    rule: "dynamodb-resources-protected-by-backup-plan",
    resourceType: "AWS::DynamoDB::Table",
    good: "orders",
    bad: "sessions",
    noun: "DynamoDB table",
  },
  {
    check: "aws.config.guardduty-findings",
    rule: "guardduty-non-archived-findings",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.s3-lifecycle",
    rule: "s3-lifecycle-policy-check",
    resourceType: "AWS::S3::Bucket",
    good: "acme-exports",
    bad: "acme-dumps",
    noun: "S3 bucket",
  },
  {
    check: "aws.config.s3-lifecycle",
    rule: "s3-version-lifecycle-policy-check",
    resourceType: "AWS::S3::Bucket",
    good: "acme-docs",
    bad: "acme-media",
    noun: "S3 bucket",
  },
  {
    check: "aws.config.dynamodb-capacity",
    rule: "dynamodb-autoscaling-enabled",
    resourceType: "AWS::DynamoDB::Table",
    good: "orders",
    bad: "events",
    noun: "DynamoDB table",
  },
  {
    check: "aws.config.dynamodb-capacity",
    rule: "dynamodb-throughput-limit-check",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.secrets-rotation",
    rule: "secretsmanager-rotation-enabled-check",
    resourceType: "AWS::SecretsManager::Secret",
    good: "prod/db",
    bad: "prod/partner-api",
    noun: "Secret",
  },
  {
    check: "aws.config.secrets-rotation",
    rule: "secretsmanager-scheduled-rotation-success-check",
    resourceType: "AWS::SecretsManager::Secret",
    good: "prod/cache",
    bad: "prod/queue",
    noun: "Secret",
  },
  {
    check: "aws.config.secrets-rotation",
    rule: "secretsmanager-secret-periodic-rotation",
    resourceType: "AWS::SecretsManager::Secret",
    good: "prod/smtp",
    bad: "prod/ldap",
    noun: "Secret",
  },
  {
    check: "aws.config.certificate-expiry",
    rule: "acm-certificate-expiration-check",
    resourceType: "AWS::ACM::Certificate",
    good: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
    bad: "arn:aws:acm:eu-west-1:123456789012:certificate/2",
    noun: "ACM certificate",
  },
  {
    check: "aws.config.kms-key-rotation",
    rule: "cmk-backing-key-rotation-enabled",
    resourceType: "AWS::KMS::Key",
    good: "key-1",
    bad: "key-2",
    noun: "KMS key",
  },
  {
    check: "aws.config.rds-public-access",
    rule: "rds-instance-public-access-check",
    resourceType: "AWS::RDS::DBInstance",
    good: "db-orders",
    bad: "db-reports",
    noun: "RDS instance",
  },
  { check: "aws.config.macie", rule: "macie-status-check", resourceType: "AWS::::Account", good: ACCOUNT, bad: "210987654321", noun: "Account" },
  {
    check: "aws.config.systems-manager",
    rule: "ec2-instance-managed-by-systems-manager",
    resourceType: "AWS::EC2::Instance",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "EC2 instance",
  },
  {
    check: "aws.config.systems-manager",
    rule: "ec2-managedinstance-association-compliance-status-check",
    resourceType: "AWS::SSM::AssociationCompliance",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "Association compliance of managed instance",
  },
  {
    check: "aws.config.service-logging",
    rule: "s3-bucket-logging-enabled",
    resourceType: "AWS::S3::Bucket",
    good: "acme-records",
    bad: "acme-tmp",
    noun: "S3 bucket",
  },
  {
    check: "aws.config.service-logging",
    rule: "cloudtrail-s3-dataevents-enabled",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.service-logging",
    rule: "elb-logging-enabled",
    resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    good: "app/web/1",
    bad: "app/intranet/2",
    noun: "Load balancer",
  },
  {
    check: "aws.config.service-logging",
    rule: "rds-logging-enabled",
    resourceType: "AWS::RDS::DBInstance",
    good: "db-orders",
    bad: "db-reports",
    noun: "RDS instance",
  },
  {
    check: "aws.config.service-logging",
    rule: "api-gw-execution-logging-enabled",
    resourceType: "AWS::ApiGatewayV2::Stage",
    good: "h7j8k9/$default",
    bad: "h7j8k9/beta",
    noun: "API Gateway (v2) stage",
  },
  {
    check: "aws.config.public-snapshots",
    rule: "ebs-snapshot-public-restorable-check",
    resourceType: "AWS::::Account",
    good: ACCOUNT,
    bad: "210987654321",
    noun: "Account",
  },
  {
    check: "aws.config.public-snapshots",
    rule: "rds-snapshots-public-prohibited",
    resourceType: "AWS::RDS::DBSnapshot",
    good: "orders-2026-10-31",
    bad: "reports-export",
    noun: "RDS snapshot",
  },
  {
    check: "aws.config.public-ips",
    rule: "ec2-instance-no-public-ip",
    resourceType: "AWS::EC2::Instance",
    good: "i-0aa1",
    bad: "i-0bb2",
    noun: "EC2 instance",
  },
  {
    check: "aws.config.public-ips",
    rule: "subnet-auto-assign-public-ip-disabled",
    resourceType: "AWS::EC2::Subnet",
    good: "subnet-0aa1",
    bad: "subnet-0bb2",
    noun: "Subnet",
  },
];

describe("checks on AWS Config managed rules", () => {
  it("every managed rule of these checks has a case here, and every managed rule is recognised by its own name and identifier", () => {
    const checks = new Set(CASES.map((c) => c.check));
    expect(
      MANAGED_RULES.filter((m) => checks.has(m.check))
        .map((m) => m.name)
        .sort(),
    ).toEqual(CASES.map((c) => c.rule).sort());
    for (const m of MANAGED_RULES) {
      expect(managedRuleOf({ name: m.name, sourceIdentifier: m.identifier })).toBe(m);
      // Security Hub's and conformance packs' renamed copies without the identifier still match.
      expect(managedRuleOf({ name: `securityhub-${m.name}-1a2b3c4d`, sourceIdentifier: null })?.name).toBe(m.name);
      expect(managedRuleOf({ name: `${m.name}-conformance-pack-x1y2`, sourceIdentifier: null })?.name).toBe(m.name);
    }
    expect(new Set(MANAGED_RULES.map((m) => m.identifier)).size).toBe(MANAGED_RULES.length);
    expect(new Set(MANAGED_RULES.map((m) => m.name)).size).toBe(MANAGED_RULES.length);
    // The one rule whose name is not its identifier spelled in lower case.
    expect(managedRuleOf({ name: "securityhub-ec2-instance-managed-by-systems-manager-5e6f", sourceIdentifier: "EC2_INSTANCE_MANAGED_BY_SSM" })?.check).toBe(
      "aws.config.systems-manager",
    );
  });

  for (const c of CASES) {
    const evidence = [
      recording,
      rules([
        managed(c.rule, [
          evaluation(c.resourceType, c.good, "COMPLIANT"),
          evaluation(c.resourceType, c.bad, "NON_COMPLIANT", "Found by AWS Config."),
          evaluation(c.resourceType, "out-of-scope", "NOT_APPLICABLE"),
        ]),
      ]),
    ];

    it(`${c.check} (${c.rule}): compliant passes, non-compliant fails with AWS's annotation, out of scope is not applicable`, () => {
      const findings = runCheck(check(c.check), evidence, now).map(({ resourceId, status, reason }) => ({ resourceId, status, reason }));
      expect(findings).toEqual([
        { resourceId: `${c.resourceType}/${c.good}`, status: "pass", reason: `${c.noun} ${c.good} in global is compliant with ${c.rule}.` },
        {
          resourceId: `${c.resourceType}/${c.bad}`,
          status: "fail",
          reason: `${c.noun} ${c.bad} in global is non-compliant with ${c.rule} (Found by AWS Config.).`,
        },
        { resourceId: `${c.resourceType}/out-of-scope`, status: "not_applicable", reason: `${c.noun} out-of-scope in global is out of scope of ${c.rule}.` },
      ]);
    });

    it(`${c.check} (${c.rule}): error, never pass, when Config is not recording or the rule has no data yet`, () => {
      expect(runCheck(check(c.check), [stopped, evidence[1]!], now).map((f) => f.status)).toEqual(["error"]);
      const empty = rules([{ ...managed(c.rule, []), compliance: "INSUFFICIENT_DATA" }]);
      expect(runCheck(check(c.check), [recording, empty], now).map((f) => [f.status, f.resourceId])).toEqual([["error", `config-rule/${c.rule}`]]);
    });
  }

  it("a check ignores the rules of other checks", () => {
    const evidence = [recording, rules([managed("rds-multi-az-support", [evaluation("AWS::RDS::DBInstance", "db-orders", "NON_COMPLIANT")])])];
    expect(runCheck(check("aws.config.rds-public-access"), evidence, now)).toEqual([]);
    expect(runCheck(check("aws.config.redundancy"), evidence, now).map((f) => f.status)).toEqual(["fail"]);
  });

  it("load-balancer-tls: a finding counts for A.8.24 only when elb-predefined-security-policy-ssl-check judged the load balancer", () => {
    const lb = (id: string, compliance: RuleEvaluation["compliance"]) => evaluation("AWS::ElasticLoadBalancing::LoadBalancer", id, compliance);
    const evidence = [
      recording,
      rules([
        managed("elb-tls-https-listeners-only", [lb("web", "COMPLIANT"), lb("old", "NON_COMPLIANT")]),
        managed("elb-predefined-security-policy-ssl-check", [lb("web", "COMPLIANT"), lb("old", "NOT_APPLICABLE")]),
      ]),
    ];
    const controls = Object.fromEntries(runCheck(check("aws.config.load-balancer-tls"), evidence, now).map((f) => [f.resourceId, f.controls]));
    expect(controls).toEqual({
      "AWS::ElasticLoadBalancing::LoadBalancer/web": ["A.8.21", "A.5.14", "A.8.24"],
      "AWS::ElasticLoadBalancing::LoadBalancer/old": ["A.8.21", "A.5.14"],
    });
  });

  it("a resource failing one of a check's rules and passing another fails once, naming the failing rule", () => {
    const asg = (id: string, compliance: RuleEvaluation["compliance"]) => evaluation("AWS::AutoScaling::AutoScalingGroup", id, compliance);
    const evidence = [
      recording,
      rules([
        managed("autoscaling-multiple-az", [asg("web-asg", "COMPLIANT")]),
        managed("autoscaling-group-elb-healthcheck-required", [asg("web-asg", "NON_COMPLIANT")]),
      ]),
    ];
    expect(runCheck(check("aws.config.redundancy"), evidence, now)).toEqual([
      {
        resourceId: "AWS::AutoScaling::AutoScalingGroup/web-asg",
        status: "fail",
        reason: "Auto Scaling group web-asg in global is non-compliant with autoscaling-group-elb-healthcheck-required.",
        evidenceKind: CONFIG_EVIDENCE.rules,
      },
    ]);
  });
});
