/**
 * Writes the chosen report formats of one run into a folder.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../src/atomic-file.js";
import type { Store } from "../src/store/store.js";
import { buildReport, type ReportContext } from "./build.js";
import { renderFindingsCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderOcsf } from "./ocsf.js";
import { renderOscal } from "./oscal.js";
import type { Report } from "./schema.js";
import { renderSoaCsv } from "./soa.js";

export const REPORT_FORMATS = {
  json: { file: "report.json", render: renderJson },
  md: { file: "report.md", render: renderMarkdown },
  html: { file: "report.html", render: renderHtml },
  csv: { file: "findings.csv", render: renderFindingsCsv },
  soa: { file: "soa.csv", render: renderSoaCsv },
  oscal: { file: "assessment-results.oscal.json", render: renderOscal },
  ocsf: { file: "findings.ocsf.json", render: renderOcsf },
} as const satisfies Record<string, { file: string; render: (report: Report) => string }>;

export type ReportFormat = keyof typeof REPORT_FORMATS;

export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(REPORT_FORMATS, value);
}

export async function writeReports(
  store: Store,
  runId: number,
  outDir: string,
  formats: readonly ReportFormat[],
  context: ReportContext = {},
): Promise<string[]> {
  const report = await buildReport(store, runId, context);
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const { file, render } = REPORT_FORMATS[format];
    const path = join(dir, file);
    // A temporary file of its own, then rename: readers and concurrent writers never see half a report.
    await writeFileAtomic(path, render(report));
    written.push(path);
  }
  return written;
}
