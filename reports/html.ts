/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no external request) for
 * management review and the auditor. Readable on a laptop and on paper (print stylesheet); the
 * per-control drill-down uses <details>, so it works offline, from a zip, without JavaScript.
 * Key figures carry data-figure attributes so a test can read them back against report.json.
 */
import { TREND_ARROWS } from "../src/engine/objectives.js";
import { registersHtmlChunks } from "./registers-html.js";
import type { Report } from "./schema.js";
import { groupBy } from "../src/group.js";

type Control = Report["controls"][number];
type Finding = Report["findings"][number];

const THEMES = ["organizational", "people", "physical", "technological"] as const;
const CONTROL_STATUS_ORDER = ["pass", "fail", "partial", "not_evaluated", "not_applicable"] as const;

const LABEL: Record<string, string> = {
  pass: "Pass",
  fail: "Fail",
  partial: "Partial",
  not_evaluated: "Not evaluated",
  not_applicable: "Not applicable",
  error: "Error",
  excepted: "Excepted",
  met: "Met",
  on_track: "On track",
  at_risk: "At risk",
  missed: "Missed",
  no_data: "No data",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const e = escapeHtml;
const label = (status: string) => LABEL[status] ?? status;
const badge = (status: string) => `<span class="badge s-${e(status)}">${e(label(status))}</span>`;
const anchor = (controlId: string) => `ctl-${controlId.replace(/\./g, "-")}`;

const CSS = `
:root{--pass:#1a7f37;--fail:#c62828;--partial:#b26a00;--ne:#6b7280;--na:#9ca3af;--exc:#7b3fa0;--err:#a16207;--ink:#111827;--muted:#4b5563;--line:#e5e7eb;--bg:#f9fafb}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}h3{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted);margin:0}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{background:var(--bg);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.s-pass,.s-met{background:var(--pass)}.s-fail,.s-missed{background:var(--fail)}.s-partial,.s-at_risk{background:var(--partial)}.s-not_evaluated,.s-no_data{background:var(--ne)}.s-not_applicable{background:var(--na)}.s-excepted{background:var(--exc)}.s-error{background:var(--err)}.s-on_track{background:#2563eb}
.stale{display:inline-block;padding:1px 6px;border:1px solid var(--fail);color:var(--fail);border-radius:10px;font-size:11px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:12px;break-inside:avoid}
.big{font-size:26px;font-weight:700}.muted{color:var(--muted)}
.matrix{display:grid;grid-template-columns:repeat(auto-fill,minmax(84px,1fr));gap:4px}.cell{display:block;padding:4px 6px;border-radius:4px;color:#fff;text-decoration:none;font-size:12px;font-weight:600;line-height:1.3}
.cell small{display:block;font-weight:400;opacity:.9}.cell.stalecell{outline:2px dashed var(--fail);outline-offset:1px}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 10px}summary{cursor:pointer;font-weight:600}details[open]{background:#fcfcfd}
.gap{border-left:4px solid var(--fail);padding:6px 10px;background:#fff5f5;margin:6px 0}
.legend span{margin-right:10px}
@media print{main{max-width:none;padding:0}details{border:none;padding:0}details>summary{list-style:none}details:not([open])>*:not(summary){display:block}h2{break-after:avoid}tr,.card,.cell{break-inside:avoid}a{color:inherit;text-decoration:none}.noprint{display:none}}
`;

/** An inline SVG line of the values, with the target as a dashed line. */
export function sparkline(values: readonly (number | null)[], target: number): string {
  const points = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null);
  const width = 160;
  const height = 40;
  const x = (i: number) => (values.length <= 1 ? width / 2 : 4 + (i * (width - 8)) / (values.length - 1));
  // From a little under the lowest value (or the target) up to 100%, so small moves show.
  const low = Math.max(0, Math.floor((Math.min(target, ...points.map((p) => p.v)) - 10) / 10) * 10);
  const y = (v: number) => height - 4 - ((v - low) / (100 - low || 1)) * (height - 8);
  const path = points.map((p, n) => `${n === 0 ? "M" : "L"}${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ");
  const dots = points.map((p) => `<circle cx="${x(p.i).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2.5"/>`).join("");
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="trend: ${e(values.map((v) => (v === null ? "no data" : `${v}%`)).join(", "))}"><line x1="0" x2="${width}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#9ca3af" stroke-dasharray="3 3"/><path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/><g fill="#2563eb">${dots}</g></svg>`;
}

function themeTable(report: Report): string {
  const rows = THEMES.map((theme) => {
    const controls = report.controls.filter((c) => c.theme === theme);
    const cells = CONTROL_STATUS_ORDER.map(
      (s) => `<td class="num" data-figure="theme-${theme}-${s}">${controls.filter((c) => c.status === s).length}</td>`,
    ).join("");
    return `<tr><th>${e(theme[0]?.toUpperCase() + theme.slice(1))} (${controls.length})</th>${cells}</tr>`;
  });
  const totals = CONTROL_STATUS_ORDER.map((s) => `<td class="num" data-figure="controls-${s}">${report.summary.controls[s]}</td>`).join("");
  return `<table><thead><tr><th>Theme</th>${CONTROL_STATUS_ORDER.map((s) => `<th class="num">${label(s)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}<tr><th>All 93</th>${totals}</tr></tbody></table>`;
}

function objectivesSection(report: Report): string {
  if (report.objectives.length === 0) return `<p class="muted">No objectives are configured.</p>`;
  const cards = report.objectives.map((o) => {
    const projected =
      o.status === "met"
        ? "Target reached"
        : o.projectedDate
          ? `Projected to reach ${o.target}% on ${o.projectedDate}`
          : "Does not reach the target at the current rate";
    return `<div class="card" data-objective="${e(o.id)}">
<div><strong>${e(o.title)}</strong> <span class="muted">(${e(o.id)}, owner ${e(o.owner)})</span></div>
<div><span class="big" data-figure="objective-${e(o.id)}-value">${o.value === null ? "no data" : `${o.value}%`}</span> <span class="muted">${TREND_ARROWS[o.trend]} of ${o.target}% by ${e(o.deadline)}</span></div>
<div>${badge(o.status)} <span class="muted">${o.numerator}/${o.denominator}${o.errors > 0 ? `; ${o.errors} could not be judged` : ""}</span></div>
${sparkline(
  o.history.map((h) => h.value),
  o.target,
)}
<div class="muted">${e(projected)} · ${o.history.length} measurement${o.history.length === 1 ? "" : "s"}</div>
</div>`;
  });
  return `<div class="cards">${cards.join("")}</div>`;
}

function* scopeSection(report: Report): Generator<string, void, undefined> {
  const failed = report.scope.filter((s) => s.status === "error");
  const noEvidence = report.controls.filter((c) => c.applicable && c.coverage === "none");
  yield `<p>Sources in this run: ${report.run.sources.length > 0 ? report.run.sources.map(e).join(", ") : "as listed below"}. <span data-figure="scope-collectors">${report.scope.length}</span> collector runs, <span data-figure="scope-failed">${failed.length}</span> failed. <span data-figure="controls-without-evidence">${noEvidence.length}</span> applicable controls have no evidence in this report (automated or manual).</p>
<table><thead><tr><th>Source</th><th>Collector</th><th>Account / subscription / org</th><th>Region</th><th>Result</th></tr></thead><tbody>`;
  for (const s of report.scope) {
    yield `<tr><td>${e(s.source)} <span class="muted">(${e(s.sourceType)})</span></td><td>${e(s.collector)}</td><td class="mono">${e(s.account)}</td><td>${e(s.region)}</td><td>${s.status === "ok" ? "collected" : `<strong>failed</strong>: ${e(s.error ?? "")}`}</td></tr>`;
  }
  yield `</tbody></table>`;
}

function matrix(report: Report): string {
  const cells = report.controls
    .map((c) => {
      const cls = `cell s-${c.status}${c.stale ? " stalecell" : ""}`;
      const coverage = !c.applicable ? "excluded" : c.coverage === "none" ? "no evidence" : c.coverage;
      return `<a class="${cls}" href="#${anchor(c.id)}" title="${e(`${c.id} ${c.title}: ${label(c.status)}${c.stale ? ", stale" : ""}`)}" data-control="${e(c.id)}" data-status="${e(c.status)}">${e(c.id)}<small>${e(coverage)}</small></a>`;
    })
    .join("");
  const legend = CONTROL_STATUS_ORDER.map((s) => `<span>${badge(s)}</span>`).join("");
  return `<p class="legend">${legend}<span class="stale">dashed: stale</span></p><div class="matrix">${cells}</div>`;
}

function findingRow(f: Finding): string {
  const exception = f.exception
    ? `<br><span class="muted">Excepted (${e(f.exception.id)}, until ${e(f.exception.expires)}, approved by ${e(f.exception.approvedBy)}): ${e(f.exception.reason)}</span>`
    : "";
  return `<tr><td>${badge(f.status)}</td><td class="mono">${e(f.resourceId)}</td><td>${e(f.source)} · ${e(f.account)} · ${e(f.region)}</td><td>${e(f.reason)}${exception}</td></tr>`;
}

/** One control's drill-down: its parts joined by line breaks, each table row a chunk of its own. */
function* controlDetail(
  control: Control,
  findingsByControl: Map<string, Finding[]>,
  evidenceBySha: Map<string, Report["evidence"][number]>,
): Generator<string, void, undefined> {
  const findings = findingsByControl.get(control.id) ?? [];
  const k = control.counts;
  yield `<details id="${anchor(control.id)}"><summary>${e(control.id)} ${e(control.title)} ${badge(control.status)}${control.stale ? ' <span class="stale">stale</span>' : ""} <span class="muted">${k.pass} pass · ${k.fail} fail · ${k.excepted} excepted · ${k.error} error · ${k.not_applicable} n/a</span></summary>`;
  yield `<p>Theme ${e(control.theme)}; automatable: ${e(control.automation)}; coverage in this report: ${e(control.coverage)}. Last evidence: ${e(control.lastEvidenceAt ?? "none")}.${control.staleReason ? ` <strong>${e(control.staleReason)}</strong>` : ""}</p>`;
  // Every part after the first starts on a line of its own.
  if (!control.applicable) yield `\n<p>Excluded in the Statement of Applicability: ${e(control.justification ?? "")}</p>`;
  else
    yield `\n<p>Statement of Applicability: implementation ${e(control.implementationStatus?.replace(/_/g, " ") ?? "not stated")}; included because: ${e(control.inclusionJustification ?? "not recorded")}.</p>`;
  if (control.evidenceSet.length > 0) {
    yield `\n<h3>Evidence set</h3><table data-evidence-set="${e(control.id)}"><thead><tr><th>Evidence</th><th>In this run</th></tr></thead><tbody>`;
    for (const el of control.evidenceSet) {
      yield `<tr><td>${e(el.description)}</td><td>${el.collected ? (el.by === "manual" ? "filled by manual evidence" : `collected by ${el.checks.map((id) => `<span class="mono">${e(id)}</span>`).join(", ")}`) : `<strong>missing</strong>: ${e(el.missing ?? "")}`}</td></tr>`;
    }
    yield `</tbody></table>`;
  }
  const byCheck = groupBy(findings, (f) => f.checkId);
  for (const checkId of control.checks) {
    const items = byCheck.get(checkId) ?? [];
    const first = items[0];
    const notPassing = items.filter((f) => f.status !== "pass" && f.status !== "not_applicable");
    yield `\n<h3>${e(first?.title ?? checkId)} <span class="mono muted">${e(checkId)}</span></h3>`;
    if (items.length === 0) {
      yield `\n<p class="muted">No finding in this run (nothing of this kind was collected).</p>`;
      continue;
    }
    yield `\n<p class="muted">${items.length} finding${items.length === 1 ? "" : "s"}, ${items.filter((f) => f.status === "pass").length} passing. Severity ${e(first?.severity ?? "")}.</p>`;
    if (notPassing.length > 0) {
      yield `\n<table><thead><tr><th>Status</th><th>Resource</th><th>Where</th><th>Reason</th></tr></thead><tbody>`;
      for (const f of notPassing) yield findingRow(f);
      yield `</tbody></table>`;
      if (first?.remediation) yield `\n<p><strong>Remediation:</strong> ${e(first.remediation)}</p>`;
    }
    const evidence = [...new Set(items.map((f) => f.evidenceSha256).filter((s): s is string => s !== null))]
      .map((sha) => evidenceBySha.get(sha))
      .filter((x) => x !== undefined);
    if (evidence.length > 0) {
      yield `\n<table><thead><tr><th>Evidence</th><th>Source · account · region</th><th>API call</th><th>Collected</th><th>sha256</th></tr></thead><tbody>`;
      for (const ev of evidence) {
        yield `<tr><td>${e(ev.kind)}</td><td>${e(ev.source)} · ${e(ev.account)} · ${e(ev.region)}</td><td>${e(ev.apiCall)}</td><td>${e(ev.collectedAt)}</td><td class="mono">${e(ev.sha256)}</td></tr>`;
      }
      yield `</tbody></table>`;
    }
  }
  if (control.manualEvidence.length > 0) {
    yield `\n<h3>Manual evidence</h3><table><thead><tr><th>File</th><th>Note</th><th>Added</th><th>Valid until</th><th>sha256</th></tr></thead><tbody>`;
    for (const m of control.manualEvidence) {
      yield `<tr><td>${e(m.fileName)}</td><td>${e(m.note)}</td><td>${e(m.addedAt.slice(0, 10))}</td><td>${e(m.validUntil ?? "no expiry")}${m.expired ? " <strong>(expired)</strong>" : ""}</td><td class="mono">${e(m.sha256)}</td></tr>`;
    }
    yield `</tbody></table>`;
  }
  if (control.checks.length === 0 && control.manualEvidence.length === 0 && control.applicable) {
    yield `\n<p class="gap">No automated check covers this control and no manual evidence is stored: add it with <span class="mono">isms-agent evidence add --control ${e(control.id)} --file …</span>.</p>`;
  }
  yield `</details>`;
}

/** report.html in chunks: the page's frame, then each table row and control drill-down as a chunk of its own. */
export function* htmlChunks(report: Report): Generator<string, void, undefined> {
  const { run } = report;
  const findingsByControl = groupBy(report.findings, (f) => f.controls);
  const evidenceBySha = new Map(report.evidence.map((ev) => [ev.sha256, ev]));
  const f = report.summary.findings;
  const stale = report.controls.filter((c) => c.stale);

  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>ISO/IEC 27001:2022 evidence report — ${e(report.organization)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>ISO/IEC 27001:2022 evidence report — ${e(report.organization)}</h1>
<p class="meta">Run <span data-figure="run-id">${run.id}</span> · <span data-figure="run-status">${e(run.status)}</span> · started ${e(run.startedAt)}${run.finishedAt ? ` · finished ${e(run.finishedAt)}` : ""} · state as of <span data-figure="as-of">${e(report.asOf)}</span></p>
${run.error ? `<p class="gap">${e(run.error)}</p>` : ""}
<p class="meta">Run hash <span class="mono">${e(run.hash ?? "none")}</span>, chained to <span class="mono">${e(run.prevHash ?? "none")}</span>. Check with <span class="mono">isms-agent verify</span>. Written by ${e(report.tool.name)} ${e(report.tool.version)}, report schema ${e(report.schemaVersion)}.</p>

<h2>Summary for management review</h2>
${themeTable(report)}
<p>Findings: <span data-figure="findings-pass">${f.pass}</span> pass, <span data-figure="findings-fail">${f.fail}</span> fail, <span data-figure="findings-excepted">${f.excepted}</span> excepted, <span data-figure="findings-error">${f.error}</span> error, <span data-figure="findings-not_applicable">${f.not_applicable}</span> not applicable. ${stale.length > 0 ? `<strong>${stale.length} control${stale.length === 1 ? " rests" : "s rest"} on stale evidence.</strong>` : "No control rests on stale evidence."}</p>
<h3>Objectives</h3>
${objectivesSection(report)}

<h2>Scope</h2>
`;
  yield* scopeSection(report);
  yield `

<h2>Drift since the previous run</h2>
`;
  yield* driftSection(report);
  yield `

<h2>Collector errors and evidence gaps</h2>
`;
  yield* gapsSection(report, stale);
  yield `

<h2>Annex A — all 93 controls</h2>
${matrix(report)}

<h2>Controls in detail</h2>
<p class="muted noprint">Open a control for its checks, the failing resources with reasons and remediation, and the evidence records behind them.</p>
`;
  for (const [index, control] of report.controls.entries()) {
    if (index > 0) yield "\n";
    yield* controlDetail(control, findingsByControl, evidenceBySha);
  }
  yield `

<h2>Exceptions register</h2>
`;
  yield* exceptionsSection(report);
  yield* registersHtmlChunks(report);
  yield "\n";
  yield* alertsSection(report);
  yield `
<h2>Notes</h2>
<ul>${report.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>
</main>
</body>
</html>
`;
}

export function renderHtml(report: Report): string {
  return [...htmlChunks(report)].join("");
}

function* driftSection(report: Report): Generator<string, void, undefined> {
  if (report.drift.previousRunId === null) {
    yield `<p class="muted">No earlier completed run of the same sources to compare with.</p>`;
    return;
  }
  if (report.drift.events.length === 0) {
    yield `<p>Nothing changed since run ${report.drift.previousRunId}.</p>`;
    return;
  }
  yield `<p>Compared with run ${report.drift.previousRunId}: <span data-figure="drift-events">${report.drift.events.length}</span> changes.</p><table><thead><tr><th>Change</th><th>Severity</th><th>What</th></tr></thead><tbody>`;
  for (const d of report.drift.events) yield `<tr><td>${e(d.kind.replace(/_/g, " "))}</td><td>${e(d.severity)}</td><td>${e(d.message)}</td></tr>`;
  yield `</tbody></table>`;
}

function* gapsSection(report: Report, stale: readonly Control[]): Generator<string, void, undefined> {
  const failedCollectors = report.scope.filter((s) => s.status === "error");
  const gaps = report.findings.filter((x) => x.status === "error");
  if (failedCollectors.length === 0 && gaps.length === 0 && stale.length === 0) {
    yield `<p>None: every collector delivered, every check that applied could be judged, no evidence is stale.</p>`;
    return;
  }
  for (const s of failedCollectors)
    yield `<div class="gap">Collector <strong>${e(s.collector)}</strong> of ${e(s.source)} (account ${e(s.account)}, ${e(s.region)}) failed: ${e(s.error ?? "")}</div>`;
  for (const x of gaps) yield `<div class="gap"><span class="mono">${e(x.checkId)}</span> (${e(x.source)}, account ${e(x.account)}): ${e(x.reason)}</div>`;
  for (const c of stale) yield `<div class="gap"><a href="#${anchor(c.id)}">${e(c.id)}</a> rests on stale evidence: ${e(c.staleReason ?? "")}</div>`;
}

function* exceptionsSection(report: Report): Generator<string, void, undefined> {
  if (report.exceptions.length === 0) {
    yield `<p class="muted">No exceptions (accepted risks) are registered.</p>`;
    return;
  }
  yield `<table><thead><tr><th>Id</th><th>Check</th><th>Resource</th><th>Reason</th><th>Owner</th><th>Approved by</th><th>Expires</th><th class="num">Findings</th></tr></thead><tbody>`;
  for (const x of report.exceptions) {
    yield `<tr><td>${e(x.id)}</td><td class="mono">${e(x.checkId)}</td><td class="mono">${e(x.resource ?? "every resource")}</td><td>${e(x.reason)}</td><td>${e(x.owner)}</td><td>${e(x.approvedBy)}</td><td>${e(x.expires)}${x.expired ? " <strong>(expired)</strong>" : ""}</td><td class="num">${x.findings}</td></tr>`;
  }
  yield `</tbody></table>`;
}

function* alertsSection(report: Report): Generator<string, void, undefined> {
  if (report.alerts.length === 0) return;
  yield `<h2>Alerts sent</h2><table><thead><tr><th>Channel</th><th>Result</th><th>When</th><th>Alerts</th></tr></thead><tbody>`;
  for (const a of report.alerts) {
    yield `<tr><td>${e(a.channel)}</td><td>${a.status === "sent" ? "sent" : `<strong>failed</strong> after ${a.attempts} attempts: ${e(a.error ?? "")}`}</td><td>${e(a.at)}</td><td>${a.alerts.map(e).join("<br>")}</td></tr>`;
  }
  yield `</tbody></table>`;
}
