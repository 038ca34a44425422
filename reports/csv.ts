/**
 * findings.csv: one row per finding, for spreadsheets. RFC 4180 quoting; a cell that a
 * spreadsheet would run as a formula (= + - @ at the start) is prefixed with ' so opening an
 * evidence report can never execute anything.
 */
import type { Report } from "./schema.js";

const COLUMNS = ["checkId", "title", "severity", "status", "source", "sourceType", "account", "region", "resourceId", "reason", "controls", "remediation", "evidenceSha256", "exceptionId", "exceptionReason", "exceptionOwner", "exceptionApprovedBy", "exceptionExpires"] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to RFC 4180 text (CRLF line ends, formula-safe cells). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, string>[]): string {
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => csvCell(row[c] ?? "")).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

export function renderFindingsCsv(report: Report): string {
  const rows: Record<string, string>[] = [];
  for (const f of report.findings) {
    const row: Record<(typeof COLUMNS)[number], string> = {
      checkId: f.checkId,
      title: f.title,
      severity: f.severity,
      status: f.status,
      source: f.source,
      sourceType: f.sourceType,
      account: f.account,
      region: f.region,
      resourceId: f.resourceId,
      reason: f.reason,
      controls: f.controls.join(" "),
      remediation: f.remediation,
      evidenceSha256: f.evidenceSha256 ?? "",
      exceptionId: f.exception?.id ?? "",
      exceptionReason: f.exception?.reason ?? "",
      exceptionOwner: f.exception?.owner ?? "",
      exceptionApprovedBy: f.exception?.approvedBy ?? "",
      exceptionExpires: f.exception?.expires ?? "",
    };
    rows.push(row);
  }
  return toCsv(COLUMNS, rows);
}
