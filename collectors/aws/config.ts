/**
 * AWS Config, one account and region: is the recorder on, which rules exist (with their managed
 * rule identifiers), each rule's compliance and its per-resource results, and conformance packs.
 * Fetches and validates; never judges.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { COMPLIANCE_TYPES, CONFIG_EVIDENCE, NO_RECORDER, type ComplianceType, type ConfigRule, type RuleEvaluation } from "../../src/evidence/aws-config.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { loadPackage } from "../load-package.js";
import { awsClientConfig, describeAwsError, type AwsCredentials, type AwsRetryStrategy } from "./clients.js";

export const AWS_CONFIG_COLLECTOR = "aws.config";

export interface AwsConfigOptions {
  source: AwsSourceConfig;
  account: string;
  region: string;
  credentials?: AwsCredentials;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

function compliance(value: string | undefined): ComplianceType | null {
  return (COMPLIANCE_TYPES as readonly string[]).includes(value ?? "") ? (value as ComplianceType) : null;
}

export const awsConfigCollector: CollectorDefinition<AwsConfigOptions> = {
  name: AWS_CONFIG_COLLECTOR,
  sourceType: "aws",
  produces: [CONFIG_EVIDENCE.recorderStatus, CONFIG_EVIDENCE.rules, CONFIG_EVIDENCE.conformancePacks],
  permissions: [
    "config:DescribeConfigurationRecorderStatus",
    "config:DescribeConfigRules",
    "config:DescribeComplianceByConfigRule",
    "config:GetComplianceDetailsByConfigRule",
    "config:DescribeConformancePacks",
    "config:DescribeConformancePackCompliance",
  ],
  async collect(options, context) {
    const { source, account, region } = options;
    // Loaded when the collector runs: a run without it (e.g. `collectors: [aws.iam]`) never reads the SDK client.
    const {
      ConfigServiceClient,
      DescribeComplianceByConfigRuleCommand,
      DescribeConfigRulesCommand,
      DescribeConfigurationRecorderStatusCommand,
      DescribeConformancePackComplianceCommand,
      DescribeConformancePacksCommand,
      GetComplianceDetailsByConfigRuleCommand,
    } = await loadPackage(import("@aws-sdk/client-config-service"));
    const client = new ConfigServiceClient(awsClientConfig(source, region, options.credentials, options.retryStrategy));
    const call = { abortSignal: context.signal };
    const at = async <T>(apiCall: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw new CollectorError({ collector: AWS_CONFIG_COLLECTOR, source: source.name, account, region, apiCall }, describeAwsError(error, apiCall), {
          cause: error,
        });
      }
    };
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region }, context);

    try {
      // The recorder's status first: it is the evidence aws.config.recorder-on reads, and it says
      // whether there is anything else to read. AWS Config cannot create rules or conformance
      // packs without a recorder (NoAvailableConfigurationRecorderException), so a region with
      // none costs this one call instead of four.
      const status = await at("DescribeConfigurationRecorderStatus", () => client.send(new DescribeConfigurationRecorderStatusCommand({}), call));
      const recorders = (status.ConfigurationRecordersStatus ?? []).map((r) => ({
        name: r.name ?? "default",
        recording: r.recording === true,
        lastStatus: r.lastStatus ?? null,
        lastErrorCode: r.lastErrorCode ?? null,
      }));
      const recorderEvidence = evidence(CONFIG_EVIDENCE.recorderStatus, "DescribeConfigurationRecorderStatus", { recorders });
      if (recorders.length === 0) {
        // Stored all the same, saying they were not listed, so every Config check finds its
        // evidence: recorder-on fails, and the rule checks have no rule to judge.
        return [
          recorderEvidence,
          evidence(CONFIG_EVIDENCE.rules, "DescribeConfigurationRecorderStatus", { rules: [], notListed: NO_RECORDER }),
          evidence(CONFIG_EVIDENCE.conformancePacks, "DescribeConfigurationRecorderStatus", { packs: [], notListed: NO_RECORDER }),
        ];
      }

      // The three listings are independent: one round trip instead of three. The per-rule and
      // per-pack reads below stay one at a time, as AWS Config allows only a few calls a second.
      const [ruleList, ruleCompliance, packNames] = await Promise.all([
        // Rules are read even where the recorder is stopped: what AWS still reports is evidence
        // too (the checks refuse to pass on it).
        at("DescribeConfigRules", () =>
          collectAll("DescribeConfigRules", async (NextToken) => {
            const page = await client.send(new DescribeConfigRulesCommand({ NextToken }), call);
            return { items: page.ConfigRules ?? [], next: page.NextToken };
          }),
        ),
        at("DescribeComplianceByConfigRule", () =>
          collectAll("DescribeComplianceByConfigRule", async (NextToken) => {
            const page = await client.send(new DescribeComplianceByConfigRuleCommand({ NextToken }), call);
            return { items: page.ComplianceByConfigRules ?? [], next: page.NextToken };
          }),
        ),
        at("DescribeConformancePacks", () =>
          collectAll("DescribeConformancePacks", async (NextToken) => {
            const page = await client.send(new DescribeConformancePacksCommand({ NextToken }), call);
            return { items: (page.ConformancePackDetails ?? []).map((p) => p.ConformancePackName ?? ""), next: page.NextToken };
          }),
        ),
      ]);
      const complianceByRule = new Map(ruleCompliance.map((c) => [c.ConfigRuleName ?? "", compliance(c.Compliance?.ComplianceType)]));

      const rules: ConfigRule[] = [];
      for (const rule of ruleList) {
        const name = rule.ConfigRuleName;
        if (!name)
          throw new CollectorError(
            { collector: AWS_CONFIG_COLLECTOR, source: source.name, account, region, apiCall: "DescribeConfigRules" },
            "malformed response: a rule has no ConfigRuleName",
          );
        const evaluations: RuleEvaluation[] = await at("GetComplianceDetailsByConfigRule", () =>
          collectAll(`GetComplianceDetailsByConfigRule ${name}`, async (NextToken) => {
            const page = await client.send(
              new GetComplianceDetailsByConfigRuleCommand({
                ConfigRuleName: name,
                ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
                Limit: 100,
                NextToken,
              }),
              call,
            );
            return {
              items: (page.EvaluationResults ?? []).map((result) => {
                const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
                const type = compliance(result.ComplianceType);
                if (!qualifier?.ResourceType || !qualifier.ResourceId || !type) {
                  throw new Error(`malformed response: an evaluation of rule ${name} lacks its resource type, id or compliance type`);
                }
                return {
                  resourceType: qualifier.ResourceType,
                  resourceId: qualifier.ResourceId,
                  compliance: type,
                  annotation: result.Annotation ?? null,
                  recordedAt: result.ResultRecordedTime ? result.ResultRecordedTime.toISOString() : null,
                };
              }),
              next: page.NextToken,
            };
          }),
        );
        rules.push({
          name,
          sourceIdentifier: rule.Source?.SourceIdentifier ?? null,
          owner: rule.Source?.Owner ?? null,
          state: rule.ConfigRuleState ?? null,
          compliance: complianceByRule.get(name) ?? null,
          evaluations,
        });
      }

      const packs = [];
      for (const pack of packNames.filter(Boolean)) {
        const packRules = await at("DescribeConformancePackCompliance", () =>
          collectAll(`DescribeConformancePackCompliance ${pack}`, async (NextToken) => {
            const page = await client.send(new DescribeConformancePackComplianceCommand({ ConformancePackName: pack, NextToken }), call);
            return {
              items: (page.ConformancePackRuleComplianceList ?? []).map((r) => ({ rule: r.ConfigRuleName ?? "", compliance: r.ComplianceType ?? null })),
              next: page.NextToken,
            };
          }),
        );
        packs.push({ name: pack, rules: packRules });
      }

      return [
        recorderEvidence,
        evidence(CONFIG_EVIDENCE.rules, "DescribeConfigRules+DescribeComplianceByConfigRule+GetComplianceDetailsByConfigRule", { rules }),
        evidence(CONFIG_EVIDENCE.conformancePacks, "DescribeConformancePacks+DescribeConformancePackCompliance", { packs }),
      ];
    } finally {
      client.destroy();
    }
  },
};
