/**
 * `npm run bench`: the agent against a large simulated estate served by the loopback fixture
 * servers, behind proxies that add per-request latency and count requests. Prints a table and
 * writes bench/results.json.
 *
 *   npm run bench -- --scale 1 --latency-ms 20 [--runs 2] [--memory-scales 0.1,1] [--sources aws,azure] [--no-isolated]
 *   npm run bench -- --single-account [--users 5000] [--latency-ms 20] [--runs 3]   (see single-account.ts)
 *
 * Efficiency = ideal time / actual time, where ideal = requests × latency / allowed concurrency.
 * Minimum requests are worked out from the estate's size and the APIs' page sizes, independently of
 * what the agent did; GitHub has no list endpoint for per-repository settings, so those count.
 */
import { spawn } from "node:child_process";
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeAws } from "../demo/servers/aws.js";
import { startFakeAzure } from "../demo/servers/azure.js";
import { startFaultProxy } from "../demo/servers/fault-proxy.js";
import { startFakeGithub } from "../demo/servers/github.js";
import { SOURCE_TYPES, type SourceType } from "../src/domain.js";
import { AZURE_TYPED_LISTS } from "../src/evidence/azure.js";
import { BENCH_REGIONS, benchEstate, type EstateSizes } from "./estate.js";
import { printSingleAccount, readResults, singleAccountBench, withFullBench, withSingleAccount } from "./single-account.js";

const PAGE = 100; // the fixture servers' page size, AWS's and GitHub's usual maximum
const CONCURRENCY = 8;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

interface AgentResult {
  status: string;
  error: string | null;
  wallMs: number;
  judgeAndStoreMs: number;
  findings: number;
  outcomes: { collector: string; source: string; status: string; error: string | null; startedAt: string; finishedAt: string }[];
  httpRequests: number;
  renderJsonMs: number;
  renderHtmlMs: number;
  renderOtherReportsMs: number;
  peakRssMb: number;
  peakRssAfterRunMb: number;
  cpuSeconds: number;
  dbBytes: number;
}

/** The fewest requests the APIs allow for this estate, per source. */
function minimumRequests(s: EstateSizes): Record<string, number> {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  const evaluationsPerRule = s.configEvaluations / (s.awsAccounts * s.awsRegions * s.configRulesPerRegion);
  const aws =
    1 + // GetCallerIdentity
    pages(s.awsAccounts) + // ListAccounts
    (s.awsAccounts - 1) + // AssumeRole per member account
    s.awsAccounts * 3 + // credential report (generate + get), password policy
    s.awsAccounts * 2 + // GetAccountAuthorizationDetails (under 1,000 entities: one page), S3 GetPublicAccessBlock
    // The organisation's tree and SCPs, from the management account: ListRoots, the root's OUs and
    // accounts (the bench organisation has no OUs), ListPolicies, and the targets of FullAWSAccess.
    1 +
    2 +
    1 +
    1 +
    s.awsAccounts * s.awsRegions * (1 + 1 + 1 + 1 + s.configRulesPerRegion * pages(evaluationsPerRule)) + // recorder, rules, compliance summary, packs, details per rule
    s.awsAccounts * s.awsRegions * 2; // Identity Center ListInstances and Inspector BatchGetAccountStatus (neither in use: no further call)
  // One list per subscription for each type the collector reads in full (an empty list is still one call).
  const typedPages = AZURE_TYPED_LISTS.reduce((n, { type }) => n + pages((s.azureTypedResources[type] ?? 0) / s.azureSubscriptions) * s.azureSubscriptions, 0);
  const vaultsPerSubscription = (s.azureTypedResources["Microsoft.KeyVault/vaults"] ?? 0) / s.azureSubscriptions;
  const armPerSubscription =
    1 + // role assignments at the subscription's scope
    3 + // Defender pricings, security contacts, assessments
    1 + // Azure Policy summarize
    1 + // the activity log's diagnostic settings
    // Diagnostic settings are listed per resource only: the vaults are listed again by the monitor
    // collector (a job of its own), then one read per vault.
    pages(vaultsPerSubscription) +
    vaultsPerSubscription;
  const graphPerTenant =
    pages(s.entraUsers) + // userRegistrationDetails
    2 + // security defaults, Conditional Access policies
    1 + // authorization policy
    1 + // directory role assignments
    2 + // PIM eligibility and assignment schedules
    Math.max(1, Math.ceil(s.entraUsers / 500)) + // users with sign-in activity, 500 a page
    1 + // applications
    1; // Intune managed devices
  const azure = 1 + graphPerTenant + s.azureSubscriptions * (pages(s.azureResources / s.azureSubscriptions) + armPerSubscription) + typedPages;
  // GitHub has no list call for per-repository settings: nine reads per active repository
  // (protection, rules, vulnerability alerts, Dependabot alerts, outside collaborators, hooks, keys,
  // environments, the latest code scanning analysis).
  const githubRepoCalls = (s.githubRepos - s.githubArchivedRepos) * 9;
  const github =
    1 +
    pages(s.githubMembers) +
    pages(s.githubOwners) +
    pages(s.githubMembersWithout2fa) +
    1 +
    1 +
    pages(s.githubRepos) +
    githubRepoCalls +
    2 + // Actions permissions and default workflow permissions
    3; // installations, open code scanning alerts, open secret scanning alerts (none: one page each)
  return { aws, azure, github };
}

/**
 * The agent side, bundled to plain JavaScript first so the agent runs on bare node: its peak RSS
 * and CPU are then the agent's own, not a TypeScript loader's. Packages stay external.
 */
async function bundleAgent(): Promise<string> {
  const outfile = resolve("bench/.build/agent.mjs");
  await build({
    entryPoints: [resolve("bench/agent.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  return outfile;
}

function runAgent(config: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    // BENCH_PROFILE=dir writes the agent's V8 CPU profile there (open it in Chrome DevTools).
    const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
    const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(process.execPath, ["--enable-source-maps", ...nodeFlags, ...profile, agentScript, "--runs", String(runs), config], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr = (stderr + c).slice(-100_000);
      if (process.env.BENCH_VERBOSE) process.stderr.write(c);
    });
    child.on("error", fail);
    child.on("close", (status) => ok({ status, stdout, stderr }));
  });
}

// Each source type has its own simulated server below; the list itself is the core's.
const SOURCES = SOURCE_TYPES;
type Source = SourceType;

async function benchOnce(scale: number, latencyMs: number, only: readonly Source[] = SOURCES) {
  const now = new Date();
  const estate = benchEstate(scale, now);
  const aws = await startFakeAws(estate.aws);
  const azure = await startFakeAzure(estate.azure);
  const github = await startFakeGithub(estate.github, {}, now);
  const proxies = {
    aws: await startFaultProxy(aws, [], { latencyMs }),
    azure: await startFaultProxy(azure, [], { latencyMs }),
    github: await startFaultProxy(github, [], { latencyMs }),
  };
  const dir = mkdtempSync(join(tmpdir(), "isms-agent-bench-"));
  try {
    const config = join(dir, "isms-agent.yaml");
    writeFileSync(
      config,
      `organization: Benchmark Ltd
database: ${join(dir, "evidence.db")}
output: ${join(dir, "out")}
runner: { concurrency: ${CONCURRENCY * 6}, collectorTimeoutSeconds: 3600 }
sources:
  aws:${only.includes("aws") ? "" : " []"}
${
  only.includes("aws")
    ? `    - name: aws
      regions: [${BENCH_REGIONS.join(", ")}]
      endpoint: ${proxies.aws.url}
      organization: { roleName: IsmsAgentReadOnly }
      concurrency: ${CONCURRENCY * 2}
      requestConcurrency: ${CONCURRENCY}`
    : ""
}
  azure:${only.includes("azure") ? "" : " []"}
${
  only.includes("azure")
    ? `    - name: azure
      tenantId: ${estate.azure.tenantId}
      subscriptions: all
      credential: { type: access-token, token: "\${BENCH_AZURE_TOKEN}" }
      endpoint: ${proxies.azure.url}
      graphEndpoint: ${proxies.azure.url}
      authorityHost: ${proxies.azure.url}
      caFile: ${JSON.stringify(proxies.azure.caFile)}
      concurrency: ${CONCURRENCY * 2}
      requestConcurrency: ${CONCURRENCY}`
    : ""
}
  github:${only.includes("github") ? "" : " []"}
${
  only.includes("github")
    ? `    - name: github
      org: ${estate.github.login}
      baseUrl: ${proxies.github.url}
      token: "\${BENCH_GITHUB_TOKEN}"
      concurrency: ${CONCURRENCY}`
    : ""
}
`,
    );
    // Async: this process serves the fixture APIs, so it must keep answering while the agent runs.
    const loopBefore = performance.eventLoopUtilization();
    const child = await runAgent(config, {
      ...process.env,
      AWS_ACCESS_KEY_ID: "AKIAISMSAGENTBENCH00",
      AWS_SECRET_ACCESS_KEY: "bench-secret-access-key-not-real",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      BENCH_AZURE_TOKEN: estate.azure.token,
      BENCH_GITHUB_TOKEN: estate.github.token,
    });
    const fixtureLoop = performance.eventLoopUtilization(loopBefore);
    if (child.status !== 0) throw new Error(`the agent failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
    const agent = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as AgentResult;
    // The agent's own record (every collector's start and end), for a closer look.
    writeFileSync(resolve(`bench/.build/agent-scale-${scale}-${only.join("-")}.json`), `${JSON.stringify(agent, null, 2)}\n`);
    const minimum = minimumRequests(estate.sizes);
    // Every run of the static estate makes the same calls: per run is the total over the runs.
    const made = { aws: proxies.aws.requests / runs, azure: proxies.azure.requests / runs, github: proxies.github.requests / runs };
    const sources = Object.fromEntries(
      only.map((source) => {
        const own = agent.outcomes.filter((o) => o.source === source);
        const wallMs = Math.max(...own.map((o) => Date.parse(o.finishedAt))) - Math.min(...own.map((o) => Date.parse(o.startedAt)));
        const idealMs = (made[source] * latencyMs) / CONCURRENCY;
        const busyMs = own.reduce((n, o) => n + Date.parse(o.finishedAt) - Date.parse(o.startedAt), 0);
        return [
          source,
          {
            wallMs,
            collectors: own.length,
            collectorsAtOnce: Math.round((busyMs / wallMs) * 10) / 10,
            requests: made[source],
            minimumRequests: minimum[source] ?? 0,
            idealMs,
            efficiency: Math.round((idealMs / wallMs) * 100) / 100,
            failedCollectors: own.filter((o) => o.status === "error").map((o) => `${o.collector}: ${o.error ?? ""}`),
          },
        ];
      }),
    );
    return {
      scale,
      latencyMs,
      runs,
      concurrencyPerSource: CONCURRENCY,
      estate: estate.sizes,
      run: { status: agent.status, error: agent.error },
      totalWallMs: Math.round(agent.wallMs),
      sources,
      peakRssMb: Math.round(agent.peakRssMb),
      peakRssDuringRunMb: Math.round(agent.peakRssAfterRunMb),
      // How busy each side was: if the fixture servers' one event loop is near 1, they, not the agent, set the pace.
      agentCpuSeconds: Math.round(agent.cpuSeconds * 10) / 10,
      fixtureServersEventLoopUtilization: Math.round(fixtureLoop.utilization * 100) / 100,
      databaseMb: Math.round((agent.dbBytes / 1024 / 1024) * 10) / 10,
      findings: agent.findings,
      findingsStoredPerSecond: Math.round(agent.findings / (agent.judgeAndStoreMs / 1000)),
      renderReportJsonMs: Math.round(agent.renderJsonMs),
      renderReportHtmlMs: Math.round(agent.renderHtmlMs),
      // The other five reports (md, csv, soa, OSCAL, OCSF), streamed as `run` writes them.
      renderOtherReportsMs: Math.round(agent.renderOtherReportsMs),
    };
  } finally {
    await Promise.all([...Object.values(proxies).map((p) => p.close()), aws.close(), azure.close(), github.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const singleAccount = process.argv.includes("--single-account");
const misplaced = (singleAccount ? ["scale", "memory-scales", "sources", "no-isolated"] : ["users"]).filter((name) => process.argv.includes(`--${name}`));
if (misplaced.length > 0) {
  throw new Error(
    `--${misplaced.join(", --")} ${singleAccount ? "cannot be combined with --single-account, which takes --users, --latency-ms and --runs" : "needs --single-account"}`,
  );
}
const scale = Number(flag("scale", "1"));
const latencyMs = Number(flag("latency-ms", "20"));
const memoryScales = flag("memory-scales", "").split(",").filter(Boolean).map(Number);
const isolated = !process.argv.includes("--no-isolated");
// --runs 2 measures the steady state a daemon sees: a second run that drifts from the first.
// With --single-account, the runs a median is taken of (each a first run and a second).
const defaultRuns = singleAccount ? "3" : "1";
const runs = Number(flag("runs", defaultRuns));
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs expects a whole number ≥ 1, got ${flag("runs", defaultRuns)}`);
const users = Number(flag("users", "5000"));
if (!Number.isInteger(users) || users < 1) throw new Error(`--users expects a whole number ≥ 1, got ${flag("users", "5000")}`);
const chosen = flag("sources", SOURCES.join(",")).split(",");
const unknown = chosen.filter((name) => !(SOURCES as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`--sources expects a comma-separated list of ${SOURCES.join(", ")}; got ${unknown.join(", ")}`);
const only = SOURCES.filter((name) => chosen.includes(name));
for (const [name, value] of [["scale", scale], ["latency-ms", latencyMs], ...memoryScales.map((m) => ["memory-scales", m] as const)] as const) {
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} expects a number ≥ 0, got ${String(value)}`);
}

const RESULTS = resolve("bench/results.json");
let agentScript = "";
if (singleAccount) {
  const result = await singleAccountBench({ users, latencyMs, runs });
  writeFileSync(RESULTS, `${JSON.stringify(withSingleAccount(readResults(RESULTS), result), null, 2)}\n`);
  printSingleAccount(result);
  console.log("Wrote bench/results.json (singleAccount)");
} else {
  await fullBench();
}

async function fullBench(): Promise<void> {
  agentScript = await bundleAgent();
  const main = await benchOnce(scale, latencyMs, only);
  // Each source again on its own: together they share the agent's one event loop (and, here, two
  // cores with the fixture servers), so a source's efficiency alone is the one to hold against the target.
  const alone: Partial<Record<Source, { wallMs: number; efficiency: number }>> = {};
  if (isolated) {
    for (const source of only.length > 1 ? only : []) {
      const r = await benchOnce(scale, latencyMs, [source]);
      const own = r.sources[source];
      if (own) alone[source] = { wallMs: own.wallMs, efficiency: own.efficiency };
    }
  }
  const memory = [];
  for (const m of memoryScales) {
    const r = m === scale ? main : await benchOnce(m, latencyMs, only);
    memory.push({ scale: m, peakRssMb: r.peakRssMb, findings: r.findings });
  }
  const results = {
    machine: { node: process.version, cpus: cpus().length },
    ...main,
    sources: Object.fromEntries(Object.entries(main.sources).map(([name, together]) => [name, { ...together, alone: alone[name as Source] ?? null }])),
    ...(memory.length > 1 ? { memory: { runs: memory, ratio: Math.round(((memory.at(-1)?.peakRssMb ?? 0) / (memory[0]?.peakRssMb ?? 1)) * 100) / 100 } } : {}),
  };
  // The single-account mode's figures, if any, stay: each mode rewrites only its own.
  writeFileSync(RESULTS, `${JSON.stringify(withFullBench(readResults(RESULTS), results), null, 2)}\n`);

  const line = (cells: (string | number)[]) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 8 : 12)).join(""));
  console.log(
    `isms-agent benchmark: scale ${scale}, ${latencyMs} ms per request, ${CONCURRENCY} requests at once per source${runs > 1 ? `; figures of run ${runs} of ${runs}` : ""}`,
  );
  line(["source", "requests", "minimum", "ideal s", "wall s", "efficiency", "alone s", "alone eff."]);
  for (const [name, s] of Object.entries(results.sources)) {
    const alone = s.alone ?? (only.length === 1 ? s : null);
    line([
      name,
      s.requests,
      s.minimumRequests,
      (s.idealMs / 1000).toFixed(1),
      (s.wallMs / 1000).toFixed(1),
      s.efficiency,
      alone ? (alone.wallMs / 1000).toFixed(1) : "-",
      alone?.efficiency ?? "-",
    ]);
  }
  console.log(
    `total ${(main.totalWallMs / 1000).toFixed(1)} s; run ${main.run.status}; ${main.findings} findings, ${main.findingsStoredPerSecond}/s judged and stored; peak RSS ${main.peakRssMb} MB (${main.peakRssDuringRunMb} MB until the run was stored); database ${main.databaseMb} MB; report built and report.json written ${main.renderReportJsonMs} ms, report.html ${main.renderReportHtmlMs} ms, the other five ${main.renderOtherReportsMs} ms`,
  );
  if (results.memory)
    console.log(`peak RSS by scale: ${results.memory.runs.map((r) => `${r.scale}× ${r.peakRssMb} MB`).join(", ")} (ratio ${results.memory.ratio})`);
  console.log("Wrote bench/results.json");
}
