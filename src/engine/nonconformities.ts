/**
 * When the agent opens a nonconformity (clause 10.2), from the summaries of the runs so far.
 * Pure. Three rules: a check that has failed for longer than the SLA of its severity, an
 * objective at risk (or missed) past its deadline, and a control whose evidence has stayed stale
 * for a configured number of days. One nonconformity per thing (check, objective, control): an
 * existing one of the same key, open or closed, is never opened twice (a closed one reopens on
 * recurrence instead; see effectiveness.ts).
 */
import type { Severity } from "../domain.js";
import type { CitedRun, Nonconformity, NcOrigin, RunSummary } from "../registers.js";

export interface NcPolicy {
  /** How many days a check may fail, per severity, before a nonconformity opens. */
  slaDays: Record<Severity, number>;
  /** How many days a control's evidence may stay stale. */
  staleEvidenceDays: number;
}

export interface CheckInfo {
  title: string;
  severity: Severity;
  controls: readonly string[];
}

/** A nonconformity the rules found, before it gets an id and a place in the register. */
export interface NcCandidate {
  key: string;
  origin: Exclude<NcOrigin, "manual">;
  title: string;
  severity: Severity;
  controls: string[];
  checks: string[];
  objectives: string[];
  detectedRun: CitedRun;
}

const DAY_MS = 86_400_000;

export function citeRun(run: RunSummary): CitedRun {
  return { runId: run.runId, hash: run.hash, startedAt: run.startedAt };
}

/** pass, fail or unknown: what one run says of a check (a run that did not judge it says nothing). */
export function checkState(run: RunSummary, checkId: string): "pass" | "fail" | "unknown" {
  const c = run.checks[checkId];
  if (!c) return "unknown";
  if (c.fail + c.excepted > 0) return "fail";
  if (c.pass + c.not_applicable > 0) return "pass";
  return "unknown";
}

/**
 * The oldest run of the unbroken failing streak that ends at the latest run, or null when the
 * latest run does not fail. Runs that did not judge the check neither break nor extend it.
 */
export function failingSince(history: readonly RunSummary[], isFailing: (run: RunSummary) => "pass" | "fail" | "unknown"): RunSummary | null {
  let since: RunSummary | null = null;
  for (let i = history.length - 1; i >= 0; i--) {
    const run = history[i] as RunSummary;
    const state = isFailing(run);
    if (state === "pass") break;
    if (state === "fail") since = run;
    else if (since === null) return null;
  }
  return since;
}

export function nonconformitiesToOpen(
  history: readonly RunSummary[],
  existing: readonly Pick<Nonconformity, "key">[],
  policy: NcPolicy,
  checkInfo: (checkId: string) => CheckInfo | undefined,
  now: Date,
): NcCandidate[] {
  const latest = history[history.length - 1];
  if (!latest) return [];
  const taken = new Set(existing.map((n) => n.key).filter((k): k is string => k !== null));
  const found: NcCandidate[] = [];
  const ageDays = (run: RunSummary) => (now.getTime() - Date.parse(run.startedAt)) / DAY_MS;

  for (const checkId of Object.keys(latest.checks).sort()) {
    const key = `check:${checkId}`;
    const info = checkInfo(checkId);
    if (taken.has(key) || !info) continue;
    const since = failingSince(history, (run) => checkState(run, checkId));
    if (!since || ageDays(since) <= policy.slaDays[info.severity]) continue;
    const counts = latest.checks[checkId];
    found.push({
      key,
      origin: "failure_sla",
      title: `Check ${checkId} (${info.title}) has failed since ${since.startedAt.slice(0, 10)}, longer than the ${policy.slaDays[info.severity]}-day SLA for ${info.severity} findings; ${counts?.fail ?? 0} resources fail it in run ${latest.runId}.`,
      severity: info.severity,
      controls: [...info.controls],
      checks: [checkId],
      objectives: [],
      detectedRun: citeRun(latest),
    });
  }

  for (const [objectiveId, o] of Object.entries(latest.objectives).sort(([a], [b]) => a.localeCompare(b))) {
    const key = `objective:${objectiveId}`;
    if (taken.has(key) || (o.status !== "at_risk" && o.status !== "missed")) continue;
    if (now.getTime() <= Date.parse(`${o.deadline}T23:59:59.999Z`)) continue;
    found.push({
      key,
      origin: "objective_deadline",
      title: `Objective ${objectiveId} is ${o.status === "at_risk" ? "at risk" : "missed"} after its deadline of ${o.deadline} (run ${latest.runId}).`,
      severity: "high",
      controls: [],
      checks: [],
      objectives: [objectiveId],
      detectedRun: citeRun(latest),
    });
  }

  for (const controlId of [...latest.staleControls].sort()) {
    const key = `stale:${controlId}`;
    if (taken.has(key)) continue;
    const since = failingSince(history, (run) => (run.staleControls.includes(controlId) ? "fail" : "pass"));
    if (!since || ageDays(since) < policy.staleEvidenceDays) continue;
    found.push({
      key,
      origin: "stale_evidence",
      title: `Evidence for ${controlId} has been stale since run ${since.runId} of ${since.startedAt.slice(0, 10)}, for ${policy.staleEvidenceDays} days or more.`,
      severity: "medium",
      controls: [controlId],
      checks: [],
      objectives: [],
      detectedRun: citeRun(latest),
    });
  }
  return found;
}

/** An action not closed by its due day (YYYY-MM-DD, UTC, inclusive). */
export function isOverdue(nc: Pick<Nonconformity, "status" | "dueDate">, now: Date): boolean {
  return nc.status !== "closed" && nc.dueDate !== null && now.getTime() > Date.parse(`${nc.dueDate}T23:59:59.999Z`);
}

/** What is known when a nonconformity is opened; the rest starts empty (no action yet, open). */
export type OpenedNonconformity = Pick<
  Nonconformity,
  "id" | "key" | "origin" | "title" | "severity" | "controls" | "checks" | "objectives" | "detectedAt" | "detectedRun" | "owner" | "dueDate" | "similar"
>;

/** A new nonconformity, open, with no correction, root cause or action recorded yet. */
export function newNonconformity(opened: OpenedNonconformity): Nonconformity {
  return {
    ...opened,
    correction: null,
    rootCause: null,
    correctiveAction: null,
    actionRecordedAt: null,
    status: "open",
    verification: [],
    closedAt: null,
    closedByHand: null,
    recurrences: 0,
    reopenedAt: null,
    updatedAt: opened.detectedAt,
  };
}
