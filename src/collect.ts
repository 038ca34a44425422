/**
 * What the runner needs of a collector, without knowing any vendor SDK: collectors/ builds these.
 */
import type { Evidence, Scope, SourceType } from "./domain.js";

export interface CollectContext {
  /** Aborted when the collector's timeout passes or the agent is shutting down. */
  signal: AbortSignal;
  /** The clock, so evidence timestamps can be controlled in tests and simulations. */
  now: () => Date;
}

interface JobBase {
  collector: string;
  /** Where it collects; `account` may be "unknown" until the collector has asked who it is. */
  scope: Scope;
  /** Evidence kinds its checks need: when the job fails, those checks are `error` for its scope. */
  produces: readonly string[];
  /** How many jobs of this source may run at once. */
  sourceConcurrency: number;
}

/** One unit of collection: a collector bound to one source, account and region. */
export interface CollectJob extends JobBase {
  kind: "collect";
  run(context: CollectContext): Promise<Evidence[]>;
}

/**
 * Finds what to collect (an organisation's accounts, an account's regions) and returns the jobs
 * for it, plus evidence of what it found. The runner schedules those jobs under the same limits.
 */
export interface DiscoveryJob extends JobBase {
  kind: "discover";
  discover(context: CollectContext): Promise<{ evidence: Evidence[]; jobs: CollectorJob[] }>;
}

export type CollectorJob = CollectJob | DiscoveryJob;

/** A collector (or discovery step) as policy documents and their tests see it: what it is, and the permissions it uses. */
export interface CollectorPermissions {
  name: string;
  sourceType: SourceType;
  permissions: readonly string[];
  /** The evidence kinds it produces; absent for a source's discovery, which every run of the source needs. */
  produces?: readonly string[];
}

/**
 * What one source type's collectors hand the app (collectors/<source>.ts): its collectors with
 * their permissions, and how to plan the jobs of one configured source.
 */
export interface SourcePlugin<SourceConfig, PlanOptions = undefined> {
  collectors: readonly CollectorPermissions[];
  plan(source: SourceConfig, options?: PlanOptions): CollectorJob;
}
