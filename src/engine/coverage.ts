/**
 * Coverage by evidence, not by catalog. Pure. A control that checks touch has an evidence set:
 * the kinds of evidence that together would show it. An element is collected when every place
 * the run looked for it delivered: for each source and account whose collectors were to produce
 * what the element's checks read, one of those checks judged something there (pass, fail,
 * excepted or not_applicable; an `error` collected nothing). A failed account or a failed
 * collector leaves the element missing, naming where. An element no check collects can only be
 * filled by manual evidence. A control is `automated` only when every element is collected,
 * `partial` when some are, naming what is missing.
 */
import type { CollectorOutcome, ElementResult, EvidenceSet, ManualEvidence, SourceType } from "../domain.js";
import { manualEvidenceExpired } from "./freshness.js";

export interface CheckInputs {
  sourceType: SourceType;
  /** Evidence kinds the check reads. */
  requires: readonly string[];
}

export interface ElementInput {
  set: EvidenceSet;
  /** What each check reads; checks the registry does not know are ignored. */
  checks: ReadonlyMap<string, CheckInputs>;
  /** Every collector outcome of the run: where it looked, and what it was to produce. */
  outcomes: readonly Pick<CollectorOutcome, "source" | "sourceType" | "account" | "produces">[];
  /** `judgedKey(check, source, account)` of every check that judged something (not `error`) there. */
  judged: ReadonlySet<string>;
}

export function judgedKey(checkId: string, source: string, account: string): string {
  return JSON.stringify([checkId, source, account]);
}

export function collectElements(input: ElementInput): ElementResult[] {
  return input.set.elements.map((element) => {
    if (element.checks.length === 0) {
      return {
        id: element.id,
        collected: false,
        checks: [],
        missing: `No check collects it: add it with \`isms-agent evidence add --control ${input.set.control} --element ${element.id}\`.`,
      };
    }
    const known = element.checks.flatMap((id) => {
      const check = input.checks.get(id);
      return check ? [{ id, ...check }] : [];
    });
    // Where the run looked for what these checks read: each source and account.
    const places = new Map<string, { source: string; account: string; checks: string[] }>();
    for (const o of input.outcomes) {
      const reading = known.filter((c) => c.sourceType === o.sourceType && c.requires.some((kind) => o.produces.includes(kind))).map((c) => c.id);
      if (reading.length === 0) continue;
      const key = JSON.stringify([o.source, o.account]);
      const place = places.get(key) ?? { source: o.source, account: o.account, checks: [] };
      place.checks = [...new Set([...place.checks, ...reading])];
      places.set(key, place);
    }
    if (places.size === 0) {
      const types = [...new Set(known.map((c) => c.sourceType))].sort();
      return {
        id: element.id,
        collected: false,
        checks: [],
        missing: `No source in this run's scope provides it (it comes from ${types.join(", ") || "no known check"}).`,
      };
    }
    const judged = new Set<string>();
    const lacking: string[] = [];
    for (const place of places.values()) {
      const here = place.checks.filter((id) => input.judged.has(judgedKey(id, place.source, place.account)));
      here.forEach((id) => judged.add(id));
      if (here.length === 0) lacking.push(`${place.source} (account ${place.account})`);
    }
    const checks = element.checks.filter((id) => judged.has(id));
    return lacking.length === 0
      ? { id: element.id, collected: true, checks, missing: null }
      : {
          id: element.id,
          collected: false,
          checks,
          missing: `Not collected from ${lacking.join(", ")}: ${known.map((c) => c.id).join(", ")} judged nothing there (a collector failed or found nothing to judge).`,
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
    if (result?.collected)
      return { id: element.id, description: element.description, collected: true, by: "checks", checks: result.checks, manualEvidence: files, missing: null };
    if (files.length > 0)
      return {
        id: element.id,
        description: element.description,
        collected: true,
        by: "manual",
        checks: result?.checks ?? [],
        manualEvidence: files,
        missing: null,
      };
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
