/**
 * soa.csv: the Statement of Applicability, one row per Annex A control (all 93): applicable or
 * excluded with the justification, how it is implemented and evidenced (automated checks,
 * manual evidence), its current status and the date of its newest evidence.
 */
import { toCsv } from "./csv.js";
import type { Report } from "./schema.js";

const COLUMNS = [
  "control",
  "title",
  "theme",
  "applicable",
  "justification",
  "implementation",
  "automatedChecks",
  "manualEvidence",
  "status",
  "stale",
  "lastEvidenceDate",
  "exceptions",
] as const;

export function implementationOf(control: Report["controls"][number]): string {
  const parts: string[] = [];
  if (control.checks.length > 0) parts.push(control.coverage === "partial" || control.automation !== "automated" ? "automated checks (partial)" : "automated checks");
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
    justification: c.justification ?? "",
    implementation: implementationOf(c),
    automatedChecks: c.checks.join(" "),
    manualEvidence: c.manualEvidence.map((m) => `${m.fileName} (sha256 ${m.sha256.slice(0, 12)}…, ${m.expired ? "expired" : m.validUntil ? `valid until ${m.validUntil}` : "no expiry"})`).join("; "),
    status: c.status,
    stale: c.stale ? "yes" : "no",
    lastEvidenceDate: c.lastEvidenceAt?.slice(0, 10) ?? "",
    exceptions: [...(exceptionsByControl.get(c.id) ?? [])].sort().join(" "),
  }));
  return toCsv(COLUMNS, rows);
}
