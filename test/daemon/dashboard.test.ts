/**
 * config/grafana/isms-agent.dashboard.json cannot drift from the daemon's metrics: the daemon runs
 * against the demo estate (AWS organisation, Azure tenant, GitHub organisation on loopback
 * servers), /metrics is scraped over HTTP, and every metric name and label name of every panel's
 * PromQL (and legend) must be in that scrape. Also the new series themselves: failing findings by
 * source and severity, the last successful run, alert deliveries by channel and outcome.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { demoConfigYaml } from "../../app/cli/demo.js";
import { parseConfig } from "../../app/config.js";
import { Daemon } from "../../app/daemon/daemon.js";
import { DEMO_ORGANIZATION, demoEstate } from "../../demo/estates/demo.js";
import { demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { demoGithubOrg } from "../../demo/estates/demo-github.js";
import { applyDemoGithubStep, applyDemoStep, DEMO_TIMELINE } from "../../demo/estates/demo-timeline.js";
import { startFakeAws } from "../../demo/servers/aws.js";
import { startFakeAzure } from "../../demo/servers/azure.js";
import { startFakeGithub } from "../../demo/servers/github.js";
import { Redactor } from "../../src/engine/redact.js";
import { createLogger } from "../../src/log.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";
import { missingNames, namesInLegend, namesInQuery, namesInScrape } from "./promql.js";

const DS = "${DS_PROMETHEUS}";
const datasourceSchema = z.object({ type: z.literal("prometheus"), uid: z.literal(DS) });
const targetSchema = z.object({ refId: z.string(), expr: z.string().min(1), legendFormat: z.string().optional(), datasource: datasourceSchema });
const panelSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  title: z.string().min(1),
  gridPos: z.object({ h: z.number(), w: z.number().max(24), x: z.number(), y: z.number() }),
  datasource: datasourceSchema.optional(),
  targets: z.array(targetSchema).optional(),
  panels: z.array(z.unknown()).optional(),
});
/** The parts of Grafana's dashboard model that import and these tests rely on. */
const dashboardSchema = z.object({
  __inputs: z.array(z.object({ name: z.string(), type: z.string(), pluginId: z.string() })),
  __requires: z.array(z.object({ type: z.string(), id: z.string() })),
  id: z.null(),
  uid: z.string().min(1),
  title: z.string().min(1),
  schemaVersion: z.number().int(),
  panels: z.array(panelSchema),
});
type Dashboard = z.infer<typeof dashboardSchema>;

const DASHBOARD_FILE = new URL("../../config/grafana/isms-agent.dashboard.json", import.meta.url);
const dashboard: Dashboard = dashboardSchema.parse(JSON.parse(readFileSync(DASHBOARD_FILE, "utf8")));

function queries(d: Dashboard): { panel: string; expr: string; legend: string }[] {
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr, legend: t.legendFormat ?? "" })));
}

/** Everything a dashboard uses that the scrape lacks, one line per panel and query. */
function drift(d: Dashboard, scrape: Map<string, Set<string>>): string[] {
  return queries(d).flatMap((q) => missingNames(q.expr, q.legend, scrape).map((m) => `${q.panel}: ${m} (in ${q.expr})`));
}

describe("the PromQL reader", () => {
  it("names metrics and labels in matchers, by (...), without (...) and on (...); skips functions, keywords, durations and Grafana variables", () => {
    expect(namesInQuery('sum by (channel) (increase(isms_alert_deliveries_total{status="failed"}[$__range]))')).toEqual({
      metrics: ["isms_alert_deliveries_total"],
      labels: ["channel", "status"],
    });
    expect(namesInQuery("time() - max(isms_last_successful_run_timestamp_seconds)")).toEqual({
      metrics: ["isms_last_successful_run_timestamp_seconds"],
      labels: [],
    });
    expect(namesInQuery("topk(10, isms_collector_duration_seconds offset 1h) > 0.5")).toEqual({ metrics: ["isms_collector_duration_seconds"], labels: [] });
    expect(namesInQuery("sum(a{x=~'y.*', z!=\"\"}) WITHOUT (w) / ignoring(v) group_left(u) b and on() c[5m:1m] @ end()")).toEqual({
      metrics: ["a", "b", "c"],
      labels: ["u", "v", "w", "x", "z"],
    });
    expect(namesInQuery('{__name__="isms_controls", status="fail"}')).toEqual({ metrics: ["isms_controls"], labels: ["status"] });
    expect(namesInLegend("{{source}} {{ collector }} in {{region}}")).toEqual(["source", "collector", "region"]);
    expect(() => namesInQuery('isms_controls{status="fail}')).toThrow(/unterminated string/);
    expect(() => namesInQuery("isms_controls{status}")).toThrow(/expected a label matcher/);
  });

  it("a wrong metric name or label name in a panel is reported, naming the panel", () => {
    const scrape = namesInScrape('# HELP isms_controls x\n# TYPE isms_controls gauge\nisms_controls{status="pass"} 12\nisms_findings{status="fail"} 3\n');
    expect([...(scrape.get("isms_controls") ?? [])]).toEqual(["status"]);
    const wrong = structuredClone(dashboard);
    const panel = wrong.panels.find((p) => p.targets?.length);
    const target = panel?.targets?.[0];
    if (!panel || !target) throw new Error("the dashboard has no query");
    panel.title = "Wrong";
    panel.targets = [target];
    target.expr = "sum by (severity) (isms_control{status='pass'})";
    target.legendFormat = "{{stat}}";
    const problems = drift({ ...wrong, panels: [panel] }, scrape);
    expect(problems).toEqual([
      "Wrong: metric isms_control (in sum by (severity) (isms_control{status='pass'}))",
      "Wrong: label severity (in sum by (severity) (isms_control{status='pass'}))",
      "Wrong: label status (in sum by (severity) (isms_control{status='pass'}))",
      "Wrong: label stat (in sum by (severity) (isms_control{status='pass'}))",
    ]);
  });
});

describe("the Grafana dashboard", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let text = "";
  let failedDeliveries = 0;
  let expectedFailing = new Map<string, number>();
  let lastSuccessAt = 0;

  beforeAll(async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
    process.env["AWS_SECRET_ACCESS_KEY"] = "dashboard-test-secret-0123456789";
    process.env["AWS_EC2_METADATA_DISABLED"] = "true";
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const today = new Date();
    const estate = structuredClone(demoEstate(today));
    const aws = await startFakeAws(estate);
    cleanups.push(() => aws.close());
    const azureEstate = demoAzureEstate();
    const azure = await startFakeAzure(azureEstate);
    cleanups.push(() => azure.close());
    const githubOrg = demoGithubOrg();
    const github = await startFakeGithub(githubOrg, {}, today);
    cleanups.push(() => github.close());
    // The SIEM is down: every alert delivery fails.
    const siem = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((ok) => siem.listen(0, "127.0.0.1", () => ok()));
    cleanups.push(() => new Promise<void>((ok) => siem.close(() => ok())));
    const siemUrl = `http://127.0.0.1:${(siem.address() as AddressInfo).port}/isms-alerts`;

    const yaml = demoConfigYaml(aws.url, azure, github.url, { out: join(dir.path, "out"), database: join(dir.path, "demo.db") }, siemUrl)
      // No backoff between attempts to the down SIEM; /metrics on a free port.
      .replace("alerts:\n  reminderHours: 168\n", "alerts:\n  reminderHours: 168\n  retries: 0\n")
      .concat("daemon: { port: 0 }\n");
    expect(yaml).toContain("retries: 0");
    const loaded = parseConfig(yaml, join(dir.path, "demo-config.yaml"), {
      ISMS_DEMO_AZURE_TOKEN: azureEstate.token,
      ISMS_DEMO_GITHUB_TOKEN: githubOrg.token,
      ISMS_DEMO_WEBHOOK_SECRET: "dashboard-test-webhook-secret",
    });
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    let clock = new Date(today.getTime() - 7 * 86_400_000);
    const logger = createLogger({ pretty: false, destination: new Writable({ write: (_c, _e, done) => done() }) });
    const daemon = new Daemon({
      config: loaded.config,
      store,
      redactor: new Redactor(loaded.secrets),
      logger,
      now: () => clock,
      plan: { aws: { iam: { pollIntervalMs: 5 } } },
      reports: false,
    });
    await daemon.start();
    cleanups.push(() => daemon.stop());
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("the demo config schedules nothing");

    // Two simulated weeks, a week apart: the second run's drift raises alerts for the SIEM.
    for (const step of DEMO_TIMELINE.slice(-2)) {
      applyDemoStep(estate, step, today);
      applyDemoGithubStep(githubOrg, step);
      clock = new Date(today.getTime() - step.daysAgo * 86_400_000);
      const cycle = await daemon.trigger(scope);
      if (!cycle?.ran) throw new Error("the daemon did not run");
      expect(cycle.result.run.status).toMatch(/^(completed|partial)$/);
      if (!("error" in cycle.monitor)) failedDeliveries += cycle.monitor.deliveries.filter((d) => d.status === "failed").length;
    }
    const run = await store.latestFinishedRun();
    if (!run?.finishedAt) throw new Error("no finished run");
    expect(run.organization).toBe(DEMO_ORGANIZATION);
    lastSuccessAt = Date.parse(run.finishedAt) / 1000;
    const severity = new Map((await store.runContext(run.id))?.checks.map((c) => [c.id, c.severity]));
    expectedFailing = new Map();
    for (const f of await store.findings(run.id)) {
      if (f.status !== "fail") continue;
      const key = `${f.source}/${severity.get(f.checkId) ?? "unknown"}`;
      expectedFailing.set(key, (expectedFailing.get(key) ?? 0) + 1);
    }

    const answer = await fetch(`${daemon.url ?? ""}/metrics`);
    expect(answer.status).toBe(200);
    text = await answer.text();
  }, 120_000);

  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("every metric name and label name of every panel's PromQL and legend is in the daemon's scrape", () => {
    const scrape = namesInScrape(text);
    const all = queries(dashboard);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(drift(dashboard, scrape)).toEqual([]);
    // Each of the daemon's own metrics is charted somewhere.
    const charted = new Set(all.flatMap((q) => namesInQuery(q.expr).metrics));
    expect([...scrape.keys()].filter((m) => !charted.has(m))).toEqual([]);
  });

  it("is import-ready: the Prometheus data source is an input, every query uses it, panels have unique ids and the asked-for views", () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" })]);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      if (panel.type === "row") continue;
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: DS });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(
        dashboard.__requires.some((r) => r.type === "panel" && r.id === panel.type),
        panel.type,
      ).toBe(true);
    }
    // Collapsed rows would hide their panels from this test.
    expect(dashboard.panels.every((p) => (p.panels ?? []).length === 0)).toBe(true);
    const titles = dashboard.panels.map((p) => p.title);
    for (const wanted of [
      "Objectives: value vs target over time",
      "Annex A controls by status",
      "Failing findings by severity",
      "Failing findings by source",
      "Collector durations",
      "Collector errors",
      "Time since the last successful run",
      "Alert deliveries failed",
    ])
      expect(titles).toContain(wanted);
  });

  it("the scrape counts failing findings by source and severity, the last successful run, and the failed deliveries to the SIEM", () => {
    expect(expectedFailing.size).toBeGreaterThan(0);
    for (const [key, count] of expectedFailing) {
      const [source, severity] = key.split("/");
      expect(text).toContain(`isms_findings_failing{source="${source ?? ""}",severity="${severity ?? ""}"} ${count}`);
    }
    // Every source and severity has a series, zero included.
    expect(text).toMatch(/isms_findings_failing\{source="northwind-github",severity="(low|medium|high|critical)"\} 0/);
    expect(text).toContain(`isms_last_successful_run_timestamp_seconds ${lastSuccessAt}`);
    expect(failedDeliveries).toBeGreaterThan(0);
    expect(text).toContain(`isms_alert_deliveries_total{channel="demo-siem",status="failed"} ${failedDeliveries}`);
    expect(text).toContain('isms_alert_deliveries_total{channel="demo-siem",status="sent"} 0');
    expect(text).toContain('isms_runs_skipped_total{scope="all"} 0');
  });
});
