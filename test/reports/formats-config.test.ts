/**
 * `reports.formats` chooses which reports `run` and the daemon write after each run: all seven by
 * default, only those listed otherwise, none for an empty list. A format the agent does not know
 * is a config error naming the field.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { reportContext } from "../../app/registry.js";
import { Daemon } from "../../app/daemon/daemon.js";
import { Redactor } from "../../src/engine/redact.js";
import { ConfigError } from "../../src/errors.js";
import { createLogger } from "../../src/log.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { buildReport } from "../../reports/build.js";
import { REPORT_FORMATS, type ReportFormat } from "../../reports/write.js";
import { DEMO_ACCOUNT_ID, demoAwsAccount } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
let aws: FakeAwsServer;
const plan = { aws: { iam: { pollIntervalMs: 5 } } };

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "formats-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  aws = await startFakeAws({ ...demoAwsAccount(new Date()), accountId: DEMO_ACCOUNT_ID });
});
afterAll(async () => {
  await aws.close();
  dir.cleanup();
});

function config(name: string, reports: string) {
  const yaml = `organization: Example Ltd
database: ${join(dir.path, `${name}.db`)}
output: ${join(dir.path, name)}
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
${reports}`;
  return parseConfig(yaml, join(dir.path, "isms-agent.yaml"), process.env);
}

function lines(): { io: Output; out: string[] } {
  const out: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => out.push(l) }, out };
}

describe("reports.formats", () => {
  it("defaults to all seven formats", () => {
    expect(config("defaults", "").config.reports.formats).toEqual(Object.keys(REPORT_FORMATS));
  });

  it("run writes all seven by default, each file byte for byte what its string renderer returns for the run", async () => {
    const loaded = config("all", "");
    const { io } = lines();
    expect(await runCommand(loaded, io, { plan })).toBe(0);
    const out = join(dir.path, "all");
    expect(readdirSync(out).sort()).toEqual(
      Object.values(REPORT_FORMATS)
        .map((f) => f.file)
        .sort(),
    );
    const store = await openSqliteStore({ file: loaded.config.database });
    try {
      const report = await buildReport(store, 1, reportContext(loaded.config));
      for (const format of Object.keys(REPORT_FORMATS) as ReportFormat[]) {
        const { file, render } = REPORT_FORMATS[format];
        expect(readFileSync(join(out, file), "utf8"), file).toBe(render(report));
      }
    } finally {
      await store.close();
    }
  });

  it("run writes only the formats listed: [json] writes report.json alone", async () => {
    const loaded = config("only-json", "reports: { formats: [json] }");
    const { io, out } = lines();
    expect(await runCommand(loaded, io, { plan })).toBe(0);
    expect(readdirSync(join(dir.path, "only-json"))).toEqual(["report.json"]);
    expect(out).toContain(`Reports: ${join(dir.path, "only-json", "report.json")}`);
  });

  it("run writes no report for an empty list, and says nothing of reports", async () => {
    const loaded = config("none", "reports: { formats: [] }");
    const { io, out } = lines();
    expect(await runCommand(loaded, io, { plan })).toBe(0);
    expect(readdirSync(dir.path)).not.toContain("none");
    expect(out.filter((l) => l.startsWith("Reports:"))).toEqual([]);
  });

  it("report without --format writes the config's formats; an empty list asks for --format", async () => {
    const { reportCommand } = await import("../../app/cli/reports.js");
    const { UsageError } = await import("../../src/errors.js");
    const loaded = config("report-default", "reports: { formats: [csv, soa] }");
    expect(await runCommand(loaded, lines().io, { plan })).toBe(0);
    const again = join(dir.path, "report-default-again");
    expect(await reportCommand(loaded, { run: "latest", out: again }, lines().io)).toBe(0);
    expect(readdirSync(again).sort()).toEqual(["findings.csv", "soa.csv"]);
    const empty = config("report-default", "reports: { formats: [] }");
    await expect(reportCommand(empty, { run: "latest", out: again }, lines().io)).rejects.toThrow(UsageError);
    await expect(reportCommand(empty, { run: "latest", out: again }, lines().io)).rejects.toThrow(/reports\.formats is empty.*pass --format/);
  });

  it("the daemon writes the formats listed", async () => {
    const loaded = config("daemon", 'reports: { formats: [csv, ocsf] }\nschedule: { cron: "0 2 * * *" }');
    const store = await openSqliteStore({ file: loaded.config.database });
    try {
      const daemon = new Daemon({ config: loaded.config, store, redactor: new Redactor([]), logger: createLogger({ level: "silent" }), plan, http: false });
      const scope = daemon.scopes[0];
      if (!scope) throw new Error("no scope");
      expect((await daemon.trigger(scope))?.ran).toBe(true);
      await daemon.stop();
      expect(readdirSync(join(dir.path, "daemon")).sort()).toEqual(["findings.csv", "findings.ocsf.json"]);
    } finally {
      await store.close();
    }
  });

  it("an unknown format is a config error naming the field", () => {
    const error = (() => {
      try {
        config("bad", "reports: { formats: [json, pdf] }");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^reports\.formats\[1\]: .*json.*md.*html.*csv.*soa.*oscal.*ocsf/);
  });

  it("a format listed twice is a config error naming the field", () => {
    expect(() => config("twice", "reports: { formats: [json, json] }")).toThrow(/reports\.formats: expected each format at most once/);
  });

  it("an unknown key under reports is a config error", () => {
    expect(() => config("key", "reports: { format: [json] }")).toThrow(ConfigError);
  });
});
