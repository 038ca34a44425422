/**
 * Evaluation: runs every check over the evidence of every scope it applies to. Pure: evidence,
 * collector outcomes, settings and `now` in; findings out. A check that throws, or whose
 * collector failed, yields `error` findings, never `pass`.
 */
import type { Check, CollectorOutcome, EvidenceView, Finding, Scope, StoredEvidence } from "../domain.js";

export interface EvaluateInput {
  checks: readonly Check[];
  evidence: readonly StoredEvidence[];
  outcomes: readonly CollectorOutcome[];
  /** Parsed settings per check id (defaults applied). */
  settings: ReadonlyMap<string, unknown>;
  now: Date;
}

function scopeKey(scope: Scope): string {
  return JSON.stringify([scope.source, scope.sourceType, scope.account, scope.region]);
}

function scopeOf(scope: Scope): Scope {
  return { source: scope.source, sourceType: scope.sourceType, account: scope.account, region: scope.region };
}

export function evaluate(input: EvaluateInput): Finding[] {
  return [...evaluateByCheck(input)].flat();
}

/**
 * The same findings, in the same order, one check's at a time: a caller that stores each batch
 * before asking for the next holds one check's findings of the evidence, not every check's.
 */
export function* evaluateByCheck(input: EvaluateInput): Generator<Finding[], void, undefined> {
  const byScope = new Map<string, { scope: Scope; records: Map<string, StoredEvidence> }>();
  for (const record of input.evidence) {
    const key = scopeKey(record);
    let entry = byScope.get(key);
    if (!entry) {
      entry = { scope: scopeOf(record), records: new Map() };
      byScope.set(key, entry);
    }
    // One record per kind and scope; if a collector ever sent two, the later one wins.
    entry.records.set(record.kind, record);
  }
  const failed = input.outcomes.filter((outcome) => outcome.status === "error");

  for (const check of input.checks) {
    const findings: Finding[] = [];
    const settings = input.settings.get(check.id);
    const seen = new Set<string>();
    for (const { scope, records } of byScope.values()) {
      if (scope.sourceType !== check.sourceType) continue;
      if (!check.requires.some((kind) => records.has(kind))) continue;
      seen.add(scopeKey(scope));
      const missing = check.requires.filter((kind) => !records.has(kind));
      if (missing.length > 0) {
        const failure = failed.find((o) => scopeKey(o) === scopeKey(scope) && o.produces.some((kind) => missing.includes(kind)));
        findings.push(
          errorFinding(
            check.id,
            scope,
            failure?.error
              ? `The ${missing.join(", ")} evidence for account ${scope.account} could not be collected: ${failure.error}`
              : `No ${missing.join(", ")} evidence was collected for account ${scope.account}.`,
          ),
        );
        continue;
      }
      findings.push(...runCheck(check, scope, records, settings, input.now));
    }
    // A collector that failed outright left no evidence at all: its checks are `error` for that scope.
    for (const outcome of failed) {
      if (outcome.sourceType !== check.sourceType) continue;
      if (!check.requires.some((kind) => outcome.produces.includes(kind))) continue;
      if (seen.has(scopeKey(outcome))) continue;
      seen.add(scopeKey(outcome));
      findings.push(errorFinding(check.id, outcome, `The evidence could not be collected: ${outcome.error ?? "unknown error"}`));
    }
    if (findings.length > 0) yield findings;
  }
}

function runCheck(check: Check, scope: Scope, records: ReadonlyMap<string, StoredEvidence>, settings: unknown, now: Date): Finding[] {
  const view: EvidenceView = { scope, get: (kind) => records.get(kind) };
  const defaultKind = check.requires[0];
  try {
    const drafts = check.evaluate({ evidence: view, now, settings });
    return drafts.map((draft) => ({
      ...scope,
      checkId: check.id,
      resourceId: draft.resourceId,
      status: draft.status,
      reason: draft.reason,
      evidenceSha256: records.get(draft.evidenceKind ?? defaultKind ?? "")?.sha256 ?? null,
      controls: draft.controls ?? null,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [errorFinding(check.id, scope, `The check ${check.id} could not evaluate the evidence: ${message}`, records.get(defaultKind ?? "")?.sha256)];
  }
}

function errorFinding(checkId: string, scope: Scope, reason: string, evidenceSha256?: string): Finding {
  return {
    ...scopeOf(scope),
    checkId,
    resourceId: `${scope.sourceType}:${scope.source}:${scope.account}`,
    status: "error",
    reason,
    evidenceSha256: evidenceSha256 ?? null,
    controls: null,
  };
}
