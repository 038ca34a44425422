/**
 * The PDCA registers in report.html: risks with their live status, nonconformities with their
 * corrective actions and the runs that verified them, audit samples and management reviews, as
 * they stood after the run.
 */
import { verificationText } from "../src/engine/effectiveness.js";
import { isOverdue } from "../src/engine/nonconformities.js";
import { escapeHtml as e } from "./html.js";
import type { Report } from "./schema.js";

const RISK_BADGE: Record<string, string> = {
  treatment_effective: "pass",
  accepted: "pass",
  treatment_not_effective: "fail",
  acceptance_lapsed: "fail",
  not_evaluated: "not_evaluated",
  avoided: "not_applicable",
};

export function* registersHtmlChunks(report: Report): Generator<string, void, undefined> {
  const r = report.registers;
  yield `\n<h2>Risks, nonconformities and audits</h2>\n`;
  if (!r) {
    yield `<p class="muted">This run was stored before the agent kept the risk, nonconformity and audit registers.</p>`;
    return;
  }
  const asOf = new Date(report.asOf);
  yield `<h3>Risk register</h3>`;
  if (r.risks.length === 0)
    yield `<p class="muted">The risk register is empty: add risks in config (<span class="mono">risks:</span>) or with <span class="mono">isms-agent risk add</span>.</p>`;
  else {
    yield `<table data-register="risks"><thead><tr><th>Risk</th><th>Score</th><th>Owner · treatment</th><th>Status in this run</th></tr></thead><tbody>`;
    for (const { risk, status } of r.risks) {
      yield `<tr data-risk="${e(risk.id)}" data-risk-status="${e(status.status)}"><td>${e(risk.id)} ${e(risk.title)}<br><span class="muted">${e(risk.asset)}; ${e(risk.threat)}</span></td><td>${status.score}${risk.residualTarget !== null ? ` <span class="muted">(target ${risk.residualTarget})</span>` : ""}</td><td>${e(risk.owner)} · ${e(risk.treatment)}${risk.controls.length > 0 ? `<br><span class="muted">${e(risk.controls.join(", "))}</span>` : ""}</td><td><span class="badge s-${RISK_BADGE[status.status] ?? "not_evaluated"}">${e(status.status.replace(/_/g, " "))}</span> ${e(status.reason)}</td></tr>`;
    }
    yield `</tbody></table>`;
  }
  yield `\n<h3>Nonconformities and corrective actions</h3>`;
  if (r.nonconformities.length === 0) yield `<p class="muted">No nonconformity is recorded.</p>`;
  else {
    yield `<table data-register="nonconformities"><thead><tr><th>Nonconformity</th><th>Status</th><th>Owner · due</th><th>Correction, cause and action</th></tr></thead><tbody>`;
    for (const nc of r.nonconformities) {
      const overdue = isOverdue(nc, asOf);
      yield `<tr data-nc="${e(nc.id)}" data-nc-status="${e(nc.status)}"><td>${e(nc.id)} <span class="muted">${e(nc.severity)}, ${e(nc.origin.replace(/_/g, " "))}, detected ${e(nc.detectedAt.slice(0, 10))}</span><br>${e(nc.title)}${nc.similar.length > 0 ? `<br><span class="muted">Where else it fails: ${e(nc.similar.slice(0, 10).join("; "))}${nc.similar.length > 10 ? " …" : ""}</span>` : ""}</td><td>${e(nc.status)}${overdue ? " <strong>overdue</strong>" : ""}${nc.recurrences > 0 ? ` <strong>recurred ${nc.recurrences}×</strong>` : ""}</td><td>${e(nc.owner ?? "not assigned")} · ${e(nc.dueDate ?? "no date")}</td><td>${nc.correction ? `Correction: ${e(nc.correction)}<br>` : ""}${nc.rootCause ? `Root cause: ${e(nc.rootCause)}<br>` : ""}${nc.correctiveAction ? `Action: ${e(nc.correctiveAction)}<br>` : ""}<span class="muted">${e(verificationText(nc, r.effectiveness))}</span></td></tr>`;
    }
    yield `</tbody></table>`;
  }
  yield `\n<h3>Audit samples</h3>`;
  if (r.auditSamples.length === 0) yield `<p class="muted">No audit sample has been drawn (<span class="mono">isms-agent audit sample</span>).</p>`;
  for (const s of r.auditSamples) {
    yield `<p data-sample="${e(s.id)}">${e(s.id)}: ${s.items.length} of ${s.populationSize} resources for ${e(s.control)} from run ${s.run.runId}, seed <span class="mono">${e(s.seed)}</span>, population sha256 <span class="mono">${e(s.populationSha256)}</span>${s.auditor ? `, auditor ${e(s.auditor)}` : ""}.</p>`;
  }
  yield `\n<h3>Management reviews</h3>`;
  if (r.reviews.length === 0) yield `<p class="muted">No management review is recorded (<span class="mono">isms-agent review record</span>).</p>`;
  for (const m of r.reviews) {
    yield `<p data-review="${e(m.id)}">${e(m.id)}, held ${e(m.heldOn)}: ${m.decisions.length} decision${m.decisions.length === 1 ? "" : "s"}, ${m.actions.length} action${m.actions.length === 1 ? "" : "s"} (${e(m.actions.map((a) => `${a.id}: ${a.text}`).join("; ") || "none")}).</p>`;
  }
}
