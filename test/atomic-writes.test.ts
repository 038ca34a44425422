/**
 * Files the CLI and the daemon write (reports, period reports, the signing key pair, the starter
 * config) are written to a temporary file of a unique name beside them and renamed into place:
 * writers into one folder at once never tear or mix a file, leave no temporary file behind, and
 * --force replaces a symlink rather than writing through it to the file it points at.
 */
import { createPublicKey, createPrivateKey } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportContext } from "../app/registry.js";
import type { Output } from "../app/cli/output.js";
import { keygenCommand, reportCommand } from "../app/cli/reports.js";
import { initCommand } from "../app/cli/setup.js";
import { parseConfig, type LoadedConfig } from "../app/config.js";
import { runCycle } from "../app/cycle.js";
import { Redactor } from "../src/engine/redact.js";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite.js";
import { REPORT_FORMATS, writeReports, type ReportFormat } from "../reports/write.js";
import { reportSchema } from "../reports/schema.js";
import { demoAwsAccount } from "../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../demo/servers/aws.js";
import { tempDir } from "./helpers.js";

const dir = tempDir();
let aws: FakeAwsServer;
let loaded: LoadedConfig;
let store: SqliteStore;
const runIds: number[] = [];
const io: Output = { out: () => undefined, err: () => undefined };
const ALL = Object.keys(REPORT_FORMATS) as ReportFormat[];

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "atomic-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  aws = await startFakeAws(demoAwsAccount(new Date()));
  loaded = parseConfig(
    `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
`,
    join(dir.path, "isms-agent.yaml"),
    process.env,
  );
  store = await openSqliteStore({ file: loaded.config.database });
  for (let day = 0; day < 4; day++) {
    const now = () => new Date(Date.parse("2026-11-01T02:00:00Z") + day * 86_400_000);
    const cycle = await runCycle({ config: loaded.config, store, redactor: new Redactor([]), plan: { aws: { iam: { pollIntervalMs: 5 } } }, now });
    if (!cycle.ran) throw new Error("run did not start");
    runIds.push(cycle.result.run.id);
  }
}, 60_000);

afterAll(async () => {
  await store.close();
  await aws.close();
  dir.cleanup();
});

function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((name) => /tmp/i.test(name));
}

describe("atomic report files", () => {
  it("four concurrent writeReports of different runs into one folder: every file is whole and from one run; no temporary file remains", async () => {
    const out = join(dir.path, "concurrent");
    const results = await Promise.allSettled(runIds.map((id) => writeReports(store, id, out, ALL, reportContext(loaded.config))));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(readdirSync(out).sort()).toEqual(
      Object.values(REPORT_FORMATS)
        .map((f) => f.file)
        .sort(),
    );
    const report = reportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    expect(runIds).toContain(report.run.id);
    for (const file of ["assessment-results.oscal.json", "findings.ocsf.json"])
      expect(() => JSON.parse(readFileSync(join(out, file), "utf8")) as unknown).not.toThrow();
    expect(readFileSync(join(out, "report.html"), "utf8").trimEnd()).toMatch(/<\/html>$/);
    // Each run renders its own markdown; the file is exactly one of them, not a mix.
    const md = readFileSync(join(out, "report.md"), "utf8");
    const whole: string[] = [];
    for (const id of runIds) {
      const single = join(dir.path, `single-${id}`);
      await writeReports(store, id, single, ["md"], reportContext(loaded.config));
      whole.push(readFileSync(join(single, "report.md"), "utf8"));
    }
    expect(whole).toContain(md);
    expect(leftovers(out)).toEqual([]);
  });

  it("a report file that is a symlink is replaced, never written through to the file it points at", async () => {
    const out = join(dir.path, "linked");
    const elsewhere = join(dir.path, "not-a-report.txt");
    writeFileSync(elsewhere, "keep me\n");
    await writeReports(store, runIds[0] ?? 1, out, ["md"], reportContext(loaded.config));
    // A temporary name planted as a link: the writer must not follow it either.
    for (const name of ["report.json", "report.json.tmp", "period.json", "period.json.tmp"]) symlinkSync(elsewhere, join(out, name));
    await writeReports(store, runIds[0] ?? 1, out, ["json"], reportContext(loaded.config));
    expect(await reportCommand(loaded, { run: "latest", format: "json", from: "2026-11-01", to: "2026-11-04", out }, io)).toBe(0);
    expect(readFileSync(elsewhere, "utf8")).toBe("keep me\n");
    expect(lstatSync(join(out, "report.json")).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(out, "period.json")).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "period.json"), "utf8"))).toMatchObject({ from: "2026-11-01", to: "2026-11-04" });
  });

  it("four concurrent period reports into one folder: each file is whole; no temporary file remains", async () => {
    const out = join(dir.path, "periods");
    const periods = [
      ["2026-11-01", "2026-11-01"],
      ["2026-11-01", "2026-11-02"],
      ["2026-11-01", "2026-11-03"],
      ["2026-10-01", "2026-11-30"],
    ] as const;
    const codes = await Promise.all(periods.map(([from, to]) => reportCommand(loaded, { run: "latest", format: "json", from, to, out }, io)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const period = JSON.parse(readFileSync(join(out, "period.json"), "utf8")) as { from: string; to: string };
    expect(periods.map(([from, to]) => `${from}..${to}`)).toContain(`${period.from}..${period.to}`);
    expect(readFileSync(join(out, "period.html"), "utf8").trimEnd()).toMatch(/<\/html>$/);
    expect(readdirSync(out).sort()).toEqual(["period.html", "period.json", "period.md"]);
  });
});

describe("atomic keygen --force and init --force", () => {
  it("keygen --force replaces a symlinked key file instead of writing the private key through it, with mode 0600, and leaves no temporary file", async () => {
    const folder = join(dir.path, "keys");
    expect(await keygenCommand(join(folder, "pack-key"), false, io)).toBe(0);
    const elsewhere = join(dir.path, "world-readable.txt");
    writeFileSync(elsewhere, "public notes\n", { mode: 0o644 });
    const pem = join(folder, "pack-key.pem");
    const pub = join(folder, "pack-key.pub");
    // A key file left readable by others, and one replaced by a link.
    writeFileSync(pem, "old", { mode: 0o644 });
    rmSync(pem);
    symlinkSync(elsewhere, pem);
    expect(await keygenCommand(join(folder, "pack-key"), true, io)).toBe(0);
    expect(readFileSync(elsewhere, "utf8")).toBe("public notes\n");
    expect(lstatSync(pem).isSymbolicLink()).toBe(false);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    // The pair belongs together.
    const derived = createPublicKey(createPrivateKey(readFileSync(pem, "utf8")))
      .export({ type: "spki", format: "pem" })
      .toString();
    expect(readFileSync(pub, "utf8")).toBe(derived);
    expect(leftovers(folder)).toEqual([]);
  });

  it("keygen --force over a 0644 key file leaves the new private key at 0600", async () => {
    const folder = join(dir.path, "keys-mode");
    expect(await keygenCommand(join(folder, "k"), false, io)).toBe(0);
    chmodSync(join(folder, "k.pem"), 0o644);
    expect(await keygenCommand(join(folder, "k"), true, io)).toBe(0);
    expect(statSync(join(folder, "k.pem")).mode & 0o777).toBe(0o600);
  });

  it("four concurrent keygen --force into one name: a torn pair is never reported as done; no temporary file remains", async () => {
    const folder = join(dir.path, "keys-race");
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => keygenCommand(join(folder, "k"), true, io)));
    const derived = createPublicKey(createPrivateKey(readFileSync(join(folder, "k.pem"), "utf8")))
      .export({ type: "spki", format: "pem" })
      .toString();
    const matching = readFileSync(join(folder, "k.pub"), "utf8") === derived;
    // Either the pair on disk belongs together, or a command said it did not finish.
    expect(matching || results.some((r) => r.status === "rejected")).toBe(true);
    for (const r of results) if (r.status === "rejected") expect(String(r.reason)).toMatch(/another keygen wrote .* at the same time/);
    expect(leftovers(folder)).toEqual([]);
  });

  it("init --force replaces a symlinked config file instead of writing through it, and leaves no temporary file", async () => {
    const folder = join(dir.path, "init");
    const elsewhere = join(dir.path, "shared-settings.yaml");
    writeFileSync(elsewhere, "# someone else's file\n");
    mkdirSync(folder);
    symlinkSync(elsewhere, join(folder, "isms-agent.yaml"));
    expect(await initCommand(join(folder, "isms-agent.yaml"), true, io)).toBe(0);
    expect(readFileSync(elsewhere, "utf8")).toBe("# someone else's file\n");
    expect(lstatSync(join(folder, "isms-agent.yaml")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(folder, "isms-agent.yaml"), "utf8")).toMatch(/^organization: /m);
    expect(leftovers(folder)).toEqual([]);
  });
});
