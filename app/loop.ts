/**
 * After a run is stored and monitored: the Act step of the loop. Keeps the run's summary, moves
 * each nonconformity on (verified effective, reopened on recurrence), opens the ones the rules
 * find, and alerts on a new nonconformity, an overdue action or a recurrence through the
 * configured channels. Like monitoring, it never fails the run, which is already stored.
 */
import { findCheck } from "../controls/registry.js";
import type { Signal } from "../src/alerts/plan.js";
import type { Config } from "../src/config/schema.js";
import { advanceNonconformity } from "../src/engine/effectiveness.js";
import { isOverdue, newNonconformity, nonconformitiesToOpen, type NcCandidate } from "../src/engine/nonconformities.js";
import type { Redactor } from "../src/engine/redact.js";
import type { Nonconformity, RegistersSnapshot, RunSummary } from "../src/registers.js";
import { riskLiveStatus } from "../src/engine/risks.js";
import {
  auditSamplesInStore,
  nonconformitiesInStore,
  recordNonconformity,
  reviewRecordsInStore,
  runSummariesSince,
  saveRunSummary,
} from "../src/store/registers.js";
import type { Store } from "../src/store/store.js";
import { planAndDeliver } from "./monitor.js";
import { addDays, allExceptions, allRisks, nextNonconformityId } from "./registers-data.js";
import type { RunResult } from "./runner.js";

export interface LoopInput {
  config: Config;
  store: Store;
  redactor: Redactor;
  now: () => Date;
}

export interface LoopResult {
  opened: Nonconformity[];
  verified: Nonconformity[];
  reopened: Nonconformity[];
  overdue: Nonconformity[];
}

const DAY_MS = 86_400_000;
/** How many resources an NC lists as "where else the same check fails"; the count says the rest. */
const SIMILAR_LIMIT = 50;

export function runSummaryOf(result: RunResult, staleControls: readonly string[]): RunSummary | null {
  const { run } = result;
  if ((run.status !== "completed" && run.status !== "partial") || run.hash === null) return null;
  return {
    runId: run.id,
    hash: run.hash,
    startedAt: run.startedAt,
    checks: Object.fromEntries([...result.findingsByCheck].map(([id, counts]) => [id, { ...counts }])),
    staleControls: [...staleControls].sort(),
    objectives: Object.fromEntries(result.objectives.map((m) => [m.objectiveId, { status: m.status, deadline: m.deadline }])),
  };
}

export async function closeTheLoop(input: LoopInput, result: RunResult, staleControls: readonly string[]): Promise<LoopResult> {
  const { config, store } = input;
  const now = input.now();
  const at = now.toISOString();
  const outcome: LoopResult = { opened: [], verified: [], reopened: [], overdue: [] };
  const summary = runSummaryOf(result, staleControls);
  if (!summary) return outcome;

  const policy = config.nonconformities;
  const existing = (await nonconformitiesInStore(store)).map(({ version: _version, ...nc }) => nc);
  // Look back as far as the longest rule needs, and to the start of every action still being verified.
  const window = Math.max(...Object.values(policy.slaDays), policy.staleEvidenceDays) + 1;
  const starts = existing.filter((n) => n.status !== "closed").map((n) => Date.parse(n.actionRecordedAt ?? n.detectedAt));
  const since = new Date(Math.min(now.getTime() - window * DAY_MS, ...starts)).toISOString();
  // This run's summary is saved last, with the registers as they stand after it.
  const history = [...(await runSummariesSince(store, since)).filter((s) => s.runId !== summary.runId), summary];

  const signals: Signal[] = [];
  const current: Nonconformity[] = [];
  for (const nc of existing) {
    const { nc: next, event } = advanceNonconformity(nc, history, policy.effectiveness, now);
    if (next !== nc) await recordNonconformity(store, next, at);
    if (event === "verified") outcome.verified.push(next);
    if (event === "reopened") {
      outcome.reopened.push(next);
      signals.push({
        key: `nc:${next.id}:recurrence:${next.recurrences}`,
        event: "nonconformity",
        severity: next.severity,
        effect: "once",
        message: `Nonconformity ${next.id} recurred in run ${summary.runId}: ${next.title} Its corrective action was not effective; it is open again.`,
      });
    }
    current.push(next);
  }

  const candidates = nonconformitiesToOpen(
    history,
    current,
    policy,
    (id) => {
      const check = findCheck(id);
      return check && { title: check.title, severity: check.severity, controls: check.controls.map((c) => c.control) };
    },
    now,
  );
  for (const candidate of candidates) {
    const nc = await openNonconformity(input, candidate, [...current, ...outcome.opened], summary.runId);
    outcome.opened.push(nc);
    signals.push({
      key: `nc:${nc.id}:opened`,
      event: "nonconformity",
      severity: nc.severity,
      effect: "once",
      message: `Nonconformity ${nc.id} opened: ${nc.title} Due ${nc.dueDate ?? "(no date)"}.`,
    });
  }

  const stillOpen = new Set<string>();
  for (const nc of [...current, ...outcome.opened]) {
    const key = `nc:${nc.id}:overdue`;
    if (isOverdue(nc, now)) {
      stillOpen.add(key);
      outcome.overdue.push(nc);
      signals.push({
        key,
        event: "nonconformity",
        severity: nc.severity,
        effect: "opens",
        message: `The corrective action of nonconformity ${nc.id} is overdue: it was due on ${nc.dueDate ?? ""} and is still ${nc.status}.`,
      });
    } else signals.push({ key, event: "resolved", severity: "low", effect: "closes", message: `Nonconformity ${nc.id} is no longer overdue.` });
  }
  await saveRunSummary(store, summary, await registersSnapshot(input, result, [...current, ...outcome.opened]));
  await planAndDeliver(input, signals, stillOpen, (key) => key.startsWith("nc:"), summary.runId);
  return outcome;
}

/** The registers after this run, risks judged from its results: what its reports show. */
async function registersSnapshot(input: LoopInput, result: RunResult, nonconformities: readonly Nonconformity[]): Promise<RegistersSnapshot> {
  const { config, store } = input;
  const [risks, controls, exceptions, samples, reviews] = await Promise.all([
    allRisks(config, store),
    store.controlResults(result.run.id),
    allExceptions(config, store),
    auditSamplesInStore(store),
    reviewRecordsInStore(store),
  ]);
  const evidence = {
    controls: new Map(controls.map((c) => [c.controlId, c])),
    checks: result.findingsByCheck,
    objectives: new Map(result.objectives.map((m) => [m.objectiveId, m])),
    exceptions,
    now: input.now(),
  };
  const strip = <T extends { version: number }>({ version: _version, ...rest }: T) => rest;
  return {
    risks: risks.map((risk) => ({ risk, status: riskLiveStatus(risk, evidence) })),
    nonconformities: [...nonconformities],
    effectiveness: config.nonconformities.effectiveness,
    auditSamples: samples.map(strip),
    reviews: reviews.map(strip),
  };
}

async function openNonconformity(input: LoopInput, candidate: NcCandidate, existing: readonly Nonconformity[], runId: number): Promise<Nonconformity> {
  const { config, store } = input;
  const now = input.now();
  const similar: string[] = [];
  let more = 0;
  for (const checkId of candidate.checks) {
    for (const f of await store.findingsOfCheck(runId, checkId)) {
      if (f.status !== "fail" && f.status !== "excepted") continue;
      if (similar.length < SIMILAR_LIMIT) similar.push(`${f.source}/${f.account}/${f.region}: ${f.resourceId}`);
      else more++;
    }
  }
  if (more > 0) similar.push(`and ${more} more`);
  const objectiveOwner = config.objectives.find((o) => candidate.objectives.includes(o.id))?.owner ?? null;
  const nc = newNonconformity({
    id: nextNonconformityId(existing),
    key: candidate.key,
    origin: candidate.origin,
    title: candidate.title,
    severity: candidate.severity,
    controls: candidate.controls,
    checks: candidate.checks,
    objectives: candidate.objectives,
    detectedAt: now.toISOString(),
    detectedRun: candidate.detectedRun,
    owner: objectiveOwner,
    dueDate: addDays(now, config.nonconformities.dueDays),
    similar,
  });
  await recordNonconformity(store, nc, nc.detectedAt);
  return nc;
}
