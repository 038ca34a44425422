import { describe, expect, it } from "vitest";
import customRules from "../../../../../controls/checks/aws/config/custom-rules.js";
import encryption from "../../../../../controls/checks/aws/config/encryption-at-rest.js";
import firewall from "../../../../../controls/checks/aws/config/firewall-rules.js";
import guardduty from "../../../../../controls/checks/aws/config/guardduty.js";
import { managedRuleOf } from "../../../../../controls/aws-config-rules.js";
import { CONFIG_EVIDENCE, type ConfigRule } from "../../../../../src/evidence/aws-config.js";
import { runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const recording = stored(CONFIG_EVIDENCE.recorderStatus, { recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] });
const stopped = stored(
  CONFIG_EVIDENCE.recorderStatus,
  { recorders: [{ name: "default", recording: false, lastStatus: "SUCCESS", lastErrorCode: null }] },
  undefined,
  2,
);
const rules = (list: ConfigRule[]) => stored(CONFIG_EVIDENCE.rules, { rules: list }, undefined, 3);
const rule = (
  name: string,
  sourceIdentifier: string | null,
  evaluations: ConfigRule["evaluations"],
  compliance: ConfigRule["compliance"] = null,
): ConfigRule => ({
  name,
  sourceIdentifier,
  owner: "AWS",
  state: "ACTIVE",
  compliance,
  evaluations,
});
const sg = (id: string, compliance: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE", annotation: string | null = null) => ({
  resourceType: "AWS::EC2::SecurityGroup",
  resourceId: id,
  compliance,
  annotation,
  recordedAt: null,
});

describe("AWS Config rule checks", () => {
  const firewallRules = rules([
    rule("restricted-ssh", "INCOMING_SSH_DISABLED", [sg("sg-1", "COMPLIANT"), sg("sg-2", "NON_COMPLIANT", "Port 22 open to 0.0.0.0/0.")]),
    rule("securityhub-restricted-common-ports-9f8e7d", "RESTRICTED_INCOMING_TRAFFIC", [
      sg("sg-1", "COMPLIANT"),
      sg("sg-2", "NON_COMPLIANT"),
      sg("sg-3", "NOT_APPLICABLE"),
    ]),
  ]);

  it("compliant: a group passing every firewall rule passes once, naming the rules", () => {
    expect(runCheck(firewall, [recording, firewallRules], now).find((f) => f.resourceId.endsWith("sg-1"))).toEqual({
      resourceId: "AWS::EC2::SecurityGroup/sg-1",
      status: "pass",
      reason: "Security group sg-1 in global is compliant with restricted-ssh, securityhub-restricted-common-ports-9f8e7d.",
      evidenceKind: CONFIG_EVIDENCE.rules,
      controls: ["A.8.20"],
    });
  });

  it("non-compliant: a group failing two rules is one failing finding naming both, with AWS's annotation", () => {
    const findings = runCheck(firewall, [recording, firewallRules], now);
    expect(findings.filter((f) => f.resourceId.endsWith("sg-2"))).toEqual([
      {
        resourceId: "AWS::EC2::SecurityGroup/sg-2",
        status: "fail",
        reason: "Security group sg-2 in global is non-compliant with restricted-ssh (Port 22 open to 0.0.0.0/0.), securityhub-restricted-common-ports-9f8e7d.",
        evidenceKind: CONFIG_EVIDENCE.rules,
        controls: ["A.8.20"],
      },
    ]);
    expect(findings.find((f) => f.resourceId.endsWith("sg-3"))?.status).toBe("not_applicable");
  });

  it("error, never pass: Config is not recording in the region", () => {
    expect(runCheck(firewall, [stopped, firewallRules], now)).toEqual([
      {
        resourceId: "arn:aws:config:global:123456789012:recorder",
        status: "error",
        reason: "AWS Config is not recording in region global of account 123456789012, so its rule results there are not current and cannot be judged.",
        evidenceKind: CONFIG_EVIDENCE.recorderStatus,
        // No default-group rule among these, so A.8.22 is not claimed (see firewall-rules-mapping.test.ts).
        controls: ["A.8.20"],
      },
    ]);
  });

  it("error: a rule with INSUFFICIENT_DATA", () => {
    const findings = runCheck(
      guardduty,
      [recording, rules([rule("guardduty-enabled-centralized", "GUARDDUTY_ENABLED_CENTRALIZED", [], "INSUFFICIENT_DATA")])],
      now,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        status: "error",
        reason:
          "AWS Config rule guardduty-enabled-centralized in global reports INSUFFICIENT_DATA: it has not evaluated any resource yet, so nothing can be judged from it.",
      }),
    ]);
  });

  it("no rule of the check deployed: no finding at all (neither pass nor fail)", () => {
    expect(runCheck(encryption, [recording, firewallRules], now)).toEqual([]);
  });

  it("a real recorded evaluation (custodian rule on an EBS volume) is a custom rule, unmapped unless config maps it", () => {
    const recorded = JSON.parse(vendorFile("aws/config/c7n_placebo_test_config_compliance__config.GetComplianceDetailsByConfigRule_1.json")) as {
      data: {
        EvaluationResults: {
          Annotation?: string;
          ComplianceType: "NON_COMPLIANT";
          EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: string; ResourceId: string; ConfigRuleName: string } };
        }[];
      };
    };
    const evaluations = recorded.data.EvaluationResults.map((r) => ({
      resourceType: r.EvaluationResultIdentifier.EvaluationResultQualifier.ResourceType,
      resourceId: r.EvaluationResultIdentifier.EvaluationResultQualifier.ResourceId,
      compliance: r.ComplianceType,
      annotation: r.Annotation ?? null,
      recordedAt: null,
    }));
    const evidence = [
      recording,
      rules([{ ...rule("custodian-good-vol", "arn:aws:lambda:us-east-1:644160558196:function:custodian-good-vol", evaluations), owner: "CUSTOM_LAMBDA" }]),
    ];
    expect(runCheck(customRules, evidence, now)).toEqual([
      {
        resourceId: "config-rule/custodian-good-vol/AWS::EC2::Volume/vol-0c6efd2a9f5677a03",
        status: "fail",
        reason:
          "EBS volume vol-0c6efd2a9f5677a03 in global is non-compliant with custodian-good-vol (Resource is not compliant with policy:good-vol) (custom rule, not mapped to any Annex A control).",
        evidenceKind: CONFIG_EVIDENCE.rules,
        controls: [],
      },
    ]);
    expect(runCheck(customRules, evidence, now, { rules: { "custodian-good-vol": ["A.8.24"] } })[0]).toMatchObject({
      controls: ["A.8.24"],
      reason: expect.stringContaining("mapped to A.8.24"),
    });
  });

  it("matches deployed rules to managed rules by identifier, or by name for Security Hub's Lambda-backed copies", () => {
    const recorded = JSON.parse(vendorFile("aws/config/c7n_placebo_test_config_rule_remediation__config.DescribeConfigRules_5.json")) as {
      data: { ConfigRules: { ConfigRuleName: string; Source: { SourceIdentifier: string } }[] };
    };
    const matched = recorded.data.ConfigRules.map((r) => [
      r.ConfigRuleName,
      managedRuleOf({ name: r.ConfigRuleName, sourceIdentifier: r.Source.SourceIdentifier })?.check,
    ]).filter(([, check]) => check);
    // Security Hub's copies carry the managed identifiers, which is how AWS's own names are confirmed here.
    expect(matched).toEqual([
      ["securityhub-alb-http-to-https-redirection-check-38d2ccc5", "aws.config.load-balancer-tls"],
      ["securityhub-api-gw-ssl-enabled-63dc8c41", "aws.config.api-gateway-backend-certificate"],
      ["securityhub-autoscaling-group-elb-healthcheck-required-2d5a6ad0", "aws.config.redundancy"],
      ["securityhub-cmk-backing-key-rotation-enabled-9f83d77c", "aws.config.kms-key-rotation"],
      ["securityhub-dynamodb-pitr-enabled-f66363e6", "aws.config.backups"],
      ["securityhub-ec2-ebs-encryption-by-default-f75d5eaf", "aws.config.ebs-default-encryption"],
    ]);
    expect(
      managedRuleOf({ name: "securityhub-restricted-ssh-1a2b", sourceIdentifier: "arn:aws:lambda:us-east-1:1:function:SecurityHubConfigRule" })?.check,
    ).toBe("aws.config.firewall-rules");
    expect(managedRuleOf({ name: "multi-region-cloudtrail-enabled-conformance-pack-x", sourceIdentifier: null })?.name).toBe("multi-region-cloudtrail-enabled");
    expect(managedRuleOf({ name: "my-own-rule", sourceIdentifier: "arn:aws:lambda:x" })).toBeUndefined();
  });
});
