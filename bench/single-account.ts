/**
 * `npm run bench -- --single-account [--users 5000] [--latency-ms 20] [--runs 3]`: the whole
 * process as a user meets it, on one AWS account. The CLI is bundled as `npm run build` ships it
 * (scripts/bundle.ts: packages inside, code split per command) and `node <bundle> run` is spawned
 * in a folder holding isms-agent.yaml, against the loopback AWS server behind a proxy that adds
 * the latency. Measured per run: wall time from spawn to exit, the process's peak RSS, the
 * requests the server received, and the seven reports written. Also `isms-agent --version`.
 *
 * The run is the IAM checks only, as the peer's was: the source lists `collectors: [aws.iam]`,
 * so the credential report and the password policy are read (after GetCallerIdentity) and the
 * AWS IAM checks are judged; no region is read.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleCli as bundleShippedCli } from "../scripts/bundle.js";
import { startFakeAws } from "../demo/servers/aws.js";
import { startFaultProxy } from "../demo/servers/fault-proxy.js";
import { SINGLE_ACCOUNT_REGION, singleAccountEstate } from "./estate.js";

const ROOT = resolve(import.meta.dirname, "..");

/** The requests a run needs here, one each: what the mode expects the server to receive. */
export const SINGLE_ACCOUNT_ACTIONS = ["GenerateCredentialReport", "GetAccountPasswordPolicy", "GetCallerIdentity", "GetCredentialReport"] as const;

/** The targets, printed beside the figures (never asserted: the machine decides). */
export const SINGLE_ACCOUNT_TARGETS = { wallMs: 1200, peakRssMb: 150, versionWallMs: 250 } as const;

export interface SingleAccountOptions {
  users: number;
  latencyMs: number;
  runs: number;
  /** `--version` spawns measured (after one unmeasured warm-up); default 5. */
  versionRuns?: number;
  /** Where the CLI bundle is built; default bench/.build/single-account. Must be inside the checkout, so packages resolve. */
  buildDir?: string;
}

/** One spawn of `isms-agent run`. */
export interface RunSample {
  exitCode: number | null;
  status: string;
  wallMs: number;
  peakRssMb: number;
  cpuSeconds: number;
  /** Requests the fake AWS server received during this run, and per action. */
  requests: number;
  actions: Record<string, number>;
  findings: { pass: number; fail: number; excepted: number; error: number; not_applicable: number };
  failedCollectors: string[];
  reports: { file: string; bytes: number }[];
}

/** Medians over the samples of one kind of run. */
export interface RunMedians {
  wallMs: number;
  peakRssMb: number;
  cpuSeconds: number;
  requests: number;
  reportsWritten: number;
  reportsMb: number;
  findings: number;
}

export interface SingleAccountResult {
  command: string;
  measuredAt: string;
  machine: { node: string; cpus: number };
  /** os.loadavg() (1, 5, 15 minutes) before and after: the machine is shared. */
  load: { before: number[]; after: number[] };
  users: number;
  latencyMs: number;
  runs: number;
  region: string;
  scope: string;
  /** An empty store: what a new user meets. */
  firstRun: RunMedians;
  /** The same config run again: the store holds the first run, so the run also works out drift. */
  withPreviousRun: RunMedians;
  version: { wallMs: number; samplesMs: number[]; output: string };
  targets: typeof SINGLE_ACCOUNT_TARGETS;
  samples: { firstRun: RunSample[]; withPreviousRun: RunSample[] };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

type Results = Record<string, unknown>;
const asRecord = (value: unknown): Results => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Results) : {});

/** bench/results.json with the single-account figures set, the full bench's left as they were. */
export function withSingleAccount(previous: unknown, figures: object): Results {
  return { ...asRecord(previous), singleAccount: figures };
}

/** bench/results.json with a full bench's figures, keeping the single-account figures of an earlier run. */
export function withFullBench(previous: unknown, figures: object): Results {
  const kept = asRecord(previous)["singleAccount"];
  return { ...figures, ...(kept === undefined ? {} : { singleAccount: kept }) };
}

/** The previous bench/results.json, or nothing when there is none yet. */
export function readResults(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${file} is not readable JSON; fix or delete it before the bench rewrites it`, { cause: error });
  }
}

// Loaded with --import in the measured process: at exit it records its own peak RSS and CPU
// (getrusage), a few lines that change nothing else about the process.
const PROBE = `import { writeFileSync } from "node:fs";
const file = process.env.BENCH_PROBE_FILE;
if (file) process.on("exit", () => {
  const cpu = process.cpuUsage();
  writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, cpuMicros: cpu.user + cpu.system }));
});
`;

export async function bundleCli(dir: string): Promise<{ bin: string; probe: string }> {
  // The build `npm run build` ships.
  const bin = await bundleShippedCli(join(dir, "cli"));
  const probe = join(dir, "probe.mjs");
  writeFileSync(probe, PROBE);
  return { bin, probe };
}

interface Spawned {
  exitCode: number | null;
  wallMs: number;
  stdout: string;
  stderr: string;
}

/** Spawns node on `args` and times it from spawn to exit. Asynchronous: this process serves the fake API meanwhile. */
function spawnTimed(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Spawned> {
  return new Promise((ok, fail) => {
    const started = performance.now();
    let exited: { code: number | null; at: number } | undefined;
    const child = spawn(process.execPath, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-100_000)));
    child.on("error", fail);
    child.on("exit", (code) => (exited = { code, at: performance.now() }));
    child.on("close", (code) => ok({ exitCode: exited?.code ?? code, wallMs: (exited?.at ?? performance.now()) - started, stdout, stderr }));
  });
}

const SUMMARY = /^Run \d+ (\w+): (\d+) pass, (\d+) fail, (\d+) excepted, (\d+) error, (\d+) not applicable\.$/m;

function sampleOf(spawned: Spawned, probeFile: string, actions: string[], outDir: string): RunSample {
  const summary = SUMMARY.exec(spawned.stdout);
  const probe = JSON.parse(readFileSync(probeFile, "utf8")) as { maxRssKb: number; cpuMicros: number };
  const count = (i: number) => Number(summary?.[i] ?? Number.NaN);
  const perAction: Record<string, number> = {};
  for (const action of [...actions].sort()) perAction[action] = (perAction[action] ?? 0) + 1;
  const files = readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  return {
    exitCode: spawned.exitCode,
    status: summary?.[1] ?? `no summary; exit ${spawned.exitCode}: ${spawned.stderr.slice(-500)}`,
    wallMs: Math.round(spawned.wallMs),
    peakRssMb: Math.round(probe.maxRssKb / 1024),
    cpuSeconds: Math.round(probe.cpuMicros / 1e4) / 100,
    requests: actions.length,
    actions: perAction,
    findings: { pass: count(2), fail: count(3), excepted: count(4), error: count(5), not_applicable: count(6) },
    failedCollectors: spawned.stderr.split("\n").filter((l) => l.startsWith("Collector failed:")),
    reports: files.map((file) => ({ file, bytes: statSync(join(outDir, file)).size })),
  };
}

function mediansOf(samples: readonly RunSample[]): RunMedians {
  const of = (pick: (s: RunSample) => number) => median(samples.map(pick));
  return {
    wallMs: Math.round(of((s) => s.wallMs)),
    peakRssMb: Math.round(of((s) => s.peakRssMb)),
    cpuSeconds: Math.round(of((s) => s.cpuSeconds) * 100) / 100,
    requests: of((s) => s.requests),
    reportsWritten: of((s) => s.reports.length),
    reportsMb: Math.round((of((s) => s.reports.reduce((n, r) => n + r.bytes, 0)) / 1024 / 1024) * 100) / 100,
    findings: of((s) => Object.values(s.findings).reduce((n, v) => n + v, 0)),
  };
}

export async function singleAccountBench(options: SingleAccountOptions): Promise<SingleAccountResult> {
  const { users, latencyMs, runs } = options;
  const versionRuns = options.versionRuns ?? 5;
  const loadBefore = loadavg();
  const { bin, probe } = await bundleCli(options.buildDir ?? join(ROOT, "bench/.build/single-account"));
  const aws = await startFakeAws(singleAccountEstate(users, new Date()));
  const proxy = await startFaultProxy(aws, [], { latencyMs });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "AKIAISMSAGENTBENCH00",
    AWS_SECRET_ACCESS_KEY: "bench-secret-access-key-not-real",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const dirs: string[] = [];
  try {
    // --version: one warm-up (the first spawn also pays for reading the files from disk), then the measured ones.
    const version: Spawned[] = [];
    for (let i = 0; i <= versionRuns; i++) version.push(await spawnTimed([bin, "--version"], { cwd: tmpdir(), env }));
    const failedVersion = version.find((v) => v.exitCode !== 0);
    if (failedVersion) throw new Error(`isms-agent --version failed (exit ${failedVersion.exitCode}): ${failedVersion.stderr.slice(-2000)}`);
    const versionMs = version.slice(1).map((v) => Math.round(v.wallMs));

    const samples: SingleAccountResult["samples"] = { firstRun: [], withPreviousRun: [] };
    // Interleaved: each round a fresh folder, a first run, then the same config again.
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), "isms-agent-bench-single-"));
      dirs.push(dir);
      // What a user writes: a config in the working folder, the database and reports in their default places.
      writeFileSync(
        join(dir, "isms-agent.yaml"),
        `organization: Benchmark Ltd
sources:
  aws:
    - name: aws
      regions: [${SINGLE_ACCOUNT_REGION}]
      endpoint: ${proxy.url}
      collectors: [aws.iam]
`,
      );
      for (const kind of ["firstRun", "withPreviousRun"] as const) {
        const probeFile = join(dir, `probe-${kind}.json`);
        const before = aws.requests.length;
        const spawned = await spawnTimed(["--import", pathToFileURL(probe).href, bin, "run"], { cwd: dir, env: { ...env, BENCH_PROBE_FILE: probeFile } });
        const sample = sampleOf(
          spawned,
          probeFile,
          aws.requests.slice(before).map((r) => r.action),
          join(dir, "out"),
        );
        if (sample.exitCode !== 0) throw new Error(`isms-agent run failed (exit ${sample.exitCode}): ${spawned.stderr.slice(-2000)}`);
        samples[kind].push(sample);
      }
    }
    return {
      command: `npm run bench -- --single-account --users ${users} --latency-ms ${latencyMs} --runs ${runs}`,
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      load: { before: loadBefore.map((l) => Math.round(l * 100) / 100), after: loadavg().map((l) => Math.round(l * 100) / 100) },
      users,
      latencyMs,
      runs,
      region: SINGLE_ACCOUNT_REGION,
      scope:
        "the IAM checks only, in one account (collectors: [aws.iam]): GetCallerIdentity, the credential report and the password policy; every AWS IAM check judged, every report written.",
      firstRun: mediansOf(samples.firstRun),
      withPreviousRun: mediansOf(samples.withPreviousRun),
      version: { wallMs: median(versionMs), samplesMs: versionMs, output: version[1]?.stdout.trim() ?? "" },
      targets: SINGLE_ACCOUNT_TARGETS,
      samples,
    };
  } finally {
    await proxy.close();
    await aws.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as a small table, each beside its target. */
export function printSingleAccount(r: SingleAccountResult): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const line = (cells: (string | number)[]) =>
    console.log(
      cells
        .map((c, i) => String(c).padEnd(i === 0 ? 28 : 22))
        .join("")
        .trimEnd(),
    );
  console.log(
    `isms-agent single account: ${r.users} IAM users, IAM checks only, ${r.latencyMs} ms per request; medians of ${r.runs} run${r.runs === 1 ? "" : "s"} (load ${r.load.before.join(" ")} before, ${r.load.after.join(" ")} after)`,
  );
  line(["", "first run", "with a previous run", "target"]);
  line(["wall, spawn to exit", s(r.firstRun.wallMs), s(r.withPreviousRun.wallMs), `<= ${s(r.targets.wallMs)}`]);
  line(["peak RSS", `${r.firstRun.peakRssMb} MB`, `${r.withPreviousRun.peakRssMb} MB`, `<= ${r.targets.peakRssMb} MB`]);
  line(["CPU (user + system)", `${r.firstRun.cpuSeconds} s`, `${r.withPreviousRun.cpuSeconds} s`, ""]);
  line(["requests to the server", r.firstRun.requests, r.withPreviousRun.requests, SINGLE_ACCOUNT_ACTIONS.length]);
  line([
    "reports written",
    `${r.firstRun.reportsWritten} (${r.firstRun.reportsMb} MB)`,
    `${r.withPreviousRun.reportsWritten} (${r.withPreviousRun.reportsMb} MB)`,
    7,
  ]);
  line(["findings", r.firstRun.findings, r.withPreviousRun.findings, ""]);
  line([`isms-agent --version`, `${s(r.version.wallMs)} (median of ${r.version.samplesMs.length})`, "", `<= ${s(r.targets.versionWallMs)}`]);
}
