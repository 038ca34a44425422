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

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const { run } = report;
  out.push(`# ISO/IEC 27001:2022 evidence report — ${cell(report.organization)}`, "");
  out.push(`Run ${run.id}, ${run.status}: started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ""}.`);
  if (run.finishedAt && report.asOf !== run.finishedAt) out.push("", `State as of ${report.asOf}: the latest run finished by then; staleness is judged at that moment.`);
  if (run.error) out.push("", `> ${cell(run.error)}`);
  if (run.hash) out.push("", `Run hash \`${run.hash}\` (chained to \`${run.prevHash ?? "none"}\`); check it with \`isms-agent verify\`.`);
  out.push("");

  const c = report.summary.controls;
  const f = report.summary.findings;
  out.push("## Summary", "");
  out.push(
    `Annex A controls (93): ${c.pass} pass, ${c.fail} fail, ${c.partial} partial, ${c.not_evaluated} not evaluated, ${c.not_applicable} not applicable.`,
  );
  out.push(`Findings: ${f.pass} pass, ${f.fail} fail, ${f.excepted} excepted, ${f.error} error, ${f.not_applicable} not applicable.`);
  const stale = report.controls.filter((x) => x.stale);
  out.push(stale.length === 0 ? "No control rests on stale evidence." : `**${stale.length} control${stale.length === 1 ? " rests" : "s rest"} on stale evidence:** ${stale.map((x) => x.id).join(", ")}.`, "");

  out.push("## Objectives", "");
  if (report.objectives.length === 0) out.push("No objectives are configured.", "");
  else {
    out.push("| Objective | Owner | Value | Trend | Target | Deadline | Status | Projected |", "|---|---|---|---|---|---|---|---|");
    for (const o of report.objectives) {
      const value = o.value === null ? "no data" : `${o.value}% (${o.numerator}/${o.denominator})`;
      const gap = o.errors > 0 ? ` — ${o.errors} could not be judged` : "";
      const history = `(${o.history.map((h) => (h.value === null ? "–" : `${h.value}`)).join(", ")})`;
      const projected = o.status === "met" ? "reached" : (o.projectedDate ?? "not at this rate");
      out.push(
        `| ${cell(o.title)} (${mdCode(o.id)}) | ${cell(o.owner)} | ${value}${gap} | ${TREND_ARROWS[o.trend]} ${history} | ${o.target}% | ${o.deadline} | ${label(o.status)} | ${projected} |`,
      );
    }
    out.push("");
  }

  out.push("## Scope", "");
  if (report.scope.length === 0) out.push("Nothing was collected in this run.", "");
  else {
    out.push("| Source | Collector | Account | Region | Result |", "|---|---|---|---|---|");
    for (const s of report.scope) {
      out.push(`| ${cell(s.source)} (${s.sourceType}) | ${cell(s.collector)} | ${cell(s.account)} | ${cell(s.region)} | ${s.status === "ok" ? "collected" : `**failed**: ${cell(s.error ?? "")}`} |`);
    }
    out.push("");
  }

  const failing = report.findings.filter((x) => x.status === "fail");
  out.push("## Failing findings", "");
  if (failing.length === 0) out.push("None.", "");
  else {
    // Grouped by check, so each remediation is said once.
    const byCheck = groupBy(failing, (x) => x.checkId);
    for (const [checkId, items] of byCheck) {
      const first = items[0];
      if (!first) continue;
      out.push(`### ${cell(first.title)} — ${items.length} failing`, "");
      out.push(`${mdCode(checkId)}, severity ${first.severity}, supports ${cell(first.controls.join(", "))}.`, "");
      for (const x of items) out.push(`- ${cell(x.reason)} (${x.sourceType} ${cell(x.source)}, account ${cell(x.account)})`);
      out.push("", `Remediation: ${cell(first.remediation)}`, "");
    }
  }

  out.push("## Drift since the previous run", "");
  if (report.drift.previousRunId === null) out.push("No earlier completed run of the same sources to compare with.", "");
  else if (report.drift.events.length === 0) out.push(`Nothing changed since run ${report.drift.previousRunId}.`, "");
  else {
    out.push(`Compared with run ${report.drift.previousRunId}:`, "");
    for (const e of report.drift.events) out.push(`- **${e.kind.replace(/_/g, " ")}** (${e.severity}): ${cell(e.message)}`);
    out.push("");
  }

  if (report.alerts.length > 0) {
    out.push("## Alerts", "");
    for (const a of report.alerts) {
      out.push(
        a.status === "sent"
          ? `- Sent ${a.alerts.length} alert${a.alerts.length === 1 ? "" : "s"} to ${cell(a.channel)} at ${a.at}.`
          : `- **Delivery to ${cell(a.channel)} failed** (${a.attempts} attempts): ${cell(a.error ?? "")}`,
      );
    }
    out.push("");
  }

  const excepted = report.findings.filter((x) => x.status === "excepted");
  out.push("## Exceptions register", "");
  if (report.exceptions.length === 0) out.push("No exceptions (accepted risks) are registered.", "");
  else {
    out.push("| Id | Check | Resource | Reason | Owner | Approved by | Expires | Findings covered |", "|---|---|---|---|---|---|---|---|");
    for (const e of report.exceptions) {
      out.push(
        `| ${cell(e.id)} | ${mdCode(e.checkId)} | ${cell(e.resource ?? "all")} | ${cell(e.reason)} | ${cell(e.owner)} | ${cell(e.approvedBy)} | ${e.expires}${e.expired ? " (**expired**)" : ""} | ${e.findings} |`,
      );
    }
    out.push("");
  }
  if (excepted.length > 0) {
    for (const x of excepted) out.push(`- Excepted (${cell(x.exception?.id ?? "")}, until ${cell(x.exception?.expires ?? "")}): ${cell(x.reason)} — accepted because: ${cell(x.exception?.reason ?? "")}`);
    out.push("");
  }

  const errors = report.findings.filter((x) => x.status === "error");
  out.push("## Evidence gaps", "");
  if (errors.length === 0) out.push("None: every check that applied could be evaluated.", "");
  else {
    for (const x of errors) out.push(`- ${mdCode(x.checkId)} (account ${cell(x.account)}): ${cell(x.reason)}`);
    out.push("");
  }

  out.push("## Annex A controls", "");
  out.push("| Control | Title | Status | Coverage | Checks | Pass / Fail / Excepted / Error / N/A | Last evidence |", "|---|---|---|---|---|---|---|");
  for (const ctl of report.controls) {
    const k = ctl.counts;
    const coverage = !ctl.applicable
      ? "—"
      : `${ctl.coverage === "none" ? (ctl.automation === "manual" ? "none (needs manual evidence)" : "none") : ctl.coverage}${ctl.missingEvidence.length > 0 ? ` — missing: ${cell(ctl.missingEvidence.join("; "))}` : ""}`;
    const status = `${label(ctl.status)}${ctl.stale ? " — **stale**" : ""}${ctl.justification ? ` — excluded: ${cell(ctl.justification)}` : ""}`;
    out.push(
      `| ${ctl.id} | ${cell(ctl.title)} | ${status} | ${coverage} | ${ctl.checks.map((id) => `\`${id}\``).join(", ") || "—"} | ${k.pass} / ${k.fail} / ${k.excepted} / ${k.error} / ${k.not_applicable} | ${ctl.lastEvidenceAt?.slice(0, 10) ?? "none"} |`,
    );
  }
  out.push("");

  out.push("## Findings", "");
  out.push("| Check | Account | Resource | Status | Reason |", "|---|---|---|---|---|");
  for (const x of report.findings) {
    out.push(`| ${mdCode(x.checkId)} | ${cell(x.account)} | ${cell(x.resourceId)} | ${label(x.status)} | ${cell(x.reason)} |`);
  }
  out.push("");

  out.push("## Notes", "");
  for (const note of report.notes) out.push(`- ${cell(note)}`);
  out.push("");
  return out.join("\n");
}
