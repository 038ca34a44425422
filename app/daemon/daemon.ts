/**
 * `isms-agent daemon`: runs each scheduled scope on its cron, never two runs of the same sources
 * at once (in this process, and across agents through the store's locks), looks at evidence age
 * between runs, and serves /healthz and /metrics. stop() is the graceful shutdown: no new runs,
 * in-flight collectors finish or time out, what was collected is stored, the run is marked.
 */
import { resolve } from "node:path";
import { Cron } from "croner";
import type { ReportContext } from "../../reports/build.js";
import { writeReports, type ReportFormat } from "../../reports/write.js";
import type { Config } from "../../src/config/schema.js";
import { runCycle, type CycleResult } from "../cycle.js";
import type { Redactor } from "../../src/engine/redact.js";
import type { Logger } from "../../src/log.js";
import { monitorFreshness } from "../monitor.js";
import { reportContext } from "../registry.js";
import type { Store } from "../../src/store/store.js";
import type { PlanOptions } from "../sources.js";
import { startHttpEndpoint, type HttpEndpoint } from "./http.js";
import { createMetrics } from "./metrics.js";
import { scheduleIntervalHours, scheduledScopes, type ScheduledScope } from "./schedule.js";

/** Where and how a daemon writes each run's reports. */
export interface DaemonReports {
  /** The output folder (absolute, or relative to the working directory). */
  dir: string;
  /** Evidence age limits and the config's exceptions, as `run` gives them. */
  context: ReportContext;
  /** Default: the config's `reports.formats`, as `run` writes. */
  formats?: readonly ReportFormat[];
}

export interface DaemonOptions {
  config: Config;
  store: Store;
  redactor: Redactor;
  logger: Logger;
  now?: () => Date;
  plan?: PlanOptions;
  /** Serve /healthz and /metrics (default true). */
  http?: boolean;
  /** How often evidence age is looked at between runs; default hourly. */
  freshnessIntervalMs?: number;
  /**
   * Each run's reports, like `run` writes them. Default: the config's `reports.formats` into `config.output`
   * (resolved against the working directory; the CLI resolves it against the config file);
   * false writes none.
   */
  reports?: DaemonReports | false;
  /** Called after every scheduled attempt, ran or skipped (tests and the demo watch it). */
  onCycle?: (scope: ScheduledScope, result: CycleResult | { error: unknown }) => void;
}

export class Daemon {
  private readonly jobs: Cron[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private freshnessTimer: NodeJS.Timeout | undefined;
  private endpoint: HttpEndpoint | undefined;
  private readonly metrics;
  private readonly now: () => Date;

  constructor(private readonly options: DaemonOptions) {
    this.now = options.now ?? (() => new Date());
    this.metrics = createMetrics(
      options.store,
      options.config.alerts.channels.map((c) => c.name),
    );
  }

  get url(): string | undefined {
    return this.endpoint?.url;
  }

  get scopes(): ScheduledScope[] {
    return scheduledScopes(this.options.config);
  }

  async start(): Promise<void> {
    const { config, logger } = this.options;
    const scopes = this.scopes;
    if (scopes.length === 0) throw new Error("nothing is scheduled: add `schedule: { cron: ... }` to the config, or a schedule to a source");
    // Counted from zero, so a dashboard's increase() sees the first skip.
    for (const scope of scopes) this.metrics.skippedRuns.inc({ scope: scope.name }, 0);
    if (this.options.http !== false) {
      this.endpoint = await startHttpEndpoint({
        host: config.daemon.host,
        port: config.daemon.port,
        store: this.options.store,
        metrics: this.metrics,
        staleAfterHours: config.daemon.staleAfterHours ?? 2 * (scheduleIntervalHours(config) ?? 24),
        now: this.now,
      });
      logger.info({ url: this.endpoint.url }, "serving /healthz and /metrics");
    }
    for (const scope of scopes) {
      const job = new Cron(scope.cron, { timezone: scope.timezone, name: `isms-agent:${scope.name}` }, () => {
        void this.trigger(scope);
      });
      this.jobs.push(job);
      logger.info({ scope: scope.name, cron: scope.cron, timezone: scope.timezone, sources: scope.sources, next: job.nextRun()?.toISOString() }, "scheduled");
    }
    this.freshnessTimer = setInterval(() => void this.checkFreshness(), this.options.freshnessIntervalMs ?? 3_600_000);
    this.freshnessTimer.unref();
  }

  /** Runs one scope now, unless a run of it is going (here or in another agent): then skips and logs. */
  async trigger(scope: ScheduledScope): Promise<CycleResult | undefined> {
    const { logger } = this.options;
    if (this.controller.signal.aborted) return undefined;
    if (this.inFlight.has(scope.name)) {
      logger.warn({ scope: scope.name }, "skipped a scheduled run: the previous run of this scope is still going");
      this.metrics.skippedRuns.inc({ scope: scope.name });
      return undefined;
    }
    let result: CycleResult | undefined;
    const work = (async () => {
      const started = Date.now();
      logger.info({ scope: scope.name, sources: scope.sources }, "run starting");
      try {
        result = await runCycle({
          config: this.options.config,
          store: this.options.store,
          redactor: this.options.redactor,
          sources: scope.sources,
          now: this.now,
          signal: this.controller.signal,
          ...(this.options.plan ? { plan: this.options.plan } : {}),
          onEvent: (event) => {
            if (event.type === "collector-finished" && event.outcome.status === "error") {
              logger.warn(
                {
                  collector: event.outcome.collector,
                  source: event.outcome.source,
                  account: event.outcome.account,
                  region: event.outcome.region,
                  error: event.outcome.error,
                },
                "collector failed",
              );
            }
          },
        });
        if (!result.ran) {
          this.metrics.skippedRuns.inc({ scope: scope.name });
          logger.warn(
            { scope: scope.name, lock: result.heldBy.name, holder: result.heldBy.owner, since: result.heldBy.acquiredAt },
            "skipped a scheduled run: another agent is running these sources",
          );
        } else {
          const { run } = result.result;
          const monitor = result.monitor;
          logger.info(
            {
              scope: scope.name,
              runId: run.id,
              status: run.status,
              // The chain head in the log lets `verify --expect-head` later prove no run up to it was removed.
              chainHead: run.hash,
              ledgerHead: await this.options.store.ledgerHead(),
              seconds: Math.round((Date.now() - started) / 100) / 10,
              ...("error" in monitor
                ? { monitorError: monitor.error }
                : {
                    drift: monitor.drift.length,
                    alerts: monitor.alerts.length,
                    failedDeliveries: monitor.deliveries.filter((d) => d.status === "failed").length,
                  }),
            },
            "run finished",
          );
          if (!("error" in monitor)) this.metrics.countDeliveries(monitor.deliveries);
          await this.writeRunReports(run.id);
          // Nobody reads a daemon's stdout: a delivery that failed is said in the log, with its (redacted) reason.
          if (!("error" in monitor)) {
            for (const d of monitor.deliveries.filter((x) => x.status === "failed")) {
              logger.warn({ scope: scope.name, runId: run.id, channel: d.channel, error: d.error }, "alert delivery failed");
            }
          }
        }
        this.options.onCycle?.(scope, result);
      } catch (error) {
        logger.error({ scope: scope.name, error: this.options.redactor.text(error instanceof Error ? error.message : String(error)) }, "run failed");
        this.options.onCycle?.(scope, { error });
      }
    })();
    this.inFlight.set(scope.name, work);
    try {
      await work;
    } finally {
      this.inFlight.delete(scope.name);
    }
    return result;
  }

  /** The run is stored whatever happens here: a report that cannot be written is logged, never a failed run. */
  private async writeRunReports(runId: number): Promise<void> {
    const { config, logger, redactor } = this.options;
    if (this.options.reports === false) return;
    const target = this.options.reports ?? {
      dir: resolve(config.output),
      context: reportContext(config),
    };
    const formats = target.formats ?? config.reports.formats;
    if (formats.length === 0) return;
    try {
      const files = await writeReports(this.options.store, runId, target.dir, formats, target.context);
      logger.info({ runId, files }, "reports written");
    } catch (error) {
      logger.error(
        { runId, dir: resolve(target.dir), error: redactor.text(error instanceof Error ? error.message : String(error)) },
        "reports could not be written",
      );
    }
  }

  private async checkFreshness(): Promise<void> {
    try {
      const { alerts, deliveries, staleControls } = await monitorFreshness({
        config: this.options.config,
        store: this.options.store,
        redactor: this.options.redactor,
        now: this.now,
      });
      this.metrics.countDeliveries(deliveries);
      if (staleControls.length > 0) this.options.logger.warn({ controls: staleControls, alerts: alerts.length }, "controls rest on stale evidence");
    } catch (error) {
      this.options.logger.error({ error: error instanceof Error ? error.message : String(error) }, "freshness check failed");
    }
  }

  /** Graceful shutdown; resolves when in-flight runs are stored. */
  async stop(reason = "shutdown"): Promise<void> {
    this.options.logger.info({ reason, inFlight: [...this.inFlight.keys()] }, "stopping: no new runs; letting collectors in flight finish");
    for (const job of this.jobs) job.stop();
    clearInterval(this.freshnessTimer);
    this.controller.abort(new Error(reason));
    await Promise.allSettled([...this.inFlight.values()]);
    await this.endpoint?.close();
    this.options.logger.info("stopped");
  }
}
