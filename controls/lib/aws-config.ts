/**
 * Shared judgement for checks that read AWS Config rule results: one finding per resource per
 * region, across the managed rules the table in ../aws-config-rules.ts gives the check. A
 * resource failing any of them fails once; a region where Config is not recording yields an
 * `error`, never a pass on stale results.
 */
import { z } from "zod";
import type { Check, CheckContext, ControlMapping, FindingDraft, Severity } from "../../src/domain.js";
import { defineCheck, readEvidence } from "../../src/engine/check.js";
import {
  CONFIG_EVIDENCE,
  isRecording,
  recorderStatusEvidenceSchema,
  rulesEvidenceSchema,
  type ConfigRule,
  type RuleEvaluation,
} from "../../src/evidence/aws-config.js";
import { managedRuleOf } from "../aws-config-rules.js";

const RESOURCE_NOUNS: Record<string, string> = {
  "AWS::EC2::SecurityGroup": "Security group",
  "AWS::S3::Bucket": "S3 bucket",
  "AWS::EC2::Volume": "EBS volume",
  "AWS::RDS::DBInstance": "RDS instance",
  "AWS::CloudTrail::Trail": "CloudTrail trail",
  "AWS::IAM::User": "IAM user",
  "AWS::DynamoDB::Table": "DynamoDB table",
  "AWS::::Account": "Account",
  "AWS::EC2::VPC": "VPC",
  "AWS::EC2::Instance": "EC2 instance",
  "AWS::IAM::Policy": "IAM policy",
  "AWS::SSM::PatchCompliance": "Patch compliance of managed instance",
  "AWS::SSM::ManagedInstanceInventory": "Software inventory of managed instance",
  "AWS::ElasticLoadBalancing::LoadBalancer": "Classic load balancer",
  "AWS::ElasticLoadBalancingV2::LoadBalancer": "Load balancer",
  "AWS::AutoScaling::AutoScalingGroup": "Auto Scaling group",
  "AWS::ApiGateway::Stage": "API Gateway stage",
  "AWS::Logs::LogGroup": "CloudWatch log group",
  "AWS::Backup::BackupPlan": "Backup plan",
  "AWS::SecretsManager::Secret": "Secret",
  "AWS::ACM::Certificate": "ACM certificate",
  "AWS::KMS::Key": "KMS key",
  "AWS::S3::AccountPublicAccessBlock": "S3 account-level public access block of account",
  "AWS::SSM::AssociationCompliance": "Association compliance of managed instance",
  "AWS::RDS::DBSnapshot": "RDS snapshot",
  "AWS::RDS::DBClusterSnapshot": "RDS cluster snapshot",
  "AWS::EC2::Subnet": "Subnet",
  "AWS::ApiGatewayV2::Stage": "API Gateway (v2) stage",
};

export function resourceNoun(resourceType: string): string {
  return RESOURCE_NOUNS[resourceType] ?? resourceType;
}

/** The recorder gate every Config-based check passes first: an error finding when Config is not recording. */
export function recorderGap(context: CheckContext<unknown>): FindingDraft | undefined {
  const { scope } = context.evidence;
  const { data } = readEvidence(context.evidence, CONFIG_EVIDENCE.recorderStatus, recorderStatusEvidenceSchema);
  if (isRecording(data)) return undefined;
  return {
    resourceId: `arn:aws:config:${scope.region}:${scope.account}:recorder`,
    status: "error",
    reason: `AWS Config is not recording in region ${scope.region} of account ${scope.account}, so its rule results there are not current and cannot be judged.`,
    evidenceKind: CONFIG_EVIDENCE.recorderStatus,
  };
}

export function readRules(context: CheckContext<unknown>): ConfigRule[] {
  return readEvidence(context.evidence, CONFIG_EVIDENCE.rules, rulesEvidenceSchema).data.rules;
}

interface RuleGroupCheck {
  id: string;
  title: string;
  severity: Severity;
  controls: readonly ControlMapping[];
  /**
   * Controls (of `controls`) that only some of the check's managed rules speak for, by managed rule
   * name: a finding counts for such a control only when one of those rules judged its resource.
   * With this set, every finding carries its own `controls`.
   */
  controlsOnlyFromRules?: Readonly<Record<string, readonly string[]>>;
  remediation: string;
}

/** A check over the managed rules that the table assigns to `id`. */
export function defineConfigRuleCheck(definition: RuleGroupCheck): Check {
  const { controlsOnlyFromRules, ...metadata } = definition;
  const controlsOf = controlsOnlyFromRules ? scopedControls(definition.controls, controlsOnlyFromRules) : undefined;
  return defineCheck({
    ...metadata,
    sourceType: "aws",
    requires: [CONFIG_EVIDENCE.recorderStatus, CONFIG_EVIDENCE.rules],
    settings: z.object({}).strict(),
    evaluate(context) {
      const rules = readRules(context).filter((rule) => managedRuleOf(rule)?.check === definition.id);
      // No rule of this check deployed in the region: nothing to judge (the control shows the gap).
      if (rules.length === 0) return [];
      const gap = recorderGap(context);
      // Config not recording: none of the region's rules can be judged, so the gap is theirs.
      if (gap) return [controlsOf ? { ...gap, controls: controlsOf(rules) } : gap];
      return judgeRules(rules, context.evidence.scope.region, controlsOf);
    },
  });
}

/** The controls a finding judged by `rules` supports: the unscoped ones, and each scoped one whose rules are among them. */
function scopedControls(
  mappings: readonly ControlMapping[],
  onlyFrom: Readonly<Record<string, readonly string[]>>,
): (rules: readonly ConfigRule[]) => string[] {
  return (rules) => {
    const names = new Set(rules.map((rule) => managedRuleOf(rule)?.name));
    return mappings
      .map((m) => m.control)
      .filter((control) => {
        const from = onlyFrom[control];
        return from === undefined || from.some((name) => names.has(name));
      });
  };
}

/**
 * Per resource across `rules`: fail if any rule finds it non-compliant, error on insufficient data.
 * `controlsOf`, when given, sets each finding's controls from the rules that judged it (a rule that
 * found the resource NOT_APPLICABLE did not judge it).
 */
export function judgeRules(rules: readonly ConfigRule[], region: string, controlsOf?: (rules: readonly ConfigRule[]) => string[]): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const withControls = (finding: FindingDraft, judgedBy: readonly ConfigRule[]): FindingDraft =>
    controlsOf ? { ...finding, controls: controlsOf(judgedBy) } : finding;
  const byResource = new Map<string, { resourceType: string; resourceId: string; results: { rule: ConfigRule; evaluation: RuleEvaluation }[] }>();
  for (const rule of rules) {
    if (rule.evaluations.length === 0 && rule.compliance === "INSUFFICIENT_DATA") {
      findings.push(
        withControls(
          {
            resourceId: `config-rule/${rule.name}`,
            status: "error",
            reason: `AWS Config rule ${rule.name} in ${region} reports INSUFFICIENT_DATA: it has not evaluated any resource yet, so nothing can be judged from it.`,
            evidenceKind: CONFIG_EVIDENCE.rules,
          },
          [rule],
        ),
      );
      continue;
    }
    for (const evaluation of rule.evaluations) {
      const key = `${evaluation.resourceType}/${evaluation.resourceId}`;
      let entry = byResource.get(key);
      if (!entry) byResource.set(key, (entry = { resourceType: evaluation.resourceType, resourceId: evaluation.resourceId, results: [] }));
      entry.results.push({ rule, evaluation });
    }
  }
  for (const { resourceType, resourceId, results } of byResource.values()) {
    const noun = `${resourceNoun(resourceType)} ${resourceId}`;
    const with_ = (type: string) => results.filter((r) => r.evaluation.compliance === type).map((r) => ({ rule: r.rule.name, evaluation: r.evaluation }));
    const failing = with_("NON_COMPLIANT");
    const unknown = with_("INSUFFICIENT_DATA");
    const passing = with_("COMPLIANT");
    let finding: FindingDraft;
    if (failing.length > 0) {
      const notes = failing.map((r) => (r.evaluation.annotation ? `${r.rule} (${r.evaluation.annotation})` : r.rule));
      finding = { resourceId: `${resourceType}/${resourceId}`, status: "fail", reason: `${noun} in ${region} is non-compliant with ${notes.join(", ")}.` };
    } else if (unknown.length > 0) {
      finding = {
        resourceId: `${resourceType}/${resourceId}`,
        status: "error",
        reason: `${noun} in ${region} has insufficient data for ${unknown.map((r) => r.rule).join(", ")}, so it cannot be judged.`,
      };
    } else if (passing.length > 0) {
      finding = {
        resourceId: `${resourceType}/${resourceId}`,
        status: "pass",
        reason: `${noun} in ${region} is compliant with ${passing.map((r) => r.rule).join(", ")}.`,
      };
    } else {
      finding = {
        resourceId: `${resourceType}/${resourceId}`,
        status: "not_applicable",
        reason: `${noun} in ${region} is out of scope of ${results.map((r) => r.rule.name).join(", ")}.`,
      };
    }
    const judgedBy = results.filter((r) => r.evaluation.compliance !== "NOT_APPLICABLE").map((r) => r.rule);
    findings.push(withControls({ ...finding, evidenceKind: CONFIG_EVIDENCE.rules }, judgedBy));
  }
  return findings;
}
