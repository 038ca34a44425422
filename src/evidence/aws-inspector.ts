/**
 * Amazon Inspector evidence (inspector2 BatchGetAccountStatus and ListFindings), shared by the
 * collector (validating what it stores) and the checks (validating what the store gives back).
 * Statuses stay exactly as AWS writes them; the checks refuse to read unknown ones as good.
 */
import { z } from "zod";

export const INSPECTOR_EVIDENCE = {
  accountStatus: "aws.inspector2.account-status",
  findings: "aws.inspector2.findings",
} as const;

/** The scan types BatchGetAccountStatus reports per account, as AWS names them. */
export const SCAN_TYPES = ["ec2", "ecr", "lambda", "lambdaCode", "codeRepository"] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

const stateSchema = z.object({ status: z.string().nullable(), errorCode: z.string().nullable(), errorMessage: z.string().nullable() });
export type InspectorState = z.infer<typeof stateSchema>;

export const accountStatusEvidenceSchema = z.object({
  accounts: z.array(
    z.object({
      accountId: z.string(),
      state: stateSchema,
      /** Per scan type; a type AWS did not report is absent. */
      resourceState: z.partialRecord(z.enum(SCAN_TYPES), stateSchema),
    }),
  ),
  failedAccounts: z.array(z.object({ accountId: z.string(), errorCode: z.string().nullable(), errorMessage: z.string().nullable() })),
});
export type AccountStatusEvidence = z.infer<typeof accountStatusEvidenceSchema>;

/** Why findings were not listed: the account's Inspector is not enabled in the region (nothing to list). */
export const INSPECTOR_NOT_ENABLED = "Inspector not enabled";

export const inspectorFindingSchema = z.object({
  findingArn: z.string(),
  severity: z.string(),
  status: z.string(),
  type: z.string().nullable(),
  title: z.string().nullable(),
  vulnerabilityId: z.string().nullable(),
  firstObservedAt: z.string().nullable(),
  lastObservedAt: z.string().nullable(),
  fixAvailable: z.string().nullable(),
  resources: z.array(z.object({ type: z.string().nullable(), id: z.string() })),
});
export type InspectorFinding = z.infer<typeof inspectorFindingSchema>;

export const findingsEvidenceSchema = z.object({
  /** The server-side filter the findings were listed with: what the list can and cannot contain. */
  filter: z.object({ awsAccountId: z.string(), findingStatus: z.array(z.string()), severity: z.array(z.string()) }),
  findings: z.array(inspectorFindingSchema),
  notListed: z.literal(INSPECTOR_NOT_ENABLED).optional(),
});
export type FindingsEvidence = z.infer<typeof findingsEvidenceSchema>;

/** The filter the collector asks for: active critical and high findings of this account. */
export const FINDINGS_FILTER = { findingStatus: ["ACTIVE"], severity: ["CRITICAL", "HIGH"] } as const;
