/**
 * AWS Config evidence, shared by the collector (validating what the API sent) and the checks
 * (validating what the store gives back).
 */
import { z } from "zod";

export const CONFIG_EVIDENCE = {
  recorderStatus: "aws.config.recorder-status",
  rules: "aws.config.rules",
  conformancePacks: "aws.config.conformance-packs",
} as const;

export const COMPLIANCE_TYPES = ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA"] as const;
export type ComplianceType = (typeof COMPLIANCE_TYPES)[number];

export const recorderStatusEvidenceSchema = z.object({
  recorders: z.array(
    z.object({
      name: z.string(),
      recording: z.boolean(),
      lastStatus: z.string().nullable(),
      lastErrorCode: z.string().nullable(),
    }),
  ),
});
export type RecorderStatusEvidence = z.infer<typeof recorderStatusEvidenceSchema>;

export const evaluationSchema = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  compliance: z.enum(COMPLIANCE_TYPES),
  annotation: z.string().nullable(),
  recordedAt: z.string().nullable(),
});
export type RuleEvaluation = z.infer<typeof evaluationSchema>;

export const configRuleSchema = z.object({
  name: z.string(),
  /** For AWS managed rules the managed rule identifier (e.g. INCOMING_SSH_DISABLED); a Lambda ARN for custom rules. */
  sourceIdentifier: z.string().nullable(),
  owner: z.string().nullable(),
  state: z.string().nullable(),
  /** Rule-level compliance from DescribeComplianceByConfigRule (INSUFFICIENT_DATA lives only here). */
  compliance: z.enum(COMPLIANCE_TYPES).nullable(),
  evaluations: z.array(evaluationSchema),
});
export type ConfigRule = z.infer<typeof configRuleSchema>;

/** Why a region's rules and packs were not listed: AWS Config keeps none without a recorder. */
export const NO_RECORDER = "no configuration recorder";

export const rulesEvidenceSchema = z.object({ rules: z.array(configRuleSchema), notListed: z.literal(NO_RECORDER).optional() });
export type RulesEvidence = z.infer<typeof rulesEvidenceSchema>;

export const conformancePacksEvidenceSchema = z.object({
  packs: z.array(z.object({ name: z.string(), rules: z.array(z.object({ rule: z.string(), compliance: z.string().nullable() })) })),
  notListed: z.literal(NO_RECORDER).optional(),
});

/** Whether any recorder in the region is recording. */
export function isRecording(evidence: RecorderStatusEvidence): boolean {
  return evidence.recorders.some((r) => r.recording);
}
