/**
 * Coverage by evidence, not by catalog. Pure. A control that checks touch has an evidence set:
 * the kinds of evidence that together would show it. Each element is collected when, for every
 * source type in the run's scope that has a check for it, one of those checks judged something
 * (pass, fail, excepted or not_applicable: an `error` collected nothing). An element no check
 * collects can only be filled by manual evidence. A control is `automated` only when every
 * element is collected, `partial` when some are, naming what is missing.
 */
import type { ElementResult, EvidenceSet, ManualEvidence, SourceType } from "../domain.js";
import { manualEvidenceExpired } from "./freshness.js";

export interface ElementInput {
  set: EvidenceSet;
  /** Checks that judged at least one finding supporting this control in this run. */
  judgedChecks: ReadonlySet<string>;
  /** The source type of a check id; undefined for checks the registry does not know. */
  sourceTypeOf: (checkId: string) => SourceType | undefined;
  /** Source types this run collected from. */
  scope: ReadonlySet<SourceType>;
}

export function collectElements(input: ElementInput): ElementResult[] {
  return input.set.elements.map((element) => {
    if (element.checks.length === 0) {
      return { id: element.id, collected: false, checks: [], missing: `No check collects it: add it with \`isms-agent evidence add --control ${input.set.control} --element ${element.id}\`.` };
    }
    const typesInScope = [...new Set(element.checks.map(input.sourceTypeOf).filter((t): t is SourceType => t !== undefined && input.scope.has(t)))].sort();
    if (typesInScope.length === 0) {
      const types = [...new Set(element.checks.map(input.sourceTypeOf).filter((t): t is SourceType => t !== undefined))].sort();
      return { id: element.id, collected: false, checks: [], missing: `No source in this run's scope provides it (it comes from ${types.join(", ")}).` };
    }
    const judged = element.checks.filter((id) => input.judgedChecks.has(id));
    const lacking = typesInScope.filter((type) => !judged.some((id) => input.sourceTypeOf(id) === type));
    return lacking.length === 0
      ? { id: element.id, collected: true, checks: judged, missing: null }
      : {
          id: element.id,
          collected: false,
          checks: judged,
          missing: `Not collected from ${lacking.join(", ")}: ${element.checks.filter((id) => lacking.includes(input.sourceTypeOf(id) ?? ("" as SourceType))).join(", ")} judged nothing (a collector failed or found nothing).`,
        };
  });
}

/** An element as a report shows it: collected by checks, filled by manual evidence, or missing. */
export interface ElementView {
  id: string;
  description: string;
  collected: boolean;
  by: "checks" | "manual" | null;
  checks: string[];
  manualEvidence: number[];
  missing: string | null;
}

/**
 * The run's element results with manual evidence valid at `asOf` filling what checks did not.
 * Coverage: `automated` when every element is collected, `partial` when some are, otherwise
 * `manual` when the control has valid manual evidence of its own, else `none`.
 */
export function coverageWithManual(
  set: EvidenceSet,
  results: readonly ElementResult[],
  manual: readonly Pick<ManualEvidence, "id" | "element" | "validUntil">[],
  asOf: Date,
): { elements: ElementView[]; coverage: "automated" | "partial" | "manual" | "none" } {
  const valid = manual.filter((m) => !manualEvidenceExpired(m, asOf));
  const elements = set.elements.map((element): ElementView => {
    const result = results.find((r) => r.id === element.id);
    const files = valid.filter((m) => m.element === element.id).map((m) => m.id);
    if (result?.collected) return { id: element.id, description: element.description, collected: true, by: "checks", checks: result.checks, manualEvidence: files, missing: null };
    if (files.length > 0) return { id: element.id, description: element.description, collected: true, by: "manual", checks: result?.checks ?? [], manualEvidence: files, missing: null };
    return {
      id: element.id,
      description: element.description,
      collected: false,
      by: null,
      checks: result?.checks ?? [],
      manualEvidence: [],
      missing: result?.missing ?? "This run recorded nothing for it.",
    };
  });
  const collected = elements.filter((e) => e.collected).length;
  const coverage = collected === elements.length && elements.length > 0 ? "automated" : collected > 0 ? "partial" : valid.length > 0 ? "manual" : "none";
  return { elements, coverage };
}
