/**
 * What the runner needs of a collector, without knowing any vendor SDK: collectors/ builds these.
 */
import type { Evidence, Scope } from "./domain.js";

export interface CollectContext {
  /** Aborted when the collector's timeout passes or the agent is shutting down. */
  signal: AbortSignal;
  /** The clock, so evidence timestamps can be controlled in tests and simulations. */
  now: () => Date;
}

/** One planned unit of collection: a collector bound to one source (and account/region). */
export interface CollectorJob {
  collector: string;
  /** Where it collects; `account` may be "unknown" until the collector has asked who it is. */
  scope: Scope;
  produces: readonly string[];
  /** How many collectors of this source may run at once. */
  sourceConcurrency: number;
  run(context: CollectContext): Promise<Evidence[]>;
}
