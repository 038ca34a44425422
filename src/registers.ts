/**
 * The registers that close the Plan-Do-Check-Act loop (ISO/IEC 27001:2022 clauses 6.1.2/6.1.3,
 * 9.2, 9.3 and 10.2): risks, nonconformities with their corrective actions, management review
 * records and audit samples. Each is a zod schema, because every entry is read back from stored
 * JSON and must be checked there; the types are what the schemas give.
 */
import { z } from "zod";
import { SEVERITIES } from "./domain.js";

export const RISK_TREATMENTS = ["treat", "accept", "transfer", "avoid"] as const;
export type RiskTreatment = (typeof RISK_TREATMENTS)[number];

export const riskSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    asset: z.string().min(1),
    threat: z.string().min(1),
    likelihood: z.number().int().min(1),
    impact: z.number().int().min(1),
    owner: z.string().min(1),
    treatment: z.enum(RISK_TREATMENTS),
    controls: z.array(z.string()),
    objectives: z.array(z.string()),
    /** Exceptions (accepted risks of findings) an `accept` treatment rests on. */
    exceptions: z.array(z.string()),
    /** The residual score (likelihood × impact) the treatment aims for; null when none was set. */
    residualTarget: z.number().int().min(1).nullable(),
    reviewDate: z.string().nullable(),
    origin: z.enum(["config", "register"]),
    createdAt: z.string().nullable(),
  })
  .strict();
export type Risk = z.infer<typeof riskSchema>;

export const NC_STATUSES = ["open", "verifying", "closed"] as const;
export type NcStatus = (typeof NC_STATUSES)[number];
/** How a nonconformity came to be: three rules over evidence, or a person (an audit, a complaint). */
export const NC_ORIGINS = ["failure_sla", "objective_deadline", "stale_evidence", "manual"] as const;
export type NcOrigin = (typeof NC_ORIGINS)[number];

/** A run cited as evidence: its id, its place in the hash chain and when it started. */
export const citedRunSchema = z.object({ runId: z.number().int(), hash: z.string(), startedAt: z.string() }).strict();
export type CitedRun = z.infer<typeof citedRunSchema>;

export const nonconformitySchema = z
  .object({
    id: z.string().min(1),
    /** What the agent opened it for (check:<id>, objective:<id>, stale:<control>); null when entered by hand. */
    key: z.string().nullable(),
    origin: z.enum(NC_ORIGINS),
    /** What happened, a full sentence. */
    title: z.string().min(1),
    severity: z.enum(SEVERITIES),
    controls: z.array(z.string()),
    checks: z.array(z.string()),
    objectives: z.array(z.string()),
    detectedAt: z.string(),
    detectedRun: citedRunSchema.nullable(),
    owner: z.string().nullable(),
    dueDate: z.string().nullable(),
    correction: z.string().nullable(),
    rootCause: z.string().nullable(),
    correctiveAction: z.string().nullable(),
    actionRecordedAt: z.string().nullable(),
    /** Where else the same checks fail (clause 10.2 b 3): resources, as the detecting run saw them. */
    similar: z.array(z.string()),
    status: z.enum(NC_STATUSES),
    /** The passing runs that prove the action effective (while verifying: the streak so far). */
    verification: z.array(citedRunSchema),
    closedAt: z.string().nullable(),
    /** Closed by a person (no evidence can show it) rather than by runs: their note. */
    closedByHand: z.string().nullable(),
    recurrences: z.number().int().min(0),
    reopenedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .strict();
export type Nonconformity = z.infer<typeof nonconformitySchema>;

export const reviewActionSchema = z.object({ id: z.string().min(1), text: z.string().min(1), owner: z.string().min(1), due: z.string().nullable() }).strict();
export type ReviewAction = z.infer<typeof reviewActionSchema>;

/** The outputs of a management review (clause 9.3.3), recorded by people after the meeting. */
export const reviewRecordSchema = z
  .object({
    id: z.string().min(1),
    heldOn: z.string(),
    from: z.string(),
    to: z.string(),
    attendees: z.array(z.string()),
    decisions: z.array(z.string()),
    actions: z.array(reviewActionSchema),
    /** Ids of actions of earlier reviews that this review found done. */
    actionsDone: z.array(z.string()),
    /** The inputs people bring (9.3.2 b, c, e), when they were written down. */
    entered: z.object({ issues: z.string().nullable(), interestedParties: z.string().nullable(), feedback: z.string().nullable() }).strict(),
    recordedAt: z.string(),
  })
  .strict();
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;

/** A reproducible audit sample (clause 9.2): enough to redraw it and to prove the population. */
export const auditSampleSchema = z
  .object({
    id: z.string().min(1),
    control: z.string(),
    run: citedRunSchema,
    seed: z.string().min(1),
    size: z.number().int().min(1),
    populationSize: z.number().int().min(0),
    populationSha256: z.string(),
    items: z.array(z.string()),
    drawnAt: z.string(),
    auditor: z.string().nullable(),
    /** What the auditor found per item; a nonconforming one opened the nonconformity named. */
    results: z
      .array(
        z
          .object({
            item: z.string(),
            result: z.enum(["conforming", "nonconforming"]),
            note: z.string(),
            recordedAt: z.string(),
            nonconformity: z.string().nullable(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type AuditSample = z.infer<typeof auditSampleSchema>;

const counts = z.object({ pass: z.number(), fail: z.number(), error: z.number(), not_applicable: z.number(), excepted: z.number() }).strict();

/**
 * What the loop needs to remember of one finished run, kept beside it: its hash, each check's
 * finding counts, the controls whose evidence was stale and each objective's status. Small, so
 * the rules can look back over weeks without reading old findings again.
 */
export const runSummarySchema = z
  .object({
    runId: z.number().int(),
    hash: z.string(),
    startedAt: z.string(),
    checks: z.record(z.string(), counts),
    staleControls: z.array(z.string()),
    objectives: z.record(z.string(), z.object({ status: z.string(), deadline: z.string() }).strict()),
  })
  .strict();
export type RunSummary = z.infer<typeof runSummarySchema>;

/** The registers kept as versioned records; a change of an entry is a new version, chained in the ledger. */
export const REGISTERS = ["risk", "nonconformity", "review", "audit_sample"] as const;
export type RegisterName = (typeof REGISTERS)[number];

export const RISK_STATUSES = ["treatment_effective", "treatment_not_effective", "not_evaluated", "accepted", "acceptance_lapsed", "avoided"] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export const riskLiveStatusSchema = z
  .object({
    riskId: z.string(),
    status: z.enum(RISK_STATUSES),
    score: z.number().int(),
    failingChecks: z.array(z.string()),
    failingControls: z.array(z.string()),
    objectivesOffTrack: z.array(z.string()),
    reason: z.string(),
  })
  .strict();
export type RiskLiveStatus = z.infer<typeof riskLiveStatusSchema>;

/** The registers as they stood after a run: what that run's reports show, the same on every re-render. */
export const registersSnapshotSchema = z
  .object({
    risks: z.array(z.object({ risk: riskSchema, status: riskLiveStatusSchema }).strict()),
    nonconformities: z.array(nonconformitySchema),
    effectiveness: z.object({ runs: z.number().int(), days: z.number() }).strict(),
    auditSamples: z.array(auditSampleSchema),
    reviews: z.array(reviewRecordSchema),
  })
  .strict();
export type RegistersSnapshot = z.infer<typeof registersSnapshotSchema>;
