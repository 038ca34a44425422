/**
 * A risk's live status (clauses 6.1.2, 6.1.3), judged from the latest results of the controls
 * and objectives that treat it. Pure. "Treatment effective" is only said while every treating
 * control passes and every objective is met or on track; a gap in the evidence is "not
 * evaluated", never effective.
 */
import type { ControlResult, FindingCounts, ObjectiveMeasurement, RiskException } from "../domain.js";
import type { Risk, RiskLiveStatus } from "../registers.js";
import { isExpired } from "./exceptions.js";

export { RISK_STATUSES, type RiskLiveStatus, type RiskStatus } from "../registers.js";

export interface RiskEvidence {
  controls: ReadonlyMap<string, ControlResult>;
  /** Finding counts per check of the same run. */
  checks: ReadonlyMap<string, FindingCounts>;
  objectives: ReadonlyMap<string, ObjectiveMeasurement>;
  /** The whole exceptions register: config and store. */
  exceptions: readonly RiskException[];
  now: Date;
}

export function riskScore(risk: Pick<Risk, "likelihood" | "impact">): number {
  return risk.likelihood * risk.impact;
}

export function riskLiveStatus(risk: Risk, evidence: RiskEvidence): RiskLiveStatus {
  const base = { riskId: risk.id, score: riskScore(risk), failingChecks: [], failingControls: [], objectivesOffTrack: [] };
  if (risk.treatment === "avoid")
    return { ...base, status: "avoided", reason: `Risk ${risk.id} is avoided: the activity is not carried out, so no evidence judges it.` };
  if (risk.treatment === "accept") return acceptance(risk, evidence, base);
  if (risk.controls.length === 0 && risk.objectives.length === 0) {
    return {
      ...base,
      status: "not_evaluated",
      reason: `Risk ${risk.id} names no treating controls or objectives, so no evidence can show its treatment works.`,
    };
  }

  const failingControls: string[] = [];
  const failingChecks = new Set<string>();
  const unknown: string[] = [];
  const problems: string[] = [];
  for (const controlId of risk.controls) {
    const result = evidence.controls.get(controlId);
    if (!result || result.status === "not_evaluated") {
      unknown.push(`${controlId} was not evaluated by the latest run`);
      continue;
    }
    if (result.status === "pass") continue;
    failingControls.push(controlId);
    if (result.status === "not_applicable") {
      problems.push(`${controlId} is excluded in the Statement of Applicability yet named as treating this risk`);
      continue;
    }
    const failing = result.checks.filter((c) => {
      const counts = evidence.checks.get(c);
      return counts !== undefined && counts.fail + counts.excepted > 0;
    });
    for (const c of failing) failingChecks.add(c);
    problems.push(`${controlId} is ${result.status}${failing.length > 0 ? ` (failing: ${failing.join(", ")})` : ""}`);
  }
  const objectivesOffTrack: string[] = [];
  for (const objectiveId of risk.objectives) {
    const m = evidence.objectives.get(objectiveId);
    if (!m || m.status === "no_data") {
      objectivesOffTrack.push(objectiveId);
      unknown.push(`objective ${objectiveId} has no measurement`);
    } else if (m.status === "at_risk" || m.status === "missed") {
      objectivesOffTrack.push(objectiveId);
      problems.push(`objective ${objectiveId} is ${m.status === "at_risk" ? "at risk" : "missed"}${m.value === null ? "" : ` (${m.value}% of ${m.target}%)`}`);
    }
  }
  const found = { ...base, failingChecks: [...failingChecks].sort(), failingControls, objectivesOffTrack };
  if (problems.length > 0)
    return { ...found, status: "treatment_not_effective", reason: `Treatment of risk ${risk.id} is not effective: ${problems.join("; ")}.` };
  if (unknown.length > 0) return { ...found, status: "not_evaluated", reason: `Treatment of risk ${risk.id} cannot be judged: ${unknown.join("; ")}.` };
  return {
    ...found,
    status: "treatment_effective",
    reason: `Treatment of risk ${risk.id} is effective: ${[...risk.controls.map((c) => `${c} passes`), ...risk.objectives.map((o) => `objective ${o} is on track`)].join(", ")}.`,
  };
}

function acceptance(risk: Risk, evidence: RiskEvidence, base: Omit<RiskLiveStatus, "status" | "reason">): RiskLiveStatus {
  if (risk.exceptions.length === 0) return { ...base, status: "accepted", reason: `Risk ${risk.id} is accepted by ${risk.owner}; it links no exception.` };
  const lapsed: string[] = [];
  for (const id of risk.exceptions) {
    const exception = evidence.exceptions.find((e) => e.id === id);
    if (!exception) lapsed.push(`exception ${id} is not in the register`);
    else if (isExpired(exception, evidence.now)) lapsed.push(`exception ${id} expired on ${exception.expires}`);
  }
  if (lapsed.length > 0) return { ...base, status: "acceptance_lapsed", reason: `The acceptance of risk ${risk.id} has lapsed: ${lapsed.join("; ")}.` };
  return {
    ...base,
    status: "accepted",
    reason: `Risk ${risk.id} is accepted by ${risk.owner} through exception${risk.exceptions.length > 1 ? "s" : ""} ${risk.exceptions.join(", ")}.`,
  };
}

/** The risks each control treats, for the SoA's justification for inclusion. */
export function risksByControl(risks: readonly Risk[]): Map<string, Risk[]> {
  const byControl = new Map<string, Risk[]>();
  for (const risk of risks) {
    if (risk.treatment === "avoid") continue;
    for (const c of risk.controls) byControl.set(c, [...(byControl.get(c) ?? []), risk]);
  }
  return byControl;
}

/** "Risk R-3: account takeover of cloud consoles; risk R-7: …": the default inclusion justification. */
export function inclusionFromRisks(risks: readonly Risk[]): string {
  return risks.map((r) => `Risk ${r.id}: ${r.title}`).join("; ") + ".";
}
