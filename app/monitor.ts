/**
 * After each run, and on the daemon's freshness tick: drift against the previous comparable run,
 * stale evidence, and the alerts those raise (deduplicated against the stored alert state).
 * Never fails the run: a run's result is already stored when this starts.
 */
import { controlsOfFinding } from "../controls/mapping.js";
import { findCheck } from "../controls/registry.js";
import { deliverAlerts } from "../src/alerts/deliver.js";
import { planAlerts, signalsFromDrift, type Alert, type Signal } from "../src/alerts/plan.js";
import type { Config } from "../src/config/schema.js";
import { maxEvidenceAgeHours } from "./daemon/schedule.js";
import type { DriftEvent, RunRecord } from "../src/domain.js";
import { collectorKey, detectDriftFrom, type DriftSource } from "../src/engine/drift.js";
import { controlFreshness, type Freshness } from "../src/engine/freshness.js";
import type { Redactor } from "../src/engine/redact.js";
import type { AlertDelivery, DriftKey, Store } from "../src/store/store.js";

export interface MonitorInput {
  config: Config;
  store: Store;
  redactor: Redactor;
  now: () => Date;
}

export interface MonitorResult {
  drift: DriftEvent[];
  previousRunId: number | null;
  alerts: Alert[];
  deliveries: AlertDelivery[];
  staleControls: string[];
}

/**
 * A stored run as drift reads it: findings and resources streamed in key order (with `only`, just
 * the keys where it can differ from the run it is compared with), the small parts whole.
 */
async function driftSource(store: Store, runId: number, only?: { findings: DriftKey[]; resources: DriftKey[] }): Promise<DriftSource> {
  const [unjudged, controls, objectives, outcomes] = await Promise.all([
    store.unjudgedCheckScopes(runId),
    store.controlResults(runId),
    store.objectiveMeasurements(runId),
    store.collectorOutcomes(runId),
  ]);
  return {
    findings: () => store.findingsInKeyOrder(runId, only?.findings),
    resources: () => store.resourcesInKeyOrder(runId, only?.resources),
    unjudged,
    controls,
    objectives,
    outcomes,
  };
}

/** Freshness of every control of a stored run, as seen at `asOf`. */
export async function runFreshness(
  store: Store,
  config: Config,
  runId: number,
  asOf: Date,
  loaded?: Pick<DriftSource, "controls">,
): Promise<Map<string, Freshness>> {
  const [findings, controls, index, manual] = await Promise.all([
    store.freshnessInputs(runId),
    loaded?.controls ?? store.controlResults(runId),
    store.evidenceIndex(runId),
    store.manualEvidence(),
  ]);
  return controlFreshness({
    controls,
    findings,
    collectedAt: new Map(index.map((e) => [e.sha256, e.collectedAt])),
    manual,
    asOf,
    maxAgeHours: maxEvidenceAgeHours(config),
    controlsOf: controlsOfFinding,
  });
}

function staleSignals(freshness: ReadonlyMap<string, Freshness>): { signals: Signal[]; open: string[] } {
  const signals: Signal[] = [];
  const open: string[] = [];
  for (const [controlId, f] of freshness) {
    const key = `stale:${controlId}`;
    if (f.stale) {
      open.push(key);
      signals.push({ key, event: "stale_evidence", severity: "medium", effect: "opens", message: `Evidence for ${controlId} is stale: ${f.reason ?? ""}` });
    } else {
      signals.push({ key, event: "resolved", severity: "low", effect: "closes", message: `Evidence for ${controlId} is current again.` });
    }
  }
  return { signals, open };
}

/** Plans alerts from signals against the stored dedup state, saves it, and delivers: shared with the PDCA loop (app/loop.ts). */
export async function planAndDeliver(
  input: MonitorInput,
  signals: Signal[],
  stillOpen: Set<string>,
  judges: (key: string) => boolean,
  runId: number | null,
): Promise<{ alerts: Alert[]; deliveries: AlertDelivery[] }> {
  const { config, store } = input;
  const plan = planAlerts({
    signals,
    states: await store.alertStates(),
    stillOpen,
    judges,
    now: input.now(),
    reminderHours: config.alerts.reminderHours,
    flapping: config.alerts.flapping,
  });
  await store.saveAlertStates(plan.states);
  const deliveries = await deliverAlerts({ config, store, redactor: input.redactor, alerts: plan.alerts, runId, now: input.now });
  return { alerts: plan.alerts, deliveries };
}

/** Drift, staleness and alerts for a run that just ended. */
export async function monitorRun(input: MonitorInput, run: RunRecord): Promise<MonitorResult> {
  const { store } = input;
  let current = await driftSource(store, run.id);
  let drift: DriftEvent[] = [];
  let previousRunId: number | null = null;
  if (run.status === "completed" || run.status === "partial") {
    const previous = await store.previousComparableRun(run.id);
    if (previous) {
      previousRunId = previous.id;
      // A merge of the two runs' findings in key order, of the keys where they differ: neither run
      // is held whole, and what did not change is not read.
      const differing = await store.driftCandidates(previous.id, run.id);
      current = await driftSource(store, run.id, differing);
      drift = await detectDriftFrom(await driftSource(store, previous.id, differing), current, (id) => findCheck(id)?.severity ?? "medium");
      await store.saveDriftEvents(run.id, previous.id, drift);
    }
  }
  const signals = signalsFromDrift(drift);
  const stillOpen = await store.failingFindingKeys(run.id);
  for (const o of current.outcomes) {
    // Collector failures are alerted from the outcome itself, so a run that failed outright alerts too.
    const key = collectorKey(o);
    if (o.status === "error") {
      stillOpen.add(key);
      signals.push({
        key,
        event: "collector_failure",
        severity: "high",
        effect: "opens",
        message: `Collector ${o.collector} of ${o.source} (account ${o.account}, ${o.region}) failed: ${o.error ?? "no reason given"}`,
      });
    }
  }
  const freshness = await runFreshness(store, input.config, run.id, input.now(), current);
  const stale = staleSignals(freshness);
  signals.push(...stale.signals);
  for (const key of stale.open) stillOpen.add(key);

  const inScope = new Set(run.sources);
  // Finding and collector keys carry their source third: `finding:<check>:<source>:...`.
  const judges = (key: string) => key.startsWith("stale:") || inScope.has(key.split(":")[2] ?? "");
  const { alerts, deliveries } = await planAndDeliver(input, signals, stillOpen, judges, run.id);
  return { drift, previousRunId, alerts, deliveries, staleControls: stale.open.map((k) => k.slice("stale:".length)) };
}

/** The daemon's periodic look at evidence age between runs: alerts when a control goes stale. */
export async function monitorFreshness(input: MonitorInput): Promise<{ alerts: Alert[]; deliveries: AlertDelivery[]; staleControls: string[] }> {
  const latest = await input.store.latestFinishedRun();
  if (!latest) return { alerts: [], deliveries: [], staleControls: [] };
  const stale = staleSignals(await runFreshness(input.store, input.config, latest.id, input.now()));
  const { alerts, deliveries } = await planAndDeliver(input, stale.signals, new Set(stale.open), (key) => key.startsWith("stale:"), null);
  return { alerts, deliveries, staleControls: stale.open.map((k) => k.slice("stale:".length)) };
}
