/**
 * The PDCA registers as commands and reports see them: the config's risks beside those added
 * with `risk add`, the evidence a risk's live status is judged from, and the next free
 * nonconformity id.
 */
import type { Config } from "../src/config/schema.js";
import type { FindingCounts, RiskException } from "../src/domain.js";
import type { RiskEvidence } from "../src/engine/risks.js";
import type { Nonconformity, Risk } from "../src/registers.js";
import { risksInStore, runSummariesSince } from "../src/store/registers.js";
import type { Store } from "../src/store/store.js";
import { configExceptions } from "./registry.js";

export function configRisks(config: Config): Risk[] {
  return config.risks.map((r) => ({
    id: r.id,
    title: r.title,
    asset: r.asset,
    threat: r.threat,
    likelihood: r.likelihood,
    impact: r.impact,
    owner: r.owner,
    treatment: r.treatment,
    controls: r.controls,
    objectives: r.objectives,
    exceptions: r.exceptions,
    residualTarget: r.residualTarget ?? null,
    reviewDate: r.reviewDate ?? null,
    origin: "config",
    createdAt: null,
  }));
}

/** Config risks first, then the store's; an id in both is the config's (`risk add` refuses such ids). */
export async function allRisks(config: Config, store: Store | null): Promise<Risk[]> {
  const fromConfig = configRisks(config);
  const ids = new Set(fromConfig.map((r) => r.id));
  const stored = store ? (await risksInStore(store)).map(({ version: _version, ...risk }) => risk) : [];
  return [...fromConfig, ...stored.filter((r) => !ids.has(r.id))];
}

/** The whole exceptions register: config entries and those added with `exception add`. */
export async function allExceptions(config: Config, store: Store | null): Promise<RiskException[]> {
  return [...configExceptions(config), ...(store ? await store.registeredExceptions() : [])];
}

/**
 * What risks are judged from: the results of a finished run (the latest when none is given) and
 * its per-check counts from the loop summary; null before the first run.
 */
export async function riskEvidence(config: Config, store: Store, now: Date, runId?: number): Promise<(RiskEvidence & { runId: number }) | null> {
  const run = runId === undefined ? await store.latestFinishedRun() : await store.getRun(runId);
  if (!run) return null;
  const [controls, objectives, summaries, exceptions] = await Promise.all([
    store.controlResults(run.id),
    store.objectiveMeasurements(run.id),
    runSummariesSince(store, run.startedAt),
    allExceptions(config, store),
  ]);
  const summary = summaries.find((s) => s.runId === run.id);
  return {
    runId: run.id,
    controls: new Map(controls.map((c) => [c.controlId, c])),
    checks: new Map<string, FindingCounts>(Object.entries(summary?.checks ?? {})),
    objectives: new Map(objectives.map((m) => [m.objectiveId, m])),
    exceptions,
    now,
  };
}

/** NC-0001, NC-0002, …: one more than the highest number in use. */
export function nextNonconformityId(existing: readonly Pick<Nonconformity, "id">[]): string {
  const highest = Math.max(0, ...existing.map((n) => Number(/^NC-(\d+)$/.exec(n.id)?.[1] ?? 0)));
  return `NC-${String(highest + 1).padStart(4, "0")}`;
}

export function addDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A comma-separated option as a list: "A.8.5, A.5.17" → ["A.8.5", "A.5.17"]. */
export function listOption(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
