/**
 * kill -9 of a running agent mid-collection: at the next start the run is `interrupted`, every
 * earlier run and its evidence is intact, and `verify` passes. The agent runs as a real child
 * process (the CLI bundled with esbuild, on bare node) against a loopback AWS server slowed down to hold it
 * mid-collection.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../app/cli/output.js";
import { verifyCommand } from "../../app/cli/reports.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { demoAwsAccount } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { bundleCli, type CliBundle } from "../cli-bundle.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
let fast: FakeAwsServer;
let slow: FakeAwsServer;
let cli: CliBundle;

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "crash-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  fast = await startFakeAws(demoAwsAccount(new Date()));
  slow = await startFakeAws({ ...demoAwsAccount(new Date()), accountId: "999988887777" });
  cli = await bundleCli();
}, 60_000);
afterAll(async () => {
  await fast.close();
  await slow.close();
  cli?.cleanup();
  dir.cleanup();
});

describe("kill -9 mid-collection", () => {
  it("leaves earlier runs intact; the next start marks the run interrupted; verify passes", async () => {
    const configFile = join(dir.path, "isms-agent.yaml");
    const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
sources:
  aws:
    - { name: fast, regions: [eu-west-1], endpoint: "${fast.url}" }
    - { name: slow, regions: [eu-west-1], endpoint: "${slow.url}" }
`;
    writeFileSync(configFile, yaml);
    const loaded = parseConfig(yaml, configFile, process.env);
    const lines: string[] = [];
    const io: Output = { out: (l) => lines.push(l), err: (l) => lines.push(l) };
    const plan = { aws: { iam: { pollIntervalMs: 5 } } };
    expect(await runCommand(loaded, io, { plan })).toBe(0);

    const store = await openSqliteStore({ file: loaded.config.database });
    const before = { run: await store.getRun(1), evidence: await store.evidence(1), findings: await store.findings(1) };
    expect(before.run?.status).toBe("completed");

    // The second run, in its own process; the slow account answers after 60 s.
    slow.faults.latencyMs = 60_000;
    const child = spawn(process.execPath, [cli.bin, "run", "--config", configFile], {
      env: { ...process.env, ISMS_LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let childOutput = "";
    child.stdout.on("data", (c: Buffer) => (childOutput += c.toString()));
    child.stderr.on("data", (c: Buffer) => (childOutput += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on("exit", (_code, signal) => ok(signal)));

    // Wait until the child has stored the fast source's evidence: it is mid-collection.
    let started = false;
    for (let i = 0; i < 300 && !started; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const run = await store.getRun(2);
      started = run?.status === "running" && (await store.collectorOutcomes(2)).some((o) => o.source === "fast" && o.collector === "aws.iam");
    }
    expect(started, `the child never got going: ${childOutput}`).toBe(true);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect((await store.getRun(2))?.status).toBe("running");
    await store.close();

    // Next start: a normal run recovers the crashed one first.
    slow.faults.latencyMs = 0;
    lines.length = 0;
    expect(await runCommand(loaded, io, { plan, progress: true })).toBe(0);
    expect(lines.join("\n")).toContain("Marked run 2 as interrupted");
    const after = await openSqliteStore({ file: loaded.config.database });
    try {
      const crashed = await after.getRun(2);
      expect(crashed?.status).toBe("interrupted");
      expect(crashed?.error).toMatch(/stopped before this run finished/);
      // What the crashed run had stored is still there (and chained), but no findings were made from it.
      expect((await after.evidence(2)).length).toBeGreaterThan(0);
      expect(await after.findings(2)).toEqual([]);
      expect(await after.getRun(1)).toEqual(before.run);
      expect(await after.evidence(1)).toEqual(before.evidence);
      expect(await after.findings(1)).toEqual(before.findings);
      expect((await after.getRun(3))?.status).toBe("completed");
    } finally {
      await after.close();
    }
    lines.length = 0;
    expect(await verifyCommand(loaded, io)).toBe(0);
    expect(lines.join("\n")).toMatch(/is intact: 3 runs/);
  }, 90_000);
});
