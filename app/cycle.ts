/**
 * One scheduled or manual run, start to end: take the run locks of its sources in the store
 * (so two agents on one database never run the same source at once), run, then drift and
 * alerts. Shared by `run`, `daemon` and `demo`.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { allSourceNames, type Config } from "../src/config/schema.js";
import type { Redactor } from "../src/engine/redact.js";
import { closeTheLoop, type LoopResult } from "./loop.js";
import { monitorRun, type MonitorResult } from "./monitor.js";
import { runOnce, type RunEvent, type RunResult } from "./runner.js";
import { planCollectorJobs, type PlanOptions } from "./sources.js";
import type { LockResult, Store } from "../src/store/store.js";
import { keepHeapNearLiveSize } from "./heap.js";

export interface CycleOptions {
  config: Config;
  store: Store;
  redactor: Redactor;
  /** The sources to collect; default every configured source. */
  sources?: readonly string[];
  plan?: PlanOptions;
  now?: () => Date;
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** How long locks live without a heartbeat; a crashed agent's locks lapse after this. */
  lockTtlMs?: number;
}

export type CycleResult =
  | { ran: true; result: RunResult; monitor: MonitorResult | { error: string }; loop?: LoopResult | { error: string } }
  | { ran: false; heldBy: Extract<LockResult, { acquired: false }> };

export const LOCK_TTL_MS = 120_000;

export function lockOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export async function runCycle(options: CycleOptions): Promise<CycleResult> {
  keepHeapNearLiveSize();
  const { config, store, redactor } = options;
  const now = options.now ?? (() => new Date());
  const sources = [...(options.sources ?? allSourceNames(config))].sort();
  const ttl = options.lockTtlMs ?? LOCK_TTL_MS;
  const owner = lockOwnerId();
  const lock = await store.acquireLocks(
    sources.map((s) => `source:${s}`),
    owner,
    now(),
    ttl,
  );
  if (!lock.acquired) return { ran: false, heldBy: lock };
  const heartbeat = setInterval(() => void store.refreshLocks(owner, now(), ttl).catch(() => undefined), Math.max(1000, ttl / 4));
  heartbeat.unref();
  try {
    const wanted = new Set(sources);
    const jobs = await planCollectorJobs(config, options.plan, wanted);
    const result = await runOnce({
      config,
      store,
      jobs,
      redactor,
      now,
      sources,
      lockOwner: owner,
      registeredExceptions: await store.registeredExceptions(),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let monitor: MonitorResult | { error: string };
    try {
      monitor = await monitorRun({ config, store, redactor, now }, result.run);
    } catch (error) {
      // Drift and alerts come after the run is stored; their failure must not undo it.
      monitor = { error: redactor.text(error instanceof Error ? error.message : String(error)) };
    }
    let loop: LoopResult | { error: string };
    try {
      loop = await closeTheLoop({ config, store, redactor, now }, result, "error" in monitor ? [] : monitor.staleControls);
    } catch (error) {
      // Like monitoring: the run is stored; the registers' step failing must not undo it.
      loop = { error: redactor.text(error instanceof Error ? error.message : String(error)) };
    }
    if (config.retention) {
      const at = now();
      await store.prune(new Date(at.getTime() - config.retention.days * 86_400_000).toISOString(), at.toISOString());
    }
    return { ran: true, result, monitor, loop };
  } finally {
    clearInterval(heartbeat);
    await store.releaseLocks(owner).catch(() => undefined);
  }
}
