/**
 * report.json: the machine-readable evidence report. Integrators rely on it, so its schema is
 * exported (config/report.schema.json) and versioned: a field is added in a minor version,
 * and renaming or removing one makes a new major `schemaVersion`.
 */
import { z } from "zod";
import { CONTROL_STATUSES, FINDING_STATUSES, OBJECTIVE_STATUSES, RUN_STATUSES, SEVERITIES, SOURCE_TYPES } from "../src/domain.js";

export const REPORT_SCHEMA_VERSION = "1.0";

const counts = z.object({
  pass: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
  not_applicable: z.number().int().nonnegative(),
});

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
});

export const reportControlSchema = z.object({
  id: z.string(),
  title: z.string(),
  theme: z.enum(["organizational", "people", "physical", "technological"]),
  automation: z.enum(["automated", "partial", "manual"]),
  status: z.enum(CONTROL_STATUSES),
  coverage: z.enum(["automated", "partial", "none"]),
  checks: z.array(z.string()),
  counts,
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
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  organization: z.string(),
  tool: z.object({ name: z.literal("isms-agent"), version: z.string() }),
  run: z.object({
    id: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.enum(RUN_STATUSES),
    error: z.string().nullable(),
    hash: z.string().nullable(),
    prevHash: z.string().nullable(),
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
  notes: z.array(z.string()),
});

export type Report = z.infer<typeof reportSchema>;
export type ReportFinding = z.infer<typeof reportFindingSchema>;

export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { io: "output" });
}
