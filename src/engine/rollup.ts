/**
 * Control roll-up: from findings to one result per Annex A control. Pure.
 *
 * - `fail`: at least one finding of the control's checks fails.
 * - `partial`: nothing fails, but some findings are `error` (what was judged passed, the rest
 *   could not be judged) or `excepted` (a failure whose risk was accepted): the control cannot
 *   be called held. An accepted risk is never counted as a pass.
 * - `pass`: at least one pass, no fail, no error.
 * - `not_applicable`: every finding is not_applicable.
 * - `not_evaluated`: no automated check, or its checks produced no finding or only errors.
 * - a control excluded in the Statement of Applicability is `not_applicable` with its written
 *   justification, whatever its checks found (the findings are still kept).
 *
 * `coverage` says how much of the control this run's evidence speaks for. A control with an
 * evidence set (controls/evidence-sets.ts) is `automated` only when every element of the set was
 * collected, `partial` when some were (the elements say what is missing), `none` when none was.
 * A control without one (a user-mapped custom rule) falls back to the catalog: a passing control
 * whose catalog entry is only partly automatable has coverage `partial`.
 */
import type { AnnexAControl, CollectorOutcome, ControlResult, ControlStatus, Coverage, EvidenceSet, Finding, FindingCounts } from "../domain.js";
import { collectElements, judgedKey, type CheckInputs } from "./coverage.js";

export interface RollupInput {
  controls: readonly { control: AnnexAControl; checks: readonly { id: string }[] }[];
  findings: readonly Finding[];
  /** Controls excluded in the Statement of Applicability, with their justification. */
  excluded?: ReadonlyMap<string, string>;
  /** Evidence sets by control id, with what they need to be judged. */
  evidence?: {
    sets: ReadonlyMap<string, EvidenceSet>;
    /** What each check reads. */
    checks: ReadonlyMap<string, CheckInputs>;
    /** Every collector outcome of the run: where it looked for what. */
    outcomes: readonly Pick<CollectorOutcome, "source" | "sourceType" | "account" | "produces">[];
  };
}

export function emptyCounts(): FindingCounts {
  return { pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 0 };
}

/**
 * What a run keeps of its findings while they stream to the store: counts per control and per
 * check, and which checks judged something where. Enough for the roll-up, the objectives and the
 * summary, whatever the number of findings.
 */
export class FindingTally {
  readonly total: FindingCounts = emptyCounts();
  readonly byCheck = new Map<string, FindingCounts>();
  private readonly byControl = new Map<string, FindingCounts>();
  private readonly extraChecks = new Map<string, Set<string>>();
  private readonly judged = new Set<string>();
  private readonly controlsOfCheck = new Map<string, string[]>();

  constructor(controls: RollupInput["controls"]) {
    for (const { control, checks } of controls) {
      for (const check of checks) this.controlsOfCheck.set(check.id, [...(this.controlsOfCheck.get(check.id) ?? []), control.id]);
    }
  }

  add(finding: Finding): void {
    this.total[finding.status]++;
    let perCheck = this.byCheck.get(finding.checkId);
    if (!perCheck) this.byCheck.set(finding.checkId, (perCheck = emptyCounts()));
    perCheck[finding.status]++;
    if (finding.status !== "error") this.judged.add(judgedKey(finding.checkId, finding.source, finding.account));
    // A finding with its own mapping (a user-mapped Config rule) counts for exactly those controls.
    for (const id of finding.controls ?? this.controlsOfCheck.get(finding.checkId) ?? []) {
      let counts = this.byControl.get(id);
      if (!counts) this.byControl.set(id, (counts = emptyCounts()));
      counts[finding.status]++;
      if (finding.controls) this.extraChecks.set(id, (this.extraChecks.get(id) ?? new Set()).add(finding.checkId));
    }
  }

  results(input: Omit<RollupInput, "findings">): ControlResult[] {
    return input.controls.map(({ control, checks }) => {
      const counts = { ...(this.byControl.get(control.id) ?? emptyCounts()) };
      const checkIds = [...new Set([...checks.map((c) => c.id), ...(this.extraChecks.get(control.id) ?? [])])];
      const justification = input.excluded?.get(control.id) ?? null;
      const set = input.evidence?.sets.get(control.id);
      const elements =
        set && input.evidence ? collectElements({ set, checks: input.evidence.checks, outcomes: input.evidence.outcomes, judged: this.judged }) : undefined;
      return {
        controlId: control.id,
        status: justification !== null ? "not_applicable" : controlStatus(counts),
        coverage: elements ? elementCoverage(elements) : coverageOf(control, checkIds.length, counts),
        checks: checkIds,
        counts,
        justification,
        ...(elements ? { elements } : {}),
      };
    });
  }
}

export function rollUp(input: RollupInput): ControlResult[] {
  const tally = new FindingTally(input.controls);
  for (const finding of input.findings) tally.add(finding);
  return tally.results(input);
}

export function controlStatus(counts: FindingCounts): ControlStatus {
  if (counts.fail > 0) return "fail";
  if (counts.excepted > 0) return "partial";
  if (counts.pass > 0) return counts.error > 0 ? "partial" : "pass";
  if (counts.error > 0) return "not_evaluated";
  if (counts.not_applicable > 0) return "not_applicable";
  return "not_evaluated";
}

function elementCoverage(elements: readonly { collected: boolean }[]): Coverage {
  const collected = elements.filter((e) => e.collected).length;
  return collected === 0 ? "none" : collected === elements.length ? "automated" : "partial";
}

function coverageOf(control: AnnexAControl, checkCount: number, counts: FindingCounts): Coverage {
  const judged = counts.pass + counts.fail + counts.not_applicable + counts.excepted;
  if (checkCount === 0 || judged === 0) return "none";
  return control.automation === "automated" ? "automated" : "partial";
}
