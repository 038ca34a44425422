import { jsonChunks } from "./json-chunks.js";
import type { Report } from "./schema.js";

/** report.json in chunks: JSON.stringify(report, null, 2) and a line break, the findings and evidence one item at a time. */
export function* reportJsonChunks(report: Report): Generator<string, void, undefined> {
  yield* jsonChunks(report, 2);
  yield "\n";
}

export function renderJson(report: Report): string {
  return [...reportJsonChunks(report)].join("");
}
