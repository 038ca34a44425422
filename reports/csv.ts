/**
 * findings.csv: one row per finding, for spreadsheets. RFC 4180 quoting; a cell that a
 * spreadsheet would run as a formula (= + - @ at the start) is prefixed with ' so opening an
 * evidence report can never execute anything.
 */
import type { Report } from "./schema.js";

const COLUMNS = [
  "checkId",
  "title",
  "severity",
  "status",
  "source",
  "sourceType",
  "account",
  "region",
  "resourceId",
  "reason",
  "controls",
  "remediation",
  "evidenceSha256",
  "exceptionId",
  "exceptionReason",
  "exceptionOwner",
  "exceptionApprovedBy",
  "exceptionExpires",
] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to RFC 4180 text (CRLF line ends, formula-safe cells), one line per chunk. */
export function* csvChunks(columns: readonly string[], rows: Iterable<Record<string, string>>): Generator<string, void, undefined> {
  yield `${columns.join(",")}\r\n`;
  for (const row of rows) yield `${columns.map((c) => csvCell(row[c] ?? "")).join(",")}\r\n`;
}

export function toCsv(columns: readonly string[], rows: Iterable<Record<string, string>>): string {
  return [...csvChunks(columns, rows)].join("");
}

/** findings.csv in chunks: the header, then a line per finding. */
export function findingsCsvChunks(report: Report): Generator<string, void, undefined> {
  return csvChunks(COLUMNS, findingRows(report));
}

export function renderFindingsCsv(report: Report): string {
  return [...findingsCsvChunks(report)].join("");
}

function* findingRows(report: Report): Generator<Record<(typeof COLUMNS)[number], string>, void, undefined> {
  for (const f of report.findings) {
    yield {
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
  }
}
