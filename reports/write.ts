/**
 * Writes the chosen report formats of one run into a folder. Each format is a generator of
 * chunks (a header, one per finding, control or observation, a footer) streamed into its file,
 * so no report is ever one string: at 100,000 findings it would be more than one string may hold.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomicStream } from "../src/atomic-file.js";
import type { ReportFormatName } from "../src/config/fields.js";
import type { Store } from "../src/store/store.js";
import { buildReport, type ReportContext } from "./build.js";
import { findingsCsvChunks, renderFindingsCsv } from "./csv.js";
import { htmlChunks, renderHtml } from "./html.js";
import { renderJson, reportJsonChunks } from "./json.js";
import { markdownChunks, renderMarkdown } from "./markdown.js";
import { ocsfChunks, renderOcsf } from "./ocsf.js";
import { oscalChunks, renderOscal } from "./oscal.js";
import type { Report } from "./schema.js";
import { renderSoaCsv } from "./soa.js";

interface ReportFormatDefinition {
  file: string;
  /** What is written, chunk by chunk. */
  chunks: (report: Report) => Iterable<string>;
  /** The same text as one string (tests, and callers that need the whole text anyway). */
  render: (report: Report) => string;
}

// soa.csv has one row per Annex A control whatever the estate's size: one chunk.
export const REPORT_FORMATS = {
  json: { file: "report.json", chunks: reportJsonChunks, render: renderJson },
  md: { file: "report.md", chunks: markdownChunks, render: renderMarkdown },
  html: { file: "report.html", chunks: htmlChunks, render: renderHtml },
  csv: { file: "findings.csv", chunks: findingsCsvChunks, render: renderFindingsCsv },
  soa: { file: "soa.csv", chunks: (report: Report) => [renderSoaCsv(report)], render: renderSoaCsv },
  oscal: { file: "assessment-results.oscal.json", chunks: oscalChunks, render: renderOscal },
  ocsf: { file: "findings.ocsf.json", chunks: ocsfChunks, render: renderOcsf },
} as const satisfies Record<ReportFormatName, ReportFormatDefinition>;

export type ReportFormat = keyof typeof REPORT_FORMATS;

export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(REPORT_FORMATS, value);
}

export interface WriteReportOptions {
  /** Sees each piece written to each file, in order (tests measure piece sizes). */
  onWrite?: (file: string, bytes: Uint8Array) => void;
}

export async function writeReports(
  store: Store,
  runId: number,
  outDir: string,
  formats: readonly ReportFormat[],
  context: ReportContext = {},
): Promise<string[]> {
  if (formats.length === 0) return [];
  const report = await buildReport(store, runId, context);
  return writeReportFiles(report, outDir, formats);
}

/** Streams each format of a built report into its file in `outDir`; returns the paths written. */
export async function writeReportFiles(report: Report, outDir: string, formats: readonly ReportFormat[], options: WriteReportOptions = {}): Promise<string[]> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const { file, chunks } = REPORT_FORMATS[format];
    const path = join(dir, file);
    const onWrite = options.onWrite;
    // A temporary file of its own, then rename: readers and concurrent writers never see half a report.
    await writeFileAtomicStream(path, chunks(report), onWrite ? { onWrite: (bytes) => onWrite(path, bytes) } : {});
    written.push(path);
  }
  return written;
}
