/**
 * Prometheus metrics of the latest finished run, read from the store on each scrape so any agent
 * (or none) may have written it: objective values and targets, control status counts, findings
 * by status, collector durations and errors, last run time and status.
 */
import { Counter, Gauge, Registry } from "prom-client";
import { CONTROL_STATUSES, FINDING_STATUSES, RUN_STATUSES } from "../../src/domain.js";
import type { Store } from "../../src/store/store.js";

export interface DaemonMetrics {
  registry: Registry;
  skippedRuns: Counter<"scope">;
  /** Reads the latest run from the store and renders every metric in Prometheus text format. */
  render(): Promise<string>;
}

export function createMetrics(store: Store): DaemonMetrics {
  const registry = new Registry();
  const gauges = {
    objectiveValue: new Gauge({
      name: "isms_objective_value_percent",
      help: "Latest measured value of each SMART objective.",
      labelNames: ["objective", "metric"],
      registers: [registry],
    }),
    objectiveTarget: new Gauge({
      name: "isms_objective_target_percent",
      help: "Target of each SMART objective.",
      labelNames: ["objective"],
      registers: [registry],
    }),
    objectiveStatus: new Gauge({
      name: "isms_objective_status",
      help: "1 for the objective's current status.",
      labelNames: ["objective", "status"],
      registers: [registry],
    }),
    controls: new Gauge({ name: "isms_controls", help: "Annex A controls by status in the latest run.", labelNames: ["status"], registers: [registry] }),
    findings: new Gauge({ name: "isms_findings", help: "Findings by status in the latest run.", labelNames: ["status"], registers: [registry] }),
    collectorDuration: new Gauge({
      name: "isms_collector_duration_seconds",
      help: "How long each collector took in the latest run.",
      labelNames: ["collector", "source", "account", "region"],
      registers: [registry],
    }),
    collectorError: new Gauge({
      name: "isms_collector_error",
      help: "1 when the collector failed in the latest run.",
      labelNames: ["collector", "source", "account", "region"],
      registers: [registry],
    }),
    lastRun: new Gauge({ name: "isms_last_run_timestamp_seconds", help: "When the latest finished run ended (Unix time).", registers: [registry] }),
    lastRunStatus: new Gauge({ name: "isms_last_run_status", help: "1 for the latest finished run's status.", labelNames: ["status"], registers: [registry] }),
  };
  const skippedRuns = new Counter({
    name: "isms_runs_skipped_total",
    help: "Scheduled runs skipped because a run of the same sources was still going.",
    labelNames: ["scope"],
    registers: [registry],
  });

  const refresh = async () => {
    for (const g of Object.values(gauges)) g.reset();
    const run = await store.latestFinishedRun();
    if (!run) return;
    const [objectives, controls, findings, outcomes] = await Promise.all([
      store.objectiveMeasurements(run.id),
      store.controlResults(run.id),
      store.findings(run.id),
      store.collectorOutcomes(run.id),
    ]);
    for (const o of objectives) {
      if (o.value !== null) gauges.objectiveValue.set({ objective: o.objectiveId, metric: o.metric }, o.value);
      gauges.objectiveTarget.set({ objective: o.objectiveId }, o.target);
      gauges.objectiveStatus.set({ objective: o.objectiveId, status: o.status }, 1);
    }
    for (const status of CONTROL_STATUSES) gauges.controls.set({ status }, controls.filter((c) => c.status === status).length);
    for (const status of FINDING_STATUSES) gauges.findings.set({ status }, findings.filter((f) => f.status === status).length);
    for (const o of outcomes) {
      const labels = { collector: o.collector, source: o.source, account: o.account, region: o.region };
      gauges.collectorDuration.set(labels, (Date.parse(o.finishedAt) - Date.parse(o.startedAt)) / 1000);
      gauges.collectorError.set(labels, o.status === "error" ? 1 : 0);
    }
    if (run.finishedAt) gauges.lastRun.set(Date.parse(run.finishedAt) / 1000);
    for (const status of RUN_STATUSES) gauges.lastRunStatus.set({ status }, status === run.status ? 1 : 0);
  };
  return {
    registry,
    skippedRuns,
    render: async () => {
      await refresh();
      return registry.metrics();
    },
  };
}
