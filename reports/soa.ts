/**
 * soa.csv: the Statement of Applicability as clause 6.1.3 d) asks, one row per Annex A control
 * (all 93): whether it is necessary (applicable), the justification for inclusion, whether it is
 * implemented (as the ISMS owner states it in config), the justification for exclusion; and beside
 * them the evidence: how it is evidenced, coverage, what of its evidence set is missing, checks,
 * manual evidence, current status and the date of its newest evidence.
 */
import type { ImplementationStatus } from "../src/domain.js";
import { toCsv } from "./csv.js";
import type { Report } from "./schema.js";

const COLUMNS = [
  "control",
  "title",
  "theme",
  "applicable",
  "inclusionJustification",
  "implementationStatus",
  "exclusionJustification",
  "evidence",
  "coverage",
  "missingEvidence",
  "automatedChecks",
  "manualEvidence",
  "status",
  "stale",
  "lastEvidenceDate",
  "exceptions",
] as const;

export const IMPLEMENTATION_LABELS: Record<ImplementationStatus, string> = {
  implemented: "implemented",
  partially_implemented: "partially implemented",
  planned: "planned",
  not_implemented: "not implemented",
  not_stated: "not stated",
};

/** How the control is evidenced: automated checks (all or part of its evidence set), manual evidence. */
export function implementationOf(control: Report["controls"][number]): string {
  const parts: string[] = [];
  if (control.checks.length > 0) parts.push(control.coverage === "automated" ? "automated checks" : "automated checks (partial)");
  if (control.manualEvidence.some((m) => !m.expired)) parts.push("manual evidence");
  return parts.length > 0 ? parts.join(" + ") : "none recorded";
}

export function renderSoaCsv(report: Report): string {
  const exceptionsByControl = new Map<string, Set<string>>();
  for (const f of report.findings) {
    if (!f.exception) continue;
    for (const c of f.controls) exceptionsByControl.set(c, (exceptionsByControl.get(c) ?? new Set()).add(f.exception.id));
  }
  const rows = report.controls.map((c) => ({
    control: c.id,
    title: c.title,
    theme: c.theme,
    applicable: c.applicable ? "yes" : "no",
    inclusionJustification: c.applicable ? (c.inclusionJustification ?? "not recorded") : "",
    implementationStatus: c.implementationStatus === null ? "" : IMPLEMENTATION_LABELS[c.implementationStatus],
    exclusionJustification: c.justification ?? "",
    evidence: implementationOf(c),
    coverage: c.coverage,
    missingEvidence: c.missingEvidence.join("; "),
    automatedChecks: c.checks.join(" "),
    manualEvidence: c.manualEvidence
      .map((m) => `${m.fileName} (sha256 ${m.sha256.slice(0, 12)}…, ${m.expired ? "expired" : m.validUntil ? `valid until ${m.validUntil}` : "no expiry"})`)
      .join("; "),
    status: c.status,
    stale: c.stale ? "yes" : "no",
    lastEvidenceDate: c.lastEvidenceAt?.slice(0, 10) ?? "",
    exceptions: [...(exceptionsByControl.get(c.id) ?? [])].sort().join(" "),
  }));
  return toCsv(COLUMNS, rows);
}
