/**
 * The management review pack (clause 9.3): each input of 9.3.2 a) to g) as a section, filled
 * from the store, or marked as entered by people (with the questions to answer when nobody has
 * yet). JSON, Markdown and HTML from one structure.
 */
import { z } from "zod";
import type { AnnexAControl } from "../src/domain.js";
import { isOverdue } from "../src/engine/nonconformities.js";
import type { RiskLiveStatus } from "../src/engine/risks.js";
import { UsageError } from "../src/errors.js";
import type { AuditSample, Nonconformity, ReviewRecord, Risk } from "../src/registers.js";
import type { Store } from "../src/store/store.js";
import { toolVersion } from "../src/version.js";
import { escapeHtml as e } from "./html.js";
import { mdText as md } from "./markdown-text.js";
import { buildPeriodReport } from "./period.js";

export const REVIEW_SCHEMA_VERSION = "1.0";
export const REVIEW_INPUTS = ["a", "b", "c", "d", "e", "f", "g"] as const;

const sectionSchema = z.object({
  clause: z.string(),
  title: z.string(),
  /** store: filled from evidence and registers; entered_by_people: a person's words (or the questions, while none). */
  filledFrom: z.enum(["store", "entered_by_people"]),
  summary: z.string(),
  items: z.array(z.string()),
});
export type ReviewSection = z.infer<typeof sectionSchema>;

export const reviewPackSchema = z.object({
  schemaVersion: z.literal(REVIEW_SCHEMA_VERSION),
  organization: z.string(),
  tool: z.object({ name: z.literal("isms-agent"), version: z.string() }),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  /** The newest run in the window and the ledger head when the pack was made: what it rests on. */
  chainHead: z.string().nullable(),
  ledgerHead: z.string().nullable(),
  inputs: z.object(Object.fromEntries(REVIEW_INPUTS.map((k) => [k, sectionSchema])) as Record<(typeof REVIEW_INPUTS)[number], typeof sectionSchema>),
});
export type ReviewPack = z.infer<typeof reviewPackSchema>;

export interface ReviewInput {
  from: string;
  to: string;
  now: Date;
  catalog: readonly AnnexAControl[];
  maxEvidenceAgeHours: number;
  /** Risks with their live status as of the newest run in the window (the app judges them). */
  risks: readonly { risk: Risk; status: RiskLiveStatus | null }[];
  nonconformities: readonly Nonconformity[];
  /** Every version of every nonconformity: when each was opened and closed. */
  nonconformityHistory: readonly (Nonconformity & { recordedAt: string })[];
  reviews: readonly ReviewRecord[];
  samples: readonly AuditSample[];
  exceptions: readonly { id: string; checkId: string; expires: string }[];
  entered: { issues?: string | undefined; interestedParties?: string | undefined; feedback?: string | undefined };
}

const PROMPTS = {
  b: "To be entered by people: what changed in external issues (law, regulators, market, threats, suppliers) and internal issues (organisation, products, technology, people) relevant to the ISMS since the last review?",
  c: "To be entered by people: what changed in the needs and expectations of interested parties (customers, regulators, staff, suppliers, shareholders), including contractual requirements?",
  e: "To be entered by people: what feedback came from interested parties (customer questionnaires, complaints, supplier reviews, staff suggestions)?",
};

function entered(clause: string, title: string, text: string | undefined, prompt: string): ReviewSection {
  return text && text.trim() !== ""
    ? { clause, title, filledFrom: "entered_by_people", summary: text.trim(), items: [] }
    : { clause, title, filledFrom: "entered_by_people", summary: prompt, items: [] };
}

export async function buildReviewPack(store: Store, organization: string, input: ReviewInput): Promise<ReviewPack> {
  const { from, to, now } = input;
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const start = `${from}T00:00:00.000Z`;
  const end = `${to}T23:59:59.999Z`;
  const inWindow = (t: string | null) => t !== null && t >= start && t <= end;
  const period = await buildPeriodReport(store, from, to, input.maxEvidenceAgeHours, input.catalog);

  // a) actions of earlier reviews, and whether a later review found them done.
  // The pack prepares the next review: every review held by the period's end is a previous one.
  const earlier = input.reviews.filter((r) => r.heldOn <= to);
  const done = new Map<string, string>();
  for (const r of input.reviews) for (const id of r.actionsDone) done.set(id, r.id);
  const actions = earlier.flatMap((r) => r.actions.map((a) => ({ review: r, action: a })));
  const a: ReviewSection = {
    clause: "9.3.2 a",
    title: "Status of actions from previous management reviews",
    filledFrom: "store",
    summary:
      earlier.length === 0
        ? "No earlier management review is recorded in the store (`isms-agent review record` records one)."
        : `${earlier.length} earlier review${earlier.length > 1 ? "s" : ""} recorded ${actions.length} action${actions.length === 1 ? "" : "s"}; ${actions.filter((x) => done.has(x.action.id)).length} found done.`,
    items: [
      ...earlier.flatMap((r) => r.decisions.map((d) => `Decision of review ${r.id} (${r.heldOn}): ${d}`)),
      ...actions.map(({ review, action }) => {
        const doneIn = done.get(action.id);
        const status = doneIn
          ? `done (review ${doneIn})`
          : action.due !== null && action.due < to
            ? `overdue (due ${action.due})`
            : `open${action.due ? ` (due ${action.due})` : ""}`;
        return `Action ${action.id} of review ${review.id}, owner ${action.owner}: ${action.text} — ${status}.`;
      }),
    ],
  };

  // d) performance: nonconformities and corrective actions, monitoring and measurement, audits, objectives.
  const firstVersion = new Map<string, Nonconformity & { recordedAt: string }>();
  for (const v of input.nonconformityHistory) if (!firstVersion.has(v.id)) firstVersion.set(v.id, v);
  const opened = [...firstVersion.values()].filter((v) => inWindow(v.recordedAt));
  const closed = input.nonconformities.filter((n) => n.status === "closed" && inWindow(n.closedAt));
  const stillOpen = input.nonconformities.filter((n) => n.status !== "closed");
  const overdue = stillOpen.filter((n) => isOverdue(n, new Date(end)));
  const failingAtEnd = period.controls.filter((c) => c.latestStatus === "fail" || c.latestStatus === "partial");
  const held = period.controls.filter((c) => c.applicable && c.daysHeld > 0);
  const samples = input.samples.filter((s) => inWindow(s.drawnAt));
  const auditNcs = opened.filter((n) => n.origin === "manual");
  const objectives = period.objectives.map((o) => {
    const last = o.measurements.at(-1);
    return `Objective ${o.title} (${o.id}), target ${o.target}% by ${o.deadline}: ${last ? `${last.value === null ? "no value" : `${last.value}%`}, ${last.status.replace(/_/g, " ")}` : "not measured in the period"} (${o.measurements.length} measurements).`;
  });
  const d: ReviewSection = {
    clause: "9.3.2 d",
    title: "Information on information security performance",
    filledFrom: "store",
    summary: `Nonconformities: ${opened.length} opened and ${closed.length} closed by verified corrective action in the period; ${stillOpen.length} still open (${overdue.length} overdue). Monitoring: ${period.runs.length} runs; ${held.length} applicable controls held on at least one day, ${failingAtEnd.length} failing or partial at the end. Audits: ${plural(samples.length, "audit sample")} drawn, ${plural(auditNcs.length, "nonconformity", "nonconformities")} entered by people. Objectives: ${period.objectives.length} measured.`,
    items: [
      ...opened.map((n) => `Opened ${n.recordedAt.slice(0, 10)}: ${n.id} (${n.severity}, ${n.origin.replace(/_/g, " ")}) ${n.title}`),
      ...closed.map(
        (n) =>
          `Closed ${(n.closedAt ?? "").slice(0, 10)}: ${n.id}, ${n.closedByHand ? `by hand: ${n.closedByHand}` : `verified by runs ${n.verification.map((r) => `${r.runId} (${r.hash.slice(0, 12)})`).join(", ")}`}.`,
      ),
      ...overdue.map((n) => `Overdue: ${n.id}, due ${n.dueDate ?? ""}, owner ${n.owner ?? "not assigned"}.`),
      ...failingAtEnd.map((c) => `Control ${c.id} ${c.title} is ${c.latestStatus ?? ""} in the newest run of the period.`),
      ...samples.map(
        (s) =>
          `Audit sample ${s.id} of ${s.control}: ${s.items.length} of ${s.populationSize} resources (seed "${s.seed}", run ${s.run.runId}); ${s.results.length} audited, ${s.results.filter((r) => r.result === "nonconforming").length} nonconforming${s.results.some((r) => r.nonconformity) ? ` (${s.results.flatMap((r) => (r.nonconformity ? [r.nonconformity] : [])).join(", ")})` : ""}.`,
      ),
      ...objectives,
    ],
  };

  // f) risk assessment results and the status of the treatment plan.
  const f: ReviewSection = {
    clause: "9.3.2 f",
    title: "Results of risk assessment and status of the risk treatment plan",
    filledFrom: "store",
    summary:
      input.risks.length === 0
        ? "The risk register is empty."
        : `${input.risks.length} risks; ${countBy(input.risks.map((r) => (r.status?.status ?? "not_judged").replace(/_/g, " ")))}.`,
    items: input.risks.map(
      ({ risk, status }) =>
        `Risk ${risk.id} ${risk.title} (score ${risk.likelihood * risk.impact}${risk.residualTarget !== null ? `, residual target ${risk.residualTarget}` : ""}, owner ${risk.owner}, ${risk.treatment}): ${status ? status.reason : "not judged: no run in the period."}`,
    ),
  };

  // g) opportunities for improvement, from what the evidence shows keeps going wrong.
  const flapping = period.controls.filter((c) => c.failing.length >= 2);
  const byCheck = new Map<string, string[]>();
  for (const x of input.exceptions) byCheck.set(x.checkId, [...(byCheck.get(x.checkId) ?? []), x.id]);
  const recurringExceptions = [...byCheck].filter(([, ids]) => ids.length >= 2);
  const expired = input.exceptions.filter((x) => `${x.expires}T23:59:59.999Z` >= start && `${x.expires}T23:59:59.999Z` <= end);
  const stale = period.controls.filter((c) => c.applicable && c.daysWithoutEvidence > 0 && c.daysWithoutEvidence < period.days);
  const recurred = input.nonconformities.filter((n) => n.recurrences > 0);
  const fellBack = period.controls.filter((c) => c.daysHeld > 0 && (c.latestStatus === "fail" || c.latestStatus === "partial"));
  const noEvidence = period.controls.filter((c) => c.applicable && c.daysWithoutEvidence === period.days);
  const g: ReviewSection = {
    clause: "9.3.2 g",
    title: "Opportunities for continual improvement",
    filledFrom: "store",
    summary: `${plural(flapping.length, "control")} failed in separate spells (flapping), ${plural(fellBack.length, "control")} held and then fell back, ${plural(recurringExceptions.length, "check")} needed more than one exception, ${plural(expired.length, "exception")} expired in the period, ${plural(stale.length, "control")} went without fresh evidence on some days, ${plural(noEvidence.length, "applicable control")} had no evidence at all, ${plural(recurred.length, "nonconformity", "nonconformities")} recurred.`,
    items: [
      ...fellBack.map((c) => `Fell back: ${c.id} ${c.title} held on ${c.daysHeld} days of the period and is ${c.latestStatus ?? ""} in its newest run.`),
      ...flapping.map(
        (c) =>
          `Flapping: ${c.id} ${c.title} failed in ${c.failing.length} spells (${c.failing.map((s) => (s.from === s.to ? s.from : `${s.from} → ${s.to}`)).join(", ")}).`,
      ),
      ...recurringExceptions.map(
        ([check, ids]) => `Recurring exceptions: ${check} is excepted by ${ids.join(", ")}; a lasting fix may cost less than renewing acceptance.`,
      ),
      ...expired.map((x) => `Exception ${x.id} for ${x.checkId} expired on ${x.expires}.`),
      ...stale.map((c) => `Stale evidence: ${c.id} ${c.title} had no fresh evidence on ${c.daysWithoutEvidence} of ${period.days} days.`),
      ...recurred.map((n) => `Recurring nonconformity: ${n.id} came back ${n.recurrences} time${n.recurrences > 1 ? "s" : ""}: ${n.title}`),
      ...(noEvidence.length > 0
        ? [
            `No evidence at all: ${noEvidence.map((c) => c.id).join(", ")}; automate what an API can show, and file documents for the rest (\`isms-agent evidence add\`).`,
          ]
        : []),
    ],
  };

  return reviewPackSchema.parse({
    schemaVersion: REVIEW_SCHEMA_VERSION,
    organization,
    tool: { name: "isms-agent", version: toolVersion() },
    from,
    to,
    generatedAt: now.toISOString(),
    chainHead: period.chainHead,
    ledgerHead: await store.ledgerHead(),
    inputs: {
      a,
      b: entered("9.3.2 b", "Changes in external and internal issues relevant to the ISMS", input.entered.issues, PROMPTS.b),
      c: entered("9.3.2 c", "Changes in needs and expectations of interested parties relevant to the ISMS", input.entered.interestedParties, PROMPTS.c),
      d,
      e: entered("9.3.2 e", "Feedback from interested parties", input.entered.feedback, PROMPTS.e),
      f,
      g,
    },
  });
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(", ");
}

const FILLED = { store: "filled from the evidence store", entered_by_people: "entered by people" } as const;

export function renderReviewMarkdown(p: ReviewPack): string {
  const out = [`# Management review input — ${md(p.organization)}, ${p.from} to ${p.to}`, ""];
  out.push(
    `ISO/IEC 27001:2022 clause 9.3.2. Generated ${p.generatedAt} by isms-agent ${p.tool.version}; chain head ${p.chainHead ?? "none"}, ledger head ${p.ledgerHead ?? "none"}.`,
    "",
  );
  for (const k of REVIEW_INPUTS) {
    const s = p.inputs[k];
    out.push(`## ${k}) ${md(s.title)}`, "", `*${FILLED[s.filledFrom]}* (${s.clause})`, "", md(s.summary), "");
    for (const item of s.items) out.push(`- ${md(item)}`);
    if (s.items.length > 0) out.push("");
  }
  out.push("## Outputs (9.3.3)", "", "Record the decisions and actions with `isms-agent review record`; they become input a) of the next review.", "");
  return out.join("\n");
}

export function renderReviewHtml(p: ReviewPack): string {
  const sections = REVIEW_INPUTS.map((k) => {
    const s = p.inputs[k];
    return `<section data-input="${k}" data-filled-from="${s.filledFrom}"><h2>${k}) ${e(s.title)}</h2><p class="muted">${e(s.clause)}, <span class="filled">${e(FILLED[s.filledFrom])}</span></p><p>${e(s.summary)}</p>${
      s.items.length > 0 ? `<ul>${s.items.map((i) => `<li>${e(i)}</li>`).join("")}</ul>` : ""
    }</section>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Management review input ${e(p.from)} to ${e(p.to)} — ${e(p.organization)}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;color:#111827;margin:0}main{max-width:980px;margin:0 auto;padding:24px}.muted{color:#4b5563}section{border-top:1px solid #e5e7eb;padding-top:8px}
section[data-filled-from="entered_by_people"] .filled{background:#fff7d6;padding:0 4px;border-radius:4px}@media print{main{padding:0}section{break-inside:avoid}}</style></head>
<body><main>
<h1>Management review input — ${e(p.organization)}</h1>
<p class="muted">ISO/IEC 27001:2022 clause 9.3.2, period ${e(p.from)} to ${e(p.to)}. Generated ${e(p.generatedAt)}; chain head <code>${e(p.chainHead ?? "none")}</code>, ledger head <code>${e(p.ledgerHead ?? "none")}</code>.</p>
${sections}
<section><h2>Outputs (9.3.3)</h2><p>Record the decisions and actions with <code>isms-agent review record</code>; they become input a) of the next review.</p></section>
</main></body></html>
`;
}
