/**
 * report.md: for pasting into tickets, wikis and management-review minutes.
 */
import { TREND_ARROWS } from "../src/engine/objectives.js";
import type { Report } from "./schema.js";
import { groupBy } from "../src/group.js";
import { mdCode, mdText } from "./markdown-text.js";

const STATUS_LABEL: Record<string, string> = {
  pass: "pass",
  fail: "**FAIL**",
  partial: "partial",
  not_evaluated: "not evaluated",
  not_applicable: "not applicable",
  error: "error",
  excepted: "excepted",
  met: "met",
  on_track: "on track",
  at_risk: "**at risk**",
  missed: "**missed**",
  no_data: "no data",
};

/** Any text that did not come from this file: escaped, so a hostile name stays text (see markdown-text.ts). */
function cell(text: string): string {
  return mdText(text);
}

function label(status: string): string {
  return STATUS_LABEL[status] ?? status;
}

/** The lines of report.md, one at a time (a report of many findings is never one string). */
function* markdownLines(report: Report): Generator<string, void, undefined> {
  const { run } = report;
  yield* [`# ISO/IEC 27001:2022 evidence report — ${cell(report.organization)}`, ""];
  yield `Run ${run.id}, ${run.status}: started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ""}.`;
  if (run.finishedAt && report.asOf !== run.finishedAt)
    yield* ["", `State as of ${report.asOf}: the latest run finished by then; staleness is judged at that moment.`];
  if (run.error) yield* ["", `> ${cell(run.error)}`];
  if (run.hash) yield* ["", `Run hash \`${run.hash}\` (chained to \`${run.prevHash ?? "none"}\`); check it with \`isms-agent verify\`.`];
  yield "";

  const c = report.summary.controls;
  const f = report.summary.findings;
  yield* ["## Summary", ""];
  yield `Annex A controls (93): ${c.pass} pass, ${c.fail} fail, ${c.partial} partial, ${c.not_evaluated} not evaluated, ${c.not_applicable} not applicable.`;
  yield `Findings: ${f.pass} pass, ${f.fail} fail, ${f.excepted} excepted, ${f.error} error, ${f.not_applicable} not applicable.`;
  const stale = report.controls.filter((x) => x.stale);
  yield* [
    stale.length === 0
      ? "No control rests on stale evidence."
      : `**${stale.length} control${stale.length === 1 ? " rests" : "s rest"} on stale evidence:** ${stale.map((x) => x.id).join(", ")}.`,
    "",
  ];

  yield* ["## Objectives", ""];
  if (report.objectives.length === 0) yield* ["No objectives are configured.", ""];
  else {
    yield* ["| Objective | Owner | Value | Trend | Target | Deadline | Status | Projected |", "|---|---|---|---|---|---|---|---|"];
    for (const o of report.objectives) {
      const value = o.value === null ? "no data" : `${o.value}% (${o.numerator}/${o.denominator})`;
      const gap = o.errors > 0 ? ` — ${o.errors} could not be judged` : "";
      const history = `(${o.history.map((h) => (h.value === null ? "–" : `${h.value}`)).join(", ")})`;
      const projected = o.status === "met" ? "reached" : (o.projectedDate ?? "not at this rate");
      yield `| ${cell(o.title)} (${mdCode(o.id)}) | ${cell(o.owner)} | ${value}${gap} | ${TREND_ARROWS[o.trend]} ${history} | ${o.target}% | ${o.deadline} | ${label(o.status)} | ${projected} |`;
    }
    yield "";
  }

  yield* ["## Scope", ""];
  if (report.scope.length === 0) yield* ["Nothing was collected in this run.", ""];
  else {
    yield* ["| Source | Collector | Account | Region | Result |", "|---|---|---|---|---|"];
    for (const s of report.scope) {
      yield `| ${cell(s.source)} (${s.sourceType}) | ${cell(s.collector)} | ${cell(s.account)} | ${cell(s.region)} | ${s.status === "ok" ? "collected" : `**failed**: ${cell(s.error ?? "")}`} |`;
    }
    yield "";
  }

  const failing = report.findings.filter((x) => x.status === "fail");
  yield* ["## Failing findings", ""];
  if (failing.length === 0) yield* ["None.", ""];
  else {
    // Grouped by check, so each remediation is said once.
    const byCheck = groupBy(failing, (x) => x.checkId);
    for (const [checkId, items] of byCheck) {
      const first = items[0];
      if (!first) continue;
      yield* [`### ${cell(first.title)} — ${items.length} failing`, ""];
      yield* [`${mdCode(checkId)}, severity ${first.severity}, supports ${cell(first.controls.join(", "))}.`, ""];
      for (const x of items) yield `- ${cell(x.reason)} (${x.sourceType} ${cell(x.source)}, account ${cell(x.account)})`;
      yield* ["", `Remediation: ${cell(first.remediation)}`, ""];
    }
  }

  yield* ["## Drift since the previous run", ""];
  if (report.drift.previousRunId === null) yield* ["No earlier completed run of the same sources to compare with.", ""];
  else if (report.drift.events.length === 0) yield* [`Nothing changed since run ${report.drift.previousRunId}.`, ""];
  else {
    yield* [`Compared with run ${report.drift.previousRunId}:`, ""];
    for (const e of report.drift.events) yield `- **${e.kind.replace(/_/g, " ")}** (${e.severity}): ${cell(e.message)}`;
    yield "";
  }

  if (report.alerts.length > 0) {
    yield* ["## Alerts", ""];
    for (const a of report.alerts) {
      yield a.status === "sent"
        ? `- Sent ${a.alerts.length} alert${a.alerts.length === 1 ? "" : "s"} to ${cell(a.channel)} at ${a.at}.`
        : `- **Delivery to ${cell(a.channel)} failed** (${a.attempts} attempts): ${cell(a.error ?? "")}`;
    }
    yield "";
  }

  const excepted = report.findings.filter((x) => x.status === "excepted");
  yield* ["## Exceptions register", ""];
  if (report.exceptions.length === 0) yield* ["No exceptions (accepted risks) are registered.", ""];
  else {
    yield* ["| Id | Check | Resource | Reason | Owner | Approved by | Expires | Findings covered |", "|---|---|---|---|---|---|---|---|"];
    for (const e of report.exceptions) {
      yield `| ${cell(e.id)} | ${mdCode(e.checkId)} | ${cell(e.resource ?? "all")} | ${cell(e.reason)} | ${cell(e.owner)} | ${cell(e.approvedBy)} | ${e.expires}${e.expired ? " (**expired**)" : ""} | ${e.findings} |`;
    }
    yield "";
  }
  if (excepted.length > 0) {
    for (const x of excepted)
      yield `- Excepted (${cell(x.exception?.id ?? "")}, until ${cell(x.exception?.expires ?? "")}): ${cell(x.reason)} — accepted because: ${cell(x.exception?.reason ?? "")}`;
    yield "";
  }

  const errors = report.findings.filter((x) => x.status === "error");
  yield* ["## Evidence gaps", ""];
  if (errors.length === 0) yield* ["None: every check that applied could be evaluated.", ""];
  else {
    for (const x of errors) yield `- ${mdCode(x.checkId)} (account ${cell(x.account)}): ${cell(x.reason)}`;
    yield "";
  }

  yield* ["## Annex A controls", ""];
  yield* ["| Control | Title | Status | Coverage | Checks | Pass / Fail / Excepted / Error / N/A | Last evidence |", "|---|---|---|---|---|---|---|"];
  for (const ctl of report.controls) {
    const k = ctl.counts;
    const coverage = !ctl.applicable
      ? "—"
      : `${ctl.coverage === "none" ? (ctl.automation === "manual" ? "none (needs manual evidence)" : "none") : ctl.coverage}${ctl.missingEvidence.length > 0 ? ` — missing: ${cell(ctl.missingEvidence.join("; "))}` : ""}`;
    const status = `${label(ctl.status)}${ctl.stale ? " — **stale**" : ""}${ctl.justification ? ` — excluded: ${cell(ctl.justification)}` : ""}`;
    yield `| ${ctl.id} | ${cell(ctl.title)} | ${status} | ${coverage} | ${ctl.checks.map((id) => `\`${id}\``).join(", ") || "—"} | ${k.pass} / ${k.fail} / ${k.excepted} / ${k.error} / ${k.not_applicable} | ${ctl.lastEvidenceAt?.slice(0, 10) ?? "none"} |`;
  }
  yield "";

  yield* ["## Findings", ""];
  yield* ["| Check | Account | Resource | Status | Reason |", "|---|---|---|---|---|"];
  for (const x of report.findings) {
    yield `| ${mdCode(x.checkId)} | ${cell(x.account)} | ${cell(x.resourceId)} | ${label(x.status)} | ${cell(x.reason)} |`;
  }
  yield "";

  yield* ["## Notes", ""];
  for (const note of report.notes) yield `- ${cell(note)}`;
  yield "";
}

/** report.md in chunks: its lines, each after the line break that ends the one before. */
export function* markdownChunks(report: Report): Generator<string, void, undefined> {
  let first = true;
  for (const line of markdownLines(report)) {
    yield first ? line : `\n${line}`;
    first = false;
  }
}

export function renderMarkdown(report: Report): string {
  return [...markdownChunks(report)].join("");
}
