/**
 * The period view: every run in a window, summarised per control and day — "held on 171 of 181
 * days, failing 2026-03-02 → 2026-03-11" — which is what an auditor samples. A day's state is
 * the latest completed (or partial) run finished by the end of that day; a day whose latest run
 * is older than the evidence age limit has no fresh evidence and is counted as such, never held.
 */
import { z } from "zod";
import { CONTROL_STATUSES, RUN_STATUSES, type AnnexAControl, type ControlResult, type RunRecord } from "../src/domain.js";
import { UsageError } from "../src/errors.js";
import { parseDayOption } from "../src/dates.js";
import type { Store } from "../src/store/store.js";
import { toolVersion } from "../src/version.js";
import { escapeHtml as e, sparkline } from "./html.js";
import { mdCode, mdText as md } from "./markdown-text.js";

export const PERIOD_SCHEMA_VERSION = "1.0";
const DAY_MS = 86_400_000;

const interval = z.object({ from: z.string(), to: z.string() });

export const periodReportSchema = z.object({
  schemaVersion: z.literal(PERIOD_SCHEMA_VERSION),
  organization: z.string(),
  tool: z.object({ name: z.literal("isms-agent"), version: z.string() }),
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  maxEvidenceAgeHours: z.number(),
  runs: z.array(
    z.object({
      id: z.number().int(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      status: z.enum(RUN_STATUSES),
      sources: z.array(z.string()),
      hash: z.string().nullable(),
    }),
  ),
  /** Hash of the newest chained run in the window: the anchor of everything before it. */
  chainHead: z.string().nullable(),
  latestRunId: z.number().int().nullable(),
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      theme: z.string(),
      applicable: z.boolean(),
      daysHeld: z.number().int(),
      daysFailing: z.number().int(),
      daysOther: z.number().int(),
      daysWithoutEvidence: z.number().int(),
      failing: z.array(interval),
      latestStatus: z.enum(CONTROL_STATUSES).nullable(),
    }),
  ),
  objectives: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      target: z.number(),
      deadline: z.string(),
      measurements: z.array(z.object({ runId: z.number().int(), measuredAt: z.string(), value: z.number().nullable(), status: z.string() })),
    }),
  ),
  gaps: z.array(z.object({ runId: z.number().int(), collector: z.string(), source: z.string(), account: z.string(), region: z.string(), error: z.string() })),
});
export type PeriodReport = z.infer<typeof periodReportSchema>;

/** --from / --to: the one strict day parser every CLI date option uses. */
export function parseDay(value: string, flag: string): string {
  return parseDayOption(value, flag);
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Every control of `catalog` (the app gives the Annex A catalog), day by day over the period. */
export async function buildPeriodReport(
  store: Store,
  from: string,
  to: string,
  maxEvidenceAgeHours: number,
  catalog: readonly AnnexAControl[],
): Promise<PeriodReport> {
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const end = `${to}T23:59:59.999Z`;
  const inWindow = await store.runsBetween(`${from}T00:00:00.000Z`, end);
  // The state on the first day may come from a run finished before the window.
  const before = await store.latestFinishedRunAt(`${from}T00:00:00.000Z`);
  const judged = [...(before ? [before] : []), ...inWindow].filter((r) => (r.status === "completed" || r.status === "partial") && r.finishedAt !== null);
  const results = new Map<number, Map<string, ControlResult>>();
  for (const run of judged) results.set(run.id, new Map((await store.controlResults(run.id)).map((c) => [c.controlId, c])));

  const days = daysOf(from, to);
  // For each day, the latest judged run finished by its end, if still fresh then.
  const stateRun: (RunRecord | null)[] = [];
  let cursor = 0;
  let latest: RunRecord | null = null;
  const sorted = [...judged].sort((a, b) => (a.finishedAt ?? "").localeCompare(b.finishedAt ?? ""));
  for (const day of days) {
    const dayEnd = `${day}T23:59:59.999Z`;
    while (cursor < sorted.length && (sorted[cursor]?.finishedAt ?? "") <= dayEnd) latest = sorted[cursor++] ?? latest;
    const fresh = latest !== null && Date.parse(dayEnd) - Date.parse(latest.finishedAt ?? "") <= maxEvidenceAgeHours * 3_600_000;
    stateRun.push(fresh ? latest : null);
  }

  const controls = catalog.map((control) => {
    let daysHeld = 0;
    let daysFailing = 0;
    let daysOther = 0;
    let daysWithoutEvidence = 0;
    const failing: { from: string; to: string }[] = [];
    let applicable = true;
    days.forEach((day, i) => {
      const run = stateRun[i];
      const result = run ? results.get(run.id)?.get(control.id) : undefined;
      if (!result) {
        daysWithoutEvidence++;
        return;
      }
      if (result.justification) applicable = false;
      if (result.status === "pass") daysHeld++;
      else if (result.status === "fail") {
        daysFailing++;
        const last = failing.at(-1);
        const previousDay = days[i - 1];
        if (last && previousDay !== undefined && last.to === previousDay) last.to = day;
        else failing.push({ from: day, to: day });
      } else daysOther++;
    });
    const newest = [...inWindow].reverse().find((r) => results.has(r.id));
    return {
      id: control.id,
      title: control.title,
      theme: control.theme,
      applicable,
      daysHeld,
      daysFailing,
      daysOther,
      daysWithoutEvidence,
      failing,
      latestStatus: newest ? (results.get(newest.id)?.get(control.id)?.status ?? null) : null,
    };
  });

  const objectives = new Map<string, PeriodReport["objectives"][number]>();
  const gaps: PeriodReport["gaps"] = [];
  for (const run of inWindow) {
    for (const m of await store.objectiveMeasurements(run.id)) {
      const entry = objectives.get(m.objectiveId) ?? { id: m.objectiveId, title: m.title, target: m.target, deadline: m.deadline, measurements: [] };
      entry.measurements.push({ runId: run.id, measuredAt: m.measuredAt, value: m.value, status: m.status });
      objectives.set(m.objectiveId, entry);
    }
    for (const o of await store.collectorOutcomes(run.id)) {
      if (o.status === "error")
        gaps.push({ runId: run.id, collector: o.collector, source: o.source, account: o.account, region: o.region, error: o.error ?? "" });
    }
  }
  const chained = inWindow.filter((r) => r.hash !== null);
  const latestFinished = [...inWindow].reverse().find((r) => r.status === "completed" || r.status === "partial" || r.status === "failed");
  return periodReportSchema.parse({
    schemaVersion: PERIOD_SCHEMA_VERSION,
    organization: inWindow[0]?.organization ?? before?.organization ?? "",
    tool: { name: "isms-agent", version: toolVersion() },
    from,
    to,
    days: days.length,
    maxEvidenceAgeHours,
    runs: inWindow.map((r) => ({ id: r.id, startedAt: r.startedAt, finishedAt: r.finishedAt, status: r.status, sources: r.sources, hash: r.hash })),
    chainHead: chained.at(-1)?.hash ?? null,
    latestRunId: latestFinished?.id ?? null,
    controls,
    objectives: [...objectives.values()],
    gaps,
  });
}

function heldSentence(c: PeriodReport["controls"][number], days: number): string {
  if (!c.applicable) return "excluded (not applicable)";
  const observed = days - c.daysWithoutEvidence;
  if (observed === 0) return "no evidence in the period";
  const parts = [`held on ${c.daysHeld} of ${days} days`];
  if (c.failing.length > 0) parts.push(`failing ${c.failing.map((f) => (f.from === f.to ? f.from : `${f.from} → ${f.to}`)).join(", ")}`);
  if (c.daysOther > 0) parts.push(`${c.daysOther} days partial or not evaluated`);
  if (c.daysWithoutEvidence > 0) parts.push(`${c.daysWithoutEvidence} days without fresh evidence`);
  return parts.join("; ");
}

export function renderPeriodMarkdown(p: PeriodReport): string {
  const out = [`# ISO/IEC 27001:2022 evidence for ${p.from} to ${p.to} — ${md(p.organization)}`, ""];
  out.push(`${p.runs.length} runs in the window (${p.days} days). Chain head: ${mdCode(p.chainHead ?? "none")}.`, "");
  out.push("## Controls", "", "| Control | Title | Over the period |", "|---|---|---|");
  for (const c of p.controls) out.push(`| ${md(c.id)} | ${md(c.title)} | ${md(heldSentence(c, p.days))} |`);
  out.push("", "## Objectives", "");
  for (const o of p.objectives)
    out.push(
      `- ${md(o.title)} (${mdCode(o.id)}), target ${o.target}% by ${md(o.deadline)}: ${o.measurements.map((m) => (m.value === null ? "–" : `${m.value}%`)).join(", ")}`,
    );
  out.push("", "## Collector failures in the period", "");
  if (p.gaps.length === 0) out.push("None.");
  for (const g of p.gaps) out.push(`- Run ${g.runId}: ${md(g.collector)} of ${md(g.source)} (account ${md(g.account)}, ${md(g.region)}): ${md(g.error)}`);
  out.push("");
  return out.join("\n");
}

export function renderPeriodHtml(p: PeriodReport, links: { latestReport?: string } = {}): string {
  const rows = p.controls
    .map((c) => {
      const observed = p.days - c.daysWithoutEvidence;
      const pct = observed > 0 ? Math.round((c.daysHeld / p.days) * 100) : 0;
      return `<tr data-control="${e(c.id)}" data-days-held="${c.daysHeld}"><td>${e(c.id)}</td><td>${e(c.title)}</td><td><span class="bar"><span style="width:${pct}%"></span></span></td><td>${e(heldSentence(c, p.days))}</td></tr>`;
    })
    .join("");
  const objectives = p.objectives
    .map(
      (o) =>
        `<div class="card"><strong>${e(o.title)}</strong> <span class="muted">target ${o.target}% by ${e(o.deadline)}</span><br>${sparkline(
          o.measurements.map((m) => m.value),
          o.target,
        )}<br><span class="muted">${o.measurements.map((m) => (m.value === null ? "–" : `${m.value}%`)).join(", ")}</span></div>`,
    )
    .join("");
  const runs = p.runs
    .map(
      (r) =>
        `<tr><td>${r.id}</td><td>${e(r.startedAt)}</td><td>${e(r.status)}</td><td>${e(r.sources.join(", "))}</td><td class="mono">${e(r.hash ?? "")}</td></tr>`,
    )
    .join("");
  const gaps =
    p.gaps.length === 0
      ? "<p>None.</p>"
      : p.gaps
          .map((g) => `<p class="gap">Run ${g.runId}: ${e(g.collector)} of ${e(g.source)} (account ${e(g.account)}, ${e(g.region)}) failed: ${e(g.error)}</p>`)
          .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>ISO/IEC 27001:2022 evidence ${e(p.from)} to ${e(p.to)} — ${e(p.organization)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;color:#111827;margin:0}main{max-width:1180px;margin:0 auto;padding:24px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}
.bar{display:inline-block;width:120px;height:10px;background:#fde2e2;border-radius:5px;overflow:hidden}.bar span{display:block;height:100%;background:#1a7f37}.muted{color:#4b5563}.mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px}.gap{border-left:4px solid #c62828;padding:4px 8px;background:#fff5f5}
@media print{main{padding:0}tr{break-inside:avoid}}</style></head>
<body><main>
<h1>ISO/IEC 27001:2022 evidence — ${e(p.organization)}</h1>
<p class="muted">Period ${e(p.from)} to ${e(p.to)} (<span data-figure="days">${p.days}</span> days), <span data-figure="runs">${p.runs.length}</span> runs. A day counts as held when the latest run finished by its end was less than ${p.maxEvidenceAgeHours} h old and the control passed in it. Chain head <span class="mono">${e(p.chainHead ?? "none")}</span>.${links.latestReport ? ` The latest run's full report: <a href="${e(links.latestReport)}">${e(links.latestReport)}</a>.` : ""}</p>
<h2>Objectives over the period</h2><div class="cards">${objectives || '<p class="muted">No objectives measured.</p>'}</div>
<h2>Controls over the period</h2><table><thead><tr><th>Control</th><th>Title</th><th>Held</th><th>Over the period</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Collector failures</h2>${gaps}
<h2>Runs</h2><table><thead><tr><th>Run</th><th>Started</th><th>Status</th><th>Sources</th><th>Hash</th></tr></thead><tbody>${runs}</tbody></table>
</main></body></html>
`;
}
