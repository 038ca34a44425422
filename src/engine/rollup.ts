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
 * `coverage` says how much of the control automated evidence can speak for: a passing control
 * whose catalog entry is only partly automatable is `pass` with coverage `partial`, and reports
 * show it as such, because API evidence supports such a control but does not prove it.
 */
import type { AnnexAControl, ControlResult, ControlStatus, Coverage, Finding, FindingCounts } from "../domain.js";

export interface RollupInput {
  controls: readonly { control: AnnexAControl; checks: readonly { id: string }[] }[];
  findings: readonly Finding[];
  /** Controls excluded in the Statement of Applicability, with their justification. */
  excluded?: ReadonlyMap<string, string>;
}

export function emptyCounts(): FindingCounts {
  return { pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 0 };
}

export function rollUp(input: RollupInput): ControlResult[] {
  const controlsOfCheck = new Map<string, string[]>();
  for (const { control, checks } of input.controls) {
    for (const check of checks) controlsOfCheck.set(check.id, [...(controlsOfCheck.get(check.id) ?? []), control.id]);
  }
  const countsByControl = new Map<string, FindingCounts>();
  const extraChecks = new Map<string, Set<string>>();
  for (const finding of input.findings) {
    // A finding with its own mapping (a user-mapped Config rule) counts for exactly those controls.
    const controls = finding.controls ?? controlsOfCheck.get(finding.checkId) ?? [];
    for (const id of controls) {
      let counts = countsByControl.get(id);
      if (!counts) countsByControl.set(id, (counts = emptyCounts()));
      counts[finding.status]++;
      if (finding.controls) extraChecks.set(id, (extraChecks.get(id) ?? new Set()).add(finding.checkId));
    }
  }
  return input.controls.map(({ control, checks }) => {
    const counts = countsByControl.get(control.id) ?? emptyCounts();
    const checkIds = [...new Set([...checks.map((c) => c.id), ...(extraChecks.get(control.id) ?? [])])];
    const justification = input.excluded?.get(control.id) ?? null;
    return {
      controlId: control.id,
      status: justification !== null ? "not_applicable" : controlStatus(counts),
      coverage: coverageOf(control, checkIds.length, counts),
      checks: checkIds,
      counts,
      justification,
    };
  });
}

export function controlStatus(counts: FindingCounts): ControlStatus {
  if (counts.fail > 0) return "fail";
  if (counts.excepted > 0) return "partial";
  if (counts.pass > 0) return counts.error > 0 ? "partial" : "pass";
  if (counts.error > 0) return "not_evaluated";
  if (counts.not_applicable > 0) return "not_applicable";
  return "not_evaluated";
}

function coverageOf(control: AnnexAControl, checkCount: number, counts: FindingCounts): Coverage {
  const judged = counts.pass + counts.fail + counts.not_applicable + counts.excepted;
  if (checkCount === 0 || judged === 0) return "none";
  return control.automation === "automated" ? "automated" : "partial";
}
