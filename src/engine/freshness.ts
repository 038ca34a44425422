/**
 * Evidence freshness. Pure. A control is `stale` when the newest evidence behind it is older than
 * the maximum age of its checks at the moment looked at (`asOf`), or when all of its manual
 * evidence has expired. Stale is shown beside the status, never hidden in it: a control that
 * passed on old evidence still passed then, but nobody knows whether it holds now.
 */
import type { ControlResult, Finding, ManualEvidence } from "../domain.js";
import { groupBy } from "../group.js";

export interface Freshness {
  /** Newest evidence behind the control (automated or valid manual); null when there is none. */
  lastEvidenceAt: string | null;
  stale: boolean;
  /** A sentence saying why it is stale; null when fresh. */
  reason: string | null;
}

export interface FreshnessInput {
  controls: readonly ControlResult[];
  /** The judged findings (or one per distinct check, mapping and evidence: all freshness reads). */
  findings: readonly Pick<Finding, "checkId" | "controls" | "evidenceSha256" | "status">[];
  /** collectedAt of each evidence record, by sha256. */
  collectedAt: ReadonlyMap<string, string>;
  manual: readonly ManualEvidence[];
  asOf: Date;
  maxAgeHours: (checkId: string) => number;
  /** Controls mapped per finding (custom rules): the finding says which. */
  controlsOf: (finding: Pick<Finding, "checkId" | "controls">) => readonly string[];
}

const HOUR_MS = 3_600_000;

export function manualEvidenceExpired(evidence: Pick<ManualEvidence, "validUntil">, asOf: Date): boolean {
  return evidence.validUntil !== null && asOf.getTime() > Date.parse(`${evidence.validUntil}T23:59:59.999Z`);
}

export function controlFreshness(input: FreshnessInput): Map<string, Freshness> {
  const newest = new Map<string, { at: string; maxAge: number }>();
  for (const finding of input.findings) {
    if (finding.status === "error" || finding.evidenceSha256 === null) continue;
    const at = input.collectedAt.get(finding.evidenceSha256);
    if (!at) continue;
    const maxAge = input.maxAgeHours(finding.checkId);
    for (const control of input.controlsOf(finding)) {
      const seen = newest.get(control);
      if (!seen) newest.set(control, { at, maxAge });
      else newest.set(control, { at: at > seen.at ? at : seen.at, maxAge: Math.min(seen.maxAge, maxAge) });
    }
  }
  const manualByControl = groupBy(
    input.manual.filter((m) => Date.parse(m.addedAt) <= input.asOf.getTime()),
    (m) => m.controlId,
  );
  const result = new Map<string, Freshness>();
  for (const control of input.controls) {
    const automated = newest.get(control.controlId);
    const manual = manualByControl.get(control.controlId) ?? [];
    const validManual = manual.filter((m) => !manualEvidenceExpired(m, input.asOf));
    const times = [automated?.at, ...validManual.map((m) => m.addedAt)].filter((t): t is string => t !== undefined);
    const lastEvidenceAt = times.length > 0 ? times.reduce((a, b) => (a > b ? a : b)) : null;
    let reason: string | null = null;
    if (automated) {
      const ageHours = (input.asOf.getTime() - Date.parse(automated.at)) / HOUR_MS;
      if (ageHours > automated.maxAge) {
        reason = `The newest automated evidence is from ${automated.at.slice(0, 16).replace("T", " ")} UTC, ${Math.floor(ageHours)} h old; the limit is ${automated.maxAge} h.`;
      }
    }
    if (reason === null && manual.length > 0 && validManual.length === 0) {
      const last = manual
        .map((m) => m.validUntil ?? "")
        .sort()
        .at(-1);
      reason = `All manual evidence for ${control.controlId} has expired (the last was valid until ${last}).`;
    }
    result.set(control.controlId, { lastEvidenceAt, stale: reason !== null, reason });
  }
  return result;
}
