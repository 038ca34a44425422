/**
 * Whether a corrective action worked (clause 10.2 d): judged from runs, never from a person's
 * word when evidence can say. Pure. An action is "verified effective" once the nonconformity's
 * checks (or objective, or control's freshness) pass on N consecutive runs spanning at least
 * T days after the action was recorded; those runs are cited by hash. A closed nonconformity
 * whose condition comes back reopens (a recurrence), and a new streak must start after that.
 */
import type { CitedRun, Nonconformity, RunSummary } from "../registers.js";
import { checkState, citeRun } from "./nonconformities.js";

export interface EffectivenessPolicy {
  /** Consecutive passing runs needed. */
  runs: number;
  /** Days the passing runs must span at least. */
  days: number;
}

export type NcEvent = "verified" | "reopened" | "verifying" | null;

export interface NcProgress {
  nc: Nonconformity;
  /** What changed in this step, for the ledger and alerts; null when nothing did. */
  event: NcEvent;
}

const DAY_MS = 86_400_000;

/** What one run says of the nonconformity's condition: still there (fail), gone (pass), or not judged. */
export function conditionIn(nc: Pick<Nonconformity, "checks" | "objectives" | "controls" | "origin">, run: RunSummary): "pass" | "fail" | "unknown" {
  const states: ("pass" | "fail" | "unknown")[] = nc.checks.map((c) => checkState(run, c));
  for (const o of nc.objectives) {
    const m = run.objectives[o];
    states.push(!m ? "unknown" : m.status === "at_risk" || m.status === "missed" ? "fail" : m.status === "no_data" ? "unknown" : "pass");
  }
  if (nc.origin === "stale_evidence") for (const c of nc.controls) states.push(run.staleControls.includes(c) ? "fail" : "pass");
  if (states.length === 0 || states.includes("unknown")) return states.includes("fail") ? "fail" : "unknown";
  return states.includes("fail") ? "fail" : "pass";
}

/** Whether evidence can ever judge this nonconformity (one entered by hand may name no check). */
export function judgedByEvidence(nc: Pick<Nonconformity, "checks" | "objectives" | "origin">): boolean {
  return nc.checks.length > 0 || nc.objectives.length > 0 || nc.origin === "stale_evidence";
}

/**
 * The nonconformity after the latest run (the last of `history`, oldest first). `now` stamps
 * what changed.
 */
export function advanceNonconformity(nc: Nonconformity, history: readonly RunSummary[], policy: EffectivenessPolicy, now: Date): NcProgress {
  const latest = history[history.length - 1];
  if (!latest || !judgedByEvidence(nc)) return { nc, event: null };
  const at = now.toISOString();

  if (nc.status === "closed") {
    if (nc.closedByHand === null && Date.parse(latest.startedAt) > Date.parse(nc.closedAt ?? "") && conditionIn(nc, latest) === "fail") {
      return {
        nc: { ...nc, status: "open", recurrences: nc.recurrences + 1, reopenedAt: latest.startedAt, verification: [], closedAt: null, updatedAt: at },
        event: "reopened",
      };
    }
    return { nc, event: null };
  }
  if (nc.correctiveAction === null || nc.actionRecordedAt === null) return { nc, event: null };

  const from = Math.max(Date.parse(nc.actionRecordedAt), nc.reopenedAt ? Date.parse(nc.reopenedAt) + 1 : 0);
  const streak: CitedRun[] = [];
  for (const run of history) {
    if (Date.parse(run.startedAt) < from) continue;
    const state = conditionIn(nc, run);
    if (state === "fail") streak.length = 0;
    else if (state === "pass") streak.push(citeRun(run));
  }
  const first = streak[0];
  const last = streak[streak.length - 1];
  const spanDays = first && last ? (Date.parse(last.startedAt) - Date.parse(first.startedAt)) / DAY_MS : 0;
  if (streak.length >= policy.runs && spanDays >= policy.days) {
    return { nc: { ...nc, status: "closed", verification: streak, closedAt: at, updatedAt: at }, event: "verified" };
  }
  const status = streak.length > 0 ? "verifying" : "open";
  if (status === nc.status && sameRuns(streak, nc.verification)) return { nc, event: null };
  return { nc: { ...nc, status, verification: streak, updatedAt: at }, event: status === "verifying" && nc.status !== "verifying" ? "verifying" : null };
}

function sameRuns(a: readonly CitedRun[], b: readonly CitedRun[]): boolean {
  return a.length === b.length && a.every((r, i) => r.runId === b[i]?.runId);
}

/** The sentence a report shows for an action's verification. */
export function verificationText(nc: Nonconformity, policy: EffectivenessPolicy): string {
  if (nc.closedByHand !== null) return `Closed by hand (no evidence can judge it): ${nc.closedByHand}`;
  if (nc.status === "closed")
    return `Verified effective: passed on ${nc.verification.length} consecutive runs (${nc.verification.map((r) => `run ${r.runId} ${r.hash.slice(0, 12)}`).join(", ")}).`;
  if (nc.correctiveAction === null) return "No corrective action recorded yet; evidence cannot verify an action that has not been taken.";
  if (!judgedByEvidence(nc)) return "No check, objective or control names the condition, so evidence cannot verify the action; close it by hand with a note.";
  return `Verifying: ${nc.verification.length} of ${policy.runs} consecutive passing runs over at least ${policy.days} days so far.`;
}
