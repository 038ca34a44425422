/**
 * report.json: the machine-readable evidence report. Integrators rely on it, so its schema is
 * exported (config/report.schema.json) and versioned: a field is added in a minor version,
 * and renaming or removing one makes a new major `schemaVersion`.
 */
import { z } from "zod";
import {
  CONTROL_STATUSES,
  DRIFT_KINDS,
  FINDING_STATUSES,
  IMPLEMENTATION_STATUSES,
  OBJECTIVE_STATUSES,
  RUN_STATUSES,
  SEVERITIES,
  SOURCE_TYPES,
} from "../src/domain.js";
import { registersSnapshotSchema } from "../src/registers.js";

/**
 * 1.1 added: asOf, run.sources, excepted counts and finding exceptions, control freshness, SoA and manual evidence, objective history, drift, alerts, exceptions register.
 * 1.2 added: per control its evidence set (evidenceSet, missingEvidence; coverage is judged from it) and the SoA's inclusionJustification and implementationStatus.
 * 1.3 added: registers (risks with their live status, nonconformities with their corrective actions and verification, audit samples,
 *   management review records) as they stood after the run; a control's inclusionJustification defaults to the risks it treats.
 */
export const REPORT_SCHEMA_VERSION = "1.3";

const counts = z.object({
  pass: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  not_applicable: z.number().int().nonnegative(),
  excepted: z.number().int().nonnegative(),
});

const appliedException = z.object({ id: z.string(), reason: z.string(), owner: z.string(), approvedBy: z.string(), expires: z.string() });

export const reportFindingSchema = z.object({
  checkId: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  source: z.string(),
  sourceType: z.enum(SOURCE_TYPES),
  account: z.string(),
  region: z.string(),
  resourceId: z.string(),
  status: z.enum(FINDING_STATUSES),
  reason: z.string(),
  controls: z.array(z.string()),
  remediation: z.string(),
  evidenceSha256: z.string().nullable(),
  exception: appliedException.nullable(),
});

export const reportControlSchema = z.object({
  id: z.string(),
  title: z.string(),
  theme: z.enum(["organizational", "people", "physical", "technological"]),
  automation: z.enum(["automated", "partial", "manual"]),
  status: z.enum(CONTROL_STATUSES),
  /**
   * How far this run's evidence covers the control's evidence set: `automated` every element
   * collected, `partial` some (see missingEvidence), `manual` only the control's manual evidence,
   * `none` nothing. Controls without an evidence set (user-mapped rules) fall back to the catalog.
   */
  coverage: z.enum(["automated", "partial", "manual", "none"]),
  /** The kinds of evidence that together would show the control, and what this run had of each. */
  evidenceSet: z.array(
    z.object({
      id: z.string(),
      description: z.string(),
      collected: z.boolean(),
      /** Collected by automated checks, filled by manual evidence filed for the element, or missing (null). */
      by: z.enum(["checks", "manual"]).nullable(),
      checks: z.array(z.string()),
      manualEvidence: z.array(z.number().int()),
      missing: z.string().nullable(),
    }),
  ),
  /** Descriptions of the evidence-set elements not collected. */
  missingEvidence: z.array(z.string()),
  checks: z.array(z.string()),
  counts,
  /** Statement of Applicability: false when excluded, with the justification. */
  applicable: z.boolean(),
  /** Justification for exclusion; null when the control applies. */
  justification: z.string().nullable(),
  /** Justification for inclusion (clause 6.1.3 d), as configured; null when none was written or the control is excluded. */
  inclusionJustification: z.string().nullable(),
  /** Implementation status as the ISMS owner states it in config; `not_stated` when not stated; null when excluded. */
  implementationStatus: z.enum(IMPLEMENTATION_STATUSES).nullable(),
  lastEvidenceAt: z.string().nullable(),
  stale: z.boolean(),
  staleReason: z.string().nullable(),
  manualEvidence: z.array(
    z.object({
      id: z.number().int(),
      fileName: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      note: z.string(),
      addedAt: z.string(),
      validUntil: z.string().nullable(),
      expired: z.boolean(),
    }),
  ),
});

export const reportObjectiveSchema = z.object({
  id: z.string(),
  title: z.string(),
  owner: z.string(),
  metric: z.string(),
  value: z.number().nullable(),
  numerator: z.number().int(),
  denominator: z.number().int(),
  errors: z.number().int(),
  target: z.number(),
  deadline: z.string(),
  status: z.enum(OBJECTIVE_STATUSES),
  /** Measurements of earlier completed runs of the same scope, oldest first, then this one. */
  history: z.array(z.object({ runId: z.number().int(), measuredAt: z.string(), value: z.number().nullable() })),
  trend: z.enum(["up", "down", "flat", "none"]),
  /** When a least-squares line through the history reaches the target; null if it never does at this rate. */
  projectedDate: z.string().nullable(),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  organization: z.string(),
  /** The moment the report shows the state for: the run's end, or `report --as-of`. */
  asOf: z.string(),
  tool: z.object({ name: z.literal("isms-agent"), version: z.string() }),
  run: z.object({
    id: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.enum(RUN_STATUSES),
    error: z.string().nullable(),
    hash: z.string().nullable(),
    prevHash: z.string().nullable(),
    sources: z.array(z.string()),
  }),
  /** What was in scope: every collector of every source, and whether it delivered. */
  scope: z.array(
    z.object({
      collector: z.string(),
      source: z.string(),
      sourceType: z.enum(SOURCE_TYPES),
      account: z.string(),
      region: z.string(),
      status: z.enum(["ok", "error"]),
      error: z.string().nullable(),
      finishedAt: z.string(),
    }),
  ),
  summary: z.object({
    findings: counts,
    controls: z.record(z.enum(CONTROL_STATUSES), z.number().int()),
  }),
  findings: z.array(reportFindingSchema),
  controls: z.array(reportControlSchema).length(93),
  objectives: z.array(reportObjectiveSchema),
  evidence: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      apiCall: z.string(),
      source: z.string(),
      account: z.string(),
      region: z.string(),
      collectedAt: z.string(),
      sha256: z.string(),
    }),
  ),
  drift: z.object({
    previousRunId: z.number().int().nullable(),
    events: z.array(
      z.object({
        kind: z.enum(DRIFT_KINDS),
        key: z.string(),
        severity: z.enum(SEVERITIES),
        message: z.string(),
        checkId: z.string().nullable(),
        controlId: z.string().nullable(),
        objectiveId: z.string().nullable(),
        before: z.string().nullable(),
        after: z.string().nullable(),
      }),
    ),
  }),
  alerts: z.array(
    z.object({
      channel: z.string(),
      status: z.enum(["sent", "failed"]),
      attempts: z.number().int(),
      error: z.string().nullable(),
      at: z.string(),
      alerts: z.array(z.string()),
    }),
  ),
  exceptions: z.array(
    z.object({
      id: z.string(),
      checkId: z.string(),
      resource: z.string().nullable(),
      source: z.string().nullable(),
      account: z.string().nullable(),
      reason: z.string(),
      owner: z.string(),
      approvedBy: z.string(),
      expires: z.string(),
      origin: z.enum(["config", "register"]),
      expired: z.boolean(),
      findings: z.number().int(),
    }),
  ),
  /** The PDCA registers as they stood after the run; null for runs stored before they were kept. */
  registers: registersSnapshotSchema.nullable(),
  notes: z.array(z.string()),
});

export type Report = z.infer<typeof reportSchema>;
export type ReportFinding = z.infer<typeof reportFindingSchema>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { io: "output" });
}
