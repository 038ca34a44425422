import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { runCycle } from "../../app/cycle.js";
import { Daemon } from "../../app/daemon/daemon.js";
import { health } from "../../app/daemon/http.js";
import { nextRuns, scheduleIntervalHours, scheduledScopes } from "../../app/daemon/schedule.js";
import { Redactor } from "../../src/engine/redact.js";
import { ConfigError } from "../../src/errors.js";
import { createLogger } from "../../src/log.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { Writable } from "node:stream";
import { DEMO_ACCOUNT_ID, demoAwsAccount } from "../../demo/estates/demo.js";
import { startFakeAws, type AwsFaults } from "../../demo/servers/aws.js";
import { tempDir } from "../helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "daemon-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});

const plan = { aws: { iam: { pollIntervalMs: 5 } } };

function silentLogger(lines: string[] = []) {
  return createLogger({ pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }) });
}

async function fixture(options: { faults?: AwsFaults; extra?: string; sources?: number } = {}) {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const servers = [];
  for (let i = 0; i < (options.sources ?? 1); i++) {
    const server = await startFakeAws({ ...demoAwsAccount(new Date()), accountId: i === 0 ? DEMO_ACCOUNT_ID : `99998888777${i}` }, options.faults ?? {});
    cleanups.push(() => server.close());
    servers.push(server);
  }
  const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
schedule: { cron: "0 2 * * *", timezone: Europe/Berlin }
daemon: { port: 0 }
sources:
  aws:
${servers.map((s, i) => `    - { name: src${i}, regions: [eu-west-1], endpoint: "${s.url}" }`).join("\n")}
objectives:
  - { id: mfa-enrolment, title: All console users enrolled in MFA, metric: mfa_enrolment, target: 100, deadline: 2027-03-31, owner: CISO }
${options.extra ?? ""}`;
  const loaded = parseConfig(yaml, join(dir.path, "isms-agent.yaml"), process.env);
  return { dir, loaded, servers };
}

describe("schedules", () => {
  it("a top-level cron in a time zone, and a source with a schedule of its own runs alone on it", () => {
    const { loaded } = {
      loaded: parseConfig(
        `organization: X
schedule: { cron: "0 2 * * *", timezone: Europe/Berlin }
sources:
  github:
    - { name: gh, org: acme, token: "t" }
    - { name: gh-nightly, org: acme2, token: "t", schedule: { cron: "30 */6 * * *" } }
`,
        "/tmp/x.yaml",
        {},
      ),
    };
    expect(scheduledScopes(loaded.config)).toEqual([
      { name: "all", cron: "0 2 * * *", timezone: "Europe/Berlin", sources: ["gh"] },
      { name: "gh-nightly", cron: "30 */6 * * *", timezone: "Europe/Berlin", sources: ["gh-nightly"] },
    ]);
    // 02:00 in Berlin is 01:00 UTC in winter (CET) and 00:00 UTC in summer (CEST).
    expect(nextRuns("0 2 * * *", "Europe/Berlin", new Date("2026-11-22T12:00:00Z"), 1)[0]?.toISOString()).toBe("2026-11-23T01:00:00.000Z");
    expect(nextRuns("0 2 * * *", "Europe/Berlin", new Date("2026-07-01T12:00:00Z"), 1)[0]?.toISOString()).toBe("2026-07-02T00:00:00.000Z");
    expect(scheduleIntervalHours(loaded.config, new Date("2026-11-22T12:00:00Z"))).toBe(24);
  });

  it("a bad cron expression or time zone is a config error naming the field", () => {
    let error: unknown;
    try {
      parseConfig(`organization: X\nschedule: { cron: "61 2 * * *", timezone: Mars/Olympus_Mons }\n`, "/tmp/x.yaml", {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues.some((i) => i.startsWith("schedule.cron: expected a cron expression"))).toBe(true);
    expect(issues).toContain("schedule.timezone: expected an IANA time zone such as Europe/Berlin or UTC (line 2)");
  });
});

describe("run locks in the store", () => {
  it("two agents on one database: the second cannot take a source the first is running, and says who holds it", async () => {
    const { loaded } = await fixture();
    const a = await openSqliteStore({ file: loaded.config.database });
    const b = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const now = new Date("2026-11-22T02:00:00Z");
    expect(await a.acquireLocks(["source:src0"], "agent-a", now, 60_000)).toEqual({ acquired: true });
    const denied = await b.acquireLocks(["source:src1", "source:src0"], "agent-b", now, 60_000);
    expect(denied).toMatchObject({ acquired: false, name: "source:src0", owner: "agent-a" });
    // All or nothing: agent-b got neither.
    expect(await a.acquireLocks(["source:src1"], "agent-a", now, 60_000)).toEqual({ acquired: true });

    // A full run through the second handle is skipped, and the CLI says so with exit 1.
    const cycle = await runCycle({ config: loaded.config, store: b, redactor: new Redactor([]), plan, now: () => now });
    expect(cycle.ran).toBe(false);
    const lines: string[] = [];
    const io: Output = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    await expect(runCommand(loaded, io, { plan, now: () => now })).rejects.toThrow(/another agent is running source "src0".*lock holder agent-a/);

    // Released, or lapsed after a crash (no heartbeat), the lock can be taken.
    await a.releaseLocks("agent-a");
    expect(await b.acquireLocks(["source:src0"], "agent-b", now, 60_000)).toEqual({ acquired: true });
    expect(await a.acquireLocks(["source:src0"], "agent-a", new Date(now.getTime() + 61_000), 60_000)).toEqual({ acquired: true });
  });
});

describe("the daemon", () => {
  it("SIGTERM mid-run (graceful stop): no new collectors start, finished ones are kept, the run is interrupted, the chain verifies", async () => {
    const { loaded } = await fixture({ faults: { latencyMs: 150 }, sources: 3, extra: "runner: { concurrency: 1 }" });
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    const logs: string[] = [];
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(logs), plan, http: false });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    const running = daemon.trigger(scope);
    // Stop as soon as the first collector has stored its evidence.
    for (let i = 0; i < 200; i++) {
      const runs = await store.listRuns();
      const first = runs[0];
      if (first && (await store.collectorOutcomes(first.id)).length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await daemon.stop("received SIGTERM");
    await running;
    const [run] = await store.listRuns();
    expect(run?.status).toBe("interrupted");
    expect(run?.error).toMatch(/Stopped on request \(received SIGTERM\) before \d+ collectors? started/);
    const outcomes = await store.collectorOutcomes(run?.id ?? 0);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.length).toBeLessThan(3 * 3);
    expect((await store.evidence(run?.id ?? 0)).length).toBeGreaterThan(0);
    expect((await store.verify()).ok).toBe(true);
    expect(logs.join("")).toMatch(/"msg":"stopped"/);
    // A stopped daemon starts nothing more.
    expect(await daemon.trigger(scope)).toBeUndefined();
  });

  it("a second trigger while a run of the scope is going is skipped and counted", async () => {
    const { loaded } = await fixture({ faults: { latencyMs: 50 } });
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    const logs: string[] = [];
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(logs), plan, http: false });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    const first = daemon.trigger(scope);
    expect(await daemon.trigger(scope)).toBeUndefined();
    expect((await first)?.ran).toBe(true);
    expect(logs.join("")).toMatch(/skipped a scheduled run: the previous run of this scope is still going/);
    await daemon.stop();
    expect((await store.listRuns()).map((r) => r.status)).toEqual(["completed"]);
  });

  it("/healthz says how old the last successful run is (503 past the staleness limit); /metrics is Prometheus text", async () => {
    const { loaded } = await fixture();
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    let clock = new Date();
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(), plan, now: () => clock });
    await daemon.start();
    cleanups.push(() => daemon.stop());
    const url = daemon.url ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = await fetch(`${url}/healthz`);
    expect(before.status).toBe(503);
    expect(((await before.json()) as { message: string }).message).toBe("No run has completed yet.");

    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    await daemon.trigger(scope);
    const healthy = await fetch(`${url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ ok: true, lastRun: { id: 1, status: "completed" }, lastSuccessfulRun: { id: 1 }, staleAfterHours: 48 });

    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await metrics.text();
    const findings = await store.findings(1);
    const failing = findings.filter((f) => f.status === "fail").length;
    expect(text).toContain(`isms_findings{status="fail"} ${failing}`);
    expect(text).toMatch(/isms_objective_value_percent\{objective="mfa-enrolment",metric="mfa_enrolment"\} [\d.]+/);
    expect(text).toContain('isms_objective_target_percent{objective="mfa-enrolment"} 100');
    expect(text).toContain('isms_last_run_status{status="completed"} 1');
    expect(text).toMatch(/isms_collector_duration_seconds\{collector="aws\.iam",source="src0",account="210987654321",region="global"\} [\d.]+/);

    clock = new Date(clock.getTime() + 49 * 3_600_000);
    const stale = await fetch(`${url}/healthz`);
    expect(stale.status).toBe(503);
    expect(((await stale.json()) as { message: string }).message).toMatch(/older than 48 h/);
  });

  it("a daemon run writes the same report files into `output` as `run` does, for the run it made", async () => {
    const { loaded, dir } = await fixture();
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    const logs: string[] = [];
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(logs), plan, http: false });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    const cycle = await daemon.trigger(scope);
    await daemon.stop();
    if (!cycle?.ran) throw new Error("the daemon did not run");
    const out = join(dir.path, "out");
    const fromDaemon = readdirSync(out).sort();
    expect(fromDaemon).toEqual(["assessment-results.oscal.json", "findings.csv", "findings.ocsf.json", "report.html", "report.json", "report.md", "soa.csv"]);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { run: { id: number; status: string } };
    expect(report.run).toMatchObject({ id: cycle.result.run.id, status: "completed" });
    expect(logs.join("")).toMatch(new RegExp(`"runId":${cycle.result.run.id},"files":\\[[^\\]]*report\\.json[^\\]]*\\],"msg":"reports written"`));

    // `isms-agent run` on the same config writes exactly the same files.
    rmSync(out, { recursive: true });
    const io: Output = { out: () => undefined, err: () => undefined };
    expect(await runCommand(loaded, io, { plan })).toBe(0);
    expect(readdirSync(out).sort()).toEqual(fromDaemon);
  });

  it("reports that cannot be written (output is a file) are logged as an error naming the folder; the run stays stored and completed", async () => {
    const { loaded, dir } = await fixture();
    writeFileSync(join(dir.path, "out"), "not a folder");
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    const logs: string[] = [];
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(logs), plan, http: false });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    const cycle = await daemon.trigger(scope);
    await daemon.stop();
    expect(cycle?.ran).toBe(true);
    expect((await store.listRuns()).map((r) => r.status)).toEqual(["completed"]);
    const line = logs.find((l) => l.includes("reports could not be written"));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ level: 50, runId: 1, dir: join(dir.path, "out") });
  });

  it("/healthz: a last run stamped in the future (the clock jumped back) is unhealthy and says why, instead of a 200 with a negative age", async () => {
    const { loaded } = await fixture();
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    // The run is stamped years ahead, as after a clock that ran fast and was then corrected.
    const ahead = new Date("2031-06-01T02:00:00Z");
    const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(), plan, http: false, now: () => ahead });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    await daemon.trigger(scope);
    await daemon.stop();

    const now = new Date("2026-11-22T12:00:00Z");
    const h = await health(store, 48, now);
    expect(h.ok).toBe(false);
    expect(h.message).toMatch(
      /^Run 1 is stamped 2031-06-01T02:00:\d\d\.\d{3}Z, later than this machine's clock \(2026-11-22T12:00:00\.000Z\); the clock of this machine or of the agent that ran it is wrong\.$/,
    );
    expect(h.lastSuccessfulRun?.ageSeconds).toBeLessThan(0);

    // Within the tolerance (a few minutes of skew between agents), it is still healthy.
    const skewed = await health(store, 48, new Date(Date.parse(h.lastSuccessfulRun?.finishedAt ?? "") - 60_000));
    expect(skewed.ok).toBe(true);

    // Served over HTTP it is a 503.
    const served = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: silentLogger(), plan, now: () => now });
    await served.start();
    cleanups.push(() => served.stop());
    const answer = await fetch(`${served.url ?? ""}/healthz`);
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { message: string }).message).toMatch(/later than this machine's clock/);
  });

  it("/healthz: a finished run forged outside the hash chain proves no health", async () => {
    const { loaded } = await fixture();
    const store = await openSqliteStore({ file: loaded.config.database });
    await store.close();
    const sqlite3 = (await import("sqlite3")).default;
    await new Promise<void>((ok, fail) => {
      const db = new sqlite3.Database(loaded.config.database, (err) => {
        if (err) return fail(err);
        db.run(
          "INSERT INTO runs (started_at, finished_at, status, organization, host, pid, sources) VALUES ('2026-11-22T10:00:00.000Z', '2026-11-22T10:05:00.000Z', 'completed', 'x', 'h', 1, '[]')",
          (e) => db.close(() => (e ? fail(e) : ok())),
        );
      });
    });
    const reopened = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => reopened.close());
    const h = await health(reopened, 48, new Date("2026-11-22T12:00:00Z"));
    expect(h).toMatchObject({ ok: false, lastRun: null, lastSuccessfulRun: null, message: "No run has completed yet." });
  });
});
