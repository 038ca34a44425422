/**
 * report.md: for pasting into tickets, wikis and management-review minutes.
 */
import type { Report } from "./schema.js";

const STATUS_LABEL: Record<string, string> = {
  pass: "pass",
  fail: "**FAIL**",
  partial: "partial",
  not_evaluated: "not evaluated",
  not_applicable: "not applicable",
  error: "error",
  met: "met",
  on_track: "on track",
  at_risk: "**at risk**",
  missed: "**missed**",
  no_data: "no data",
};

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function label(status: string): string {
  return STATUS_LABEL[status] ?? status;
}

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const { run } = report;
  out.push(`# ISO/IEC 27001:2022 evidence report — ${report.organization}`, "");
  out.push(`Run ${run.id}, ${run.status}: started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ""}.`);
  if (run.error) out.push("", `> ${cell(run.error)}`);
  if (run.hash) out.push("", `Run hash \`${run.hash}\` (chained to \`${run.prevHash ?? "none"}\`); check it with \`isms-agent verify\`.`);
  out.push("");

  const c = report.summary.controls;
  const f = report.summary.findings;
  out.push("## Summary", "");
  out.push(
    `Annex A controls (93): ${c.pass} pass, ${c.fail} fail, ${c.partial} partial, ${c.not_evaluated} not evaluated, ${c.not_applicable} not applicable.`,
  );
  out.push(`Findings: ${f.pass} pass, ${f.fail} fail, ${f.error} error, ${f.not_applicable} not applicable.`, "");

  out.push("## Objectives", "");
  if (report.objectives.length === 0) out.push("No objectives are configured.", "");
  else {
    out.push("| Objective | Owner | Value | Target | Deadline | Status |", "|---|---|---|---|---|---|");
    for (const o of report.objectives) {
      const value = o.value === null ? "no data" : `${o.value}% (${o.numerator}/${o.denominator})`;
      const gap = o.errors > 0 ? ` — ${o.errors} could not be judged` : "";
      out.push(`| ${cell(o.title)} (\`${o.id}\`) | ${cell(o.owner)} | ${value}${gap} | ${o.target}% | ${o.deadline} | ${label(o.status)} |`);
    }
    out.push("");
  }

  out.push("## Scope", "");
  if (report.scope.length === 0) out.push("Nothing was collected in this run.", "");
  else {
    out.push("| Source | Collector | Account | Region | Result |", "|---|---|---|---|---|");
    for (const s of report.scope) {
      out.push(`| ${cell(s.source)} (${s.sourceType}) | ${s.collector} | ${s.account} | ${s.region} | ${s.status === "ok" ? "collected" : `**failed**: ${cell(s.error ?? "")}`} |`);
    }
    out.push("");
  }

  const failing = report.findings.filter((x) => x.status === "fail");
  out.push("## Failing findings", "");
  if (failing.length === 0) out.push("None.", "");
  else {
    // Grouped by check, so each remediation is said once.
    const byCheck = new Map<string, typeof failing>();
    for (const x of failing) byCheck.set(x.checkId, [...(byCheck.get(x.checkId) ?? []), x]);
    for (const [checkId, items] of byCheck) {
      const first = items[0];
      if (!first) continue;
      out.push(`### ${cell(first.title)} — ${items.length} failing`, "");
      out.push(`\`${checkId}\`, severity ${first.severity}, supports ${first.controls.join(", ")}.`, "");
      for (const x of items) out.push(`- ${cell(x.reason)} (${x.sourceType} ${x.source}, account ${x.account})`);
      out.push("", `Remediation: ${cell(first.remediation)}`, "");
    }
  }

  const errors = report.findings.filter((x) => x.status === "error");
  out.push("## Evidence gaps", "");
  if (errors.length === 0) out.push("None: every check that applied could be evaluated.", "");
  else {
    for (const x of errors) out.push(`- \`${x.checkId}\` (account ${x.account}): ${cell(x.reason)}`);
    out.push("");
  }

  out.push("## Annex A controls", "");
  out.push("| Control | Title | Status | Coverage | Checks | Pass / Fail / Error / N/A |", "|---|---|---|---|---|---|");
  for (const ctl of report.controls) {
    const k = ctl.counts;
    const coverage = ctl.coverage === "none" ? (ctl.automation === "manual" ? "manual evidence" : "none") : ctl.coverage;
    out.push(
      `| ${ctl.id} | ${cell(ctl.title)} | ${label(ctl.status)} | ${coverage} | ${ctl.checks.map((id) => `\`${id}\``).join(", ") || "—"} | ${k.pass} / ${k.fail} / ${k.error} / ${k.not_applicable} |`,
    );
  }
  out.push("");

  out.push("## Findings", "");
  out.push("| Check | Account | Resource | Status | Reason |", "|---|---|---|---|---|");
  for (const x of report.findings) {
    out.push(`| \`${x.checkId}\` | ${x.account} | ${cell(x.resourceId)} | ${label(x.status)} | ${cell(x.reason)} |`);
  }
  out.push("");

  out.push("## Notes", "");
  for (const note of report.notes) out.push(`- ${note}`);
  out.push("");
  return out.join("\n");
}
