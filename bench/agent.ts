/**
 * The agent side of the benchmark, in its own process so its peak RSS is its own: one run of a
 * config, then the time to render report.json and report.html. Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildReport } from "../reports/build.js";
import { writeReportFiles } from "../reports/write.js";
import { loadConfig } from "../app/config.js";
import { runCycle } from "../app/cycle.js";
import { Redactor } from "../src/engine/redact.js";
import { countHttpRequests } from "../src/http-stats.js";
import { openSqliteStore } from "../src/store/sqlite.js";

// Where the memory is at the moment RSS peaks: the JS heap, or outside it (buffers, SQLite, malloc).
const atPeak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const memorySampler = setInterval(() => {
  // rss() alone is cheap; the full breakdown walks the heap's spaces, so only at a new peak.
  if (process.memoryUsage.rss() <= atPeak.rss) return;
  const m = process.memoryUsage();
  if (m.rss > atPeak.rss)
    Object.assign(atPeak, { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers });
}, 250);
memorySampler.unref();

const configFile = process.argv.at(-1) ?? "";
// --runs N: N runs of the same estate; the last is measured, with the previous one to drift from.
const runsFlag = process.argv.indexOf("--runs");
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 1;
const loaded = await loadConfig(configFile);
const store = await openSqliteStore({ file: loaded.config.database });
const requests = countHttpRequests();
let started = performance.now();
let lastCollectorAt = started;
let cycle: Awaited<ReturnType<typeof runCycle>> | undefined;
for (let i = 0; i < runs; i++) {
  started = performance.now();
  cycle = await runCycle({
    config: loaded.config,
    store,
    redactor: Redactor.fromEnvironment(process.env, loaded.secrets),
    plan: { aws: { iam: { pollIntervalMs: 50 } } },
    onEvent: (event) => {
      if (event.type === "collector-finished") lastCollectorAt = performance.now();
    },
  });
}
const wallMs = performance.now() - started;
const peakRssAfterRunMb = process.resourceUsage().maxRSS / 1024;
if (!cycle?.ran) throw new Error("the benchmark run was skipped: a lock is held");
const runId = cycle.result.run.id;
const outcomes = await store.collectorOutcomes(runId);
// The reports as `run` writes them: built once, each streamed into its file.
const reportsDir = mkdtempSync(join(tmpdir(), "isms-agent-bench-reports-"));
let t = performance.now();
const report = await buildReport(store, runId);
const findings = report.findings.length;
const [jsonFile] = await writeReportFiles(report, reportsDir, ["json"]);
const renderJsonMs = performance.now() - t;
t = performance.now();
const [htmlFile] = await writeReportFiles(report, reportsDir, ["html"]);
const renderHtmlMs = performance.now() - t;
t = performance.now();
await writeReportFiles(report, reportsDir, ["md", "csv", "soa", "oscal", "ocsf"]);
const renderOtherReportsMs = performance.now() - t;
const reportJsonBytes = statSync(jsonFile ?? "").size;
const reportHtmlBytes = statSync(htmlFile ?? "").size;
rmSync(reportsDir, { recursive: true, force: true });
await store.close();
process.stdout.write(
  `${JSON.stringify({
    runId,
    status: cycle.result.run.status,
    error: cycle.result.run.error,
    wallMs,
    // From the last collector to the stored run: evaluate, roll up, measure, insert findings.
    judgeAndStoreMs: started + wallMs - lastCollectorAt,
    findings,
    outcomes: outcomes.map((o) => ({
      collector: o.collector,
      source: o.source,
      status: o.status,
      error: o.error,
      ms: Date.parse(o.finishedAt) - Date.parse(o.startedAt),
      startedAt: o.startedAt,
      finishedAt: o.finishedAt,
    })),
    httpRequests: requests.count() / runs,
    renderJsonMs,
    renderHtmlMs,
    renderOtherReportsMs,
    reportJsonBytes,
    reportHtmlBytes,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    // Peak while collecting, judging and storing; the rest of peakRssMb is building the reports.
    peakRssAfterRunMb,
    memoryAtPeakMb: Object.fromEntries(Object.entries(atPeak).map(([k, v]) => [k, Math.round(v / 1024 / 1024)])),
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    dbBytes: statSync(loaded.config.database).size + (statSync(`${loaded.config.database}-wal`, { throwIfNoEntry: false })?.size ?? 0),
  })}\n`,
);
