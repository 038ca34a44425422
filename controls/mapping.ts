/**
 * The check-to-control mapping, derived from each check's own metadata so it has one source of
 * truth; controls with no check are listed too (an empty list: manual evidence only).
 */
import type { AnnexAControl, Check } from "../src/domain.js";
import { ANNEX_A } from "./annex-a.js";
import { CHECKS } from "./registry.js";

export interface ControlCoverage {
  control: AnnexAControl;
  /** Checks that support this control, with the one-line rationale of each. */
  checks: { id: string; title: string; rationale: string }[];
}

export function controlCoverage(checks: readonly Check[] = CHECKS): ControlCoverage[] {
  return ANNEX_A.map((control) => ({
    control,
    checks: checks.flatMap((check) =>
      check.controls.filter((mapping) => mapping.control === control.id).map((mapping) => ({ id: check.id, title: check.title, rationale: mapping.rationale })),
    ),
  }));
}

export function findControl(id: string): AnnexAControl | undefined {
  return ANNEX_A.find((control) => control.id === id);
}

/** The Annex A controls one finding counts for: its own mapping (custom rules) or its check's. */
export function controlsOfFinding(finding: { checkId: string; controls: readonly string[] | null }): readonly string[] {
  return finding.controls ?? findCheckIn(CHECKS, finding.checkId)?.controls.map((m) => m.control) ?? [];
}

function findCheckIn(checks: readonly Check[], id: string): Check | undefined {
  return checks.find((check) => check.id === id);
}
