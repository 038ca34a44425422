/**
 * Prometheus metrics of the latest finished run, read from the store on each scrape so any agent
 * (or none) may have written it: objective values and targets, control status counts, findings
 * by status, failing findings by source and severity, collector durations and errors, last run
 * time and status, the last successful run's time. Counters of what this daemon did (skipped runs,
 * alert deliveries) live in the process. config/grafana/isms-agent.dashboard.json charts them
 * (test/daemon/dashboard.test.ts keeps its queries to these names and labels).
 */
import { Counter, Gauge, Registry } from "prom-client";
import { CONTROL_STATUSES, FINDING_STATUSES, RUN_STATUSES, SEVERITIES } from "../../src/domain.js";
import type { AlertDelivery, Store } from "../../src/store/store.js";
import { lastSuccessfulRun } from "./http.js";

export interface DaemonMetrics {
  registry: Registry;
  skippedRuns: Counter<"scope">;
  /** Counts each delivery attempt's outcome per channel (a batch to one channel is one delivery). */
  countDeliveries(deliveries: readonly Pick<AlertDelivery, "channel" | "status">[]): void;
  /** Reads the latest run from the store and renders every metric in Prometheus text format. */
  render(): Promise<string>;
}

/** `channels`: the configured alert channels, counted from zero so a dashboard sees them before the first alert. */
export function createMetrics(store: Store, channels: readonly string[] = []): DaemonMetrics {
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
    failing: new Gauge({
      name: "isms_findings_failing",
      help: "Failing findings in the latest run by source and by the severity of their check (excepted ones are not failing).",
      labelNames: ["source", "severity"],
      registers: [registry],
    }),
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
    lastSuccess: new Gauge({
      name: "isms_last_successful_run_timestamp_seconds",
      help: "When the latest completed or partial run in the hash chain ended (Unix time): what /healthz judges.",
      registers: [registry],
    }),
  };
  const skippedRuns = new Counter({
    name: "isms_runs_skipped_total",
    help: "Scheduled runs skipped because a run of the same sources was still going.",
    labelNames: ["scope"],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: "isms_alert_deliveries_total",
    help: "Alert deliveries this daemon attempted, by channel and outcome (sent, or failed after its retries).",
    labelNames: ["channel", "status"],
    registers: [registry],
  });
  for (const channel of channels) for (const status of ["sent", "failed"]) deliveries.inc({ channel, status }, 0);

  const refresh = async () => {
    for (const g of Object.values(gauges)) g.reset();
    const success = lastSuccessfulRun(await store.listRuns());
    if (success) gauges.lastSuccess.set(Date.parse(success.finishedAt) / 1000);
    const run = await store.latestFinishedRun();
    if (!run) return;
    const [objectives, controls, findings, outcomes, context] = await Promise.all([
      store.objectiveMeasurements(run.id),
      store.controlResults(run.id),
      store.findings(run.id),
      store.collectorOutcomes(run.id),
      store.runContext(run.id),
    ]);
    for (const o of objectives) {
      if (o.value !== null) gauges.objectiveValue.set({ objective: o.objectiveId, metric: o.metric }, o.value);
      gauges.objectiveTarget.set({ objective: o.objectiveId }, o.target);
      gauges.objectiveStatus.set({ objective: o.objectiveId, status: o.status }, 1);
    }
    for (const status of CONTROL_STATUSES) gauges.controls.set({ status }, controls.filter((c) => c.status === status).length);
    for (const status of FINDING_STATUSES) gauges.findings.set({ status }, findings.filter((f) => f.status === status).length);
    // Severity is the check's as the run was judged with (its stored snapshot), like the reports say.
    const severityOf = new Map(context?.checks.map((c) => [c.id, c.severity]));
    const failing = new Map<string, number>();
    for (const source of run.sources) for (const severity of SEVERITIES) failing.set(JSON.stringify([source, severity]), 0);
    for (const f of findings) {
      if (f.status !== "fail") continue;
      // A run stored without its checks' snapshot still shows its failures, as severity "unknown".
      const severity = severityOf.get(f.checkId) ?? "unknown";
      const key = JSON.stringify([f.source, severity]);
      failing.set(key, (failing.get(key) ?? 0) + 1);
    }
    for (const [key, count] of failing) {
      const [source = "", severity = ""] = JSON.parse(key) as string[];
      gauges.failing.set({ source, severity }, count);
    }
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
    countDeliveries: (list) => {
      for (const d of list) deliveries.inc({ channel: d.channel, status: d.status });
    },
    render: async () => {
      await refresh();
      return registry.metrics();
    },
  };
}
