/**
 * The internal audit programme over a certification cycle (clause 9.2.2). Pure. Every applicable
 * control is audited at least once in the cycle; failing, stale and manual-only controls, and
 * those treating high risks, come first and more often; each audit goes to an auditor who does
 * not own the control (impartiality), or says that none is left.
 */
import type { ControlStatus } from "../domain.js";

export interface ProgrammeControl {
  id: string;
  title: string;
  applicable: boolean;
  /** The latest run's result; null when no run judged it. */
  status: ControlStatus | null;
  stale: boolean;
  /** No automated check covers it: only documents can show it. */
  manualOnly: boolean;
  /** The highest score (likelihood × impact) of the risks it treats; 0 when none. */
  riskScore: number;
  /** Who owns it (risk and objective owners): they may not audit it. */
  owners: readonly string[];
}

export const AUDIT_FREQUENCIES = ["every quarter", "twice a year", "once a year", "once in the cycle"] as const;
export type AuditFrequency = (typeof AUDIT_FREQUENCIES)[number];

export interface ProgrammeEntry {
  control: string;
  title: string;
  priority: number;
  frequency: AuditFrequency;
  /** Quarters of the cycle (1-based) in which it is audited. */
  quarters: number[];
  auditor: string | null;
  /** Why it is audited this often, and any impartiality problem: full sentences. */
  reasons: string[];
}

export interface ProgrammeOptions {
  cycleYears: number;
  /** Internal auditors available; empty: auditors are not assigned. */
  auditors: readonly string[];
  /** The risk score from which a risk counts as high. */
  highRisk: number;
}

function reasonsOf(c: ProgrammeControl, highRisk: number): { priority: number; reasons: string[] } {
  const reasons: string[] = [];
  let priority = 0;
  if (c.status === "fail" || c.status === "partial") {
    priority += 3;
    reasons.push(`${c.id} is ${c.status} in the latest run.`);
  }
  if (c.stale) {
    priority += 2;
    reasons.push(`Its evidence is stale.`);
  }
  if (c.manualOnly) {
    priority += 2;
    reasons.push(`No automated check covers it, so only an audit of its documents shows it.`);
  }
  if (c.riskScore >= highRisk) {
    priority += 2;
    reasons.push(`It treats a high risk (score ${c.riskScore}).`);
  } else if (c.riskScore > 0) {
    priority += 1;
    reasons.push(`It treats a risk of score ${c.riskScore}.`);
  }
  return { priority, reasons };
}

export function auditProgramme(controls: readonly ProgrammeControl[], options: ProgrammeOptions): ProgrammeEntry[] {
  const quartersInCycle = Math.max(1, Math.round(options.cycleYears * 4));
  const ranked = controls
    .filter((c) => c.applicable)
    .map((c) => ({ control: c, ...reasonsOf(c, options.highRisk) }))
    .sort((a, b) => b.priority - a.priority || a.control.id.localeCompare(b.control.id, "en", { numeric: true }));
  const load = new Map(options.auditors.map((a) => [a, 0]));
  let spread = 0;
  return ranked.map(({ control, priority, reasons }) => {
    const frequency: AuditFrequency = priority >= 5 ? "every quarter" : priority >= 3 ? "twice a year" : priority >= 1 ? "once a year" : "once in the cycle";
    const every = frequency === "every quarter" ? 1 : frequency === "twice a year" ? 2 : frequency === "once a year" ? 4 : quartersInCycle;
    // Controls audited once in the cycle are spread over its quarters, so no quarter carries them all.
    const first = every === quartersInCycle ? (spread++ % quartersInCycle) + 1 : 1;
    const quarters: number[] = [];
    for (let q = first; q <= quartersInCycle; q += every) quarters.push(q);
    if (reasons.length === 0) reasons.push(`${control.id} passes, is fresh and treats no registered risk: audited once in the cycle.`);
    let auditor: string | null = null;
    if (options.auditors.length > 0) {
      const impartial = options.auditors.filter((a) => !control.owners.includes(a));
      if (impartial.length === 0)
        reasons.push(`No listed auditor is impartial: ${control.owners.join(", ")} own${control.owners.length === 1 ? "s" : ""} it. Appoint another.`);
      else {
        // The least loaded impartial auditor, so the programme is shared out.
        auditor = impartial.reduce((best, a) => ((load.get(a) ?? 0) < (load.get(best) ?? 0) ? a : best));
        load.set(auditor, (load.get(auditor) ?? 0) + quarters.length);
      }
    }
    return { control: control.id, title: control.title, priority, frequency, quarters, auditor, reasons };
  });
}
