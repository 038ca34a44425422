/**
 * What each CLI command does. main.ts parses arguments and turns errors into exit codes;
 * these functions read, call and write, and return what should be printed.
 */
import { existsSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import type { PlanOptions } from "../../collectors/index.js";
import { ANNEX_A } from "../../controls/annex-a.js";
import { controlCoverage, findControl } from "../../controls/mapping.js";
import { evidenceSetOf } from "../../controls/evidence-sets.js";
import { findCheck } from "../../controls/registry.js";
import { REPORT_FORMATS, isReportFormat, writeReports, type ReportFormat } from "../../reports/write.js";
import { loadConfig, type LoadedConfig } from "../../src/config/load.js";
import { exceptionSchema, type Config } from "../../src/config/schema.js";
import { Daemon } from "../daemon/daemon.js";
import { sha256 } from "../../src/engine/canonical.js";
import { isExpired } from "../../src/engine/exceptions.js";
import { manualEvidenceExpired } from "../../src/engine/freshness.js";
import { createLogger } from "../../src/log.js";
import { Progress } from "./progress.js";
import { STARTER_CONFIG } from "../../src/config/starter.js";
import { SEVERITIES, type Severity } from "../../src/domain.js";
import { Redactor } from "../../src/engine/redact.js";
import { ConfigError, EXIT, IntegrityError, RunError, UsageError } from "../../src/errors.js";
import { runCycle } from "../cycle.js";
import { writeFileAtomic } from "../../src/atomic-file.js";
import type { DriftEvent } from "../../src/domain.js";
import { allSourceNames, configExceptions, type RunEvent } from "../runner.js";
import { parseDayOption, parseTimeOption } from "../../src/dates.js";
import { readEvidenceFile } from "./evidence-file.js";
import { maxEvidenceAgeHours } from "../daemon/schedule.js";
import { buildReport, type ReportContext } from "../../reports/build.js";
import { generateKeyPair, readKeyFile, verifyPack, writePack } from "../../reports/pack.js";
import { buildPeriodReport, parseDay, renderPeriodHtml, renderPeriodMarkdown } from "../../reports/period.js";
import { TREND_ARROWS } from "../../src/engine/objectives.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import type { Store } from "../../src/store/store.js";

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * Opens the configured store. Only the commands that record something (run, daemon, exception
 * add, evidence add) open it to write, which creates and migrates it; every other command reads
 * an existing store and fails clearly when there is none.
 */
export async function openStore(config: Config, configFile: string, mode: "write" | "read" = "read"): Promise<Store> {
  return openSqliteStore({ file: resolve(dirname(configFile), config.database), busyTimeoutMs: config.databaseBusyTimeoutSeconds * 1000, mode });
}

/** What a report needs from config: evidence age limits and the config's exceptions. */
export function reportContext(config: Config, asOf?: Date): ReportContext {
  return { maxAgeHours: maxEvidenceAgeHours(config), configExceptions: configExceptions(config), ...(asOf ? { asOf } : {}) };
}

export function outputDir(config: Config, configFile: string): string {
  return resolve(dirname(configFile), config.output);
}

export async function validateCommand(configFile: string, io: Output): Promise<number> {
  const { config, file } = await loadConfig(configFile);
  const aws = config.sources.aws.length;
  io.out(`${file} is valid: organisation "${config.organization}", ${aws} AWS source${aws === 1 ? "" : "s"}, ${config.objectives.length} objective${config.objectives.length === 1 ? "" : "s"}.`);
  return EXIT.ok;
}

export async function initCommand(configFile: string, force: boolean, io: Output): Promise<number> {
  const file = resolve(configFile);
  if (!force) {
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
  }
  await mkdir(dirname(file), { recursive: true });
  // Temp + rename: --force replaces a symlink, never the file it points at, and no reader sees half.
  await writeFileAtomic(file, STARTER_CONFIG);
  io.out(`Wrote a starter config to ${file}. Edit it, then check it with \`isms-agent validate --config ${configFile}\`.`);
  return EXIT.ok;
}

export interface RunCommandOptions {
  failOn?: string;
  plan?: PlanOptions;
  now?: () => Date;
  /** Print progress lines (collectors as they finish). */
  progress?: boolean;
  /** Collect only these sources (names); default all. */
  sources?: string[];
  signal?: AbortSignal;
}

export async function runCommand(loaded: LoadedConfig, io: Output, options: RunCommandOptions = {}): Promise<number> {
  const { config, file } = loaded;
  const failOn = parseFailOn(options.failOn);
  if (allSourceNames(config).length === 0) {
    throw new ConfigError(file, [{ path: "sources", message: "no sources are configured, so there is nothing to collect; add one under sources.aws" }]);
  }
  const unknown = (options.sources ?? []).filter((name) => !allSourceNames(config).includes(name));
  if (unknown.length > 0) throw new UsageError(`--source names no configured source: ${unknown.join(", ")} (configured: ${allSourceNames(config).join(", ")})`);
  const redactor = Redactor.fromEnvironment(process.env, loaded.secrets);
  const store = await openStore(config, file, "write");
  try {
    const progress = options.progress ? new Progress(io, process.stderr.isTTY ? process.stderr : undefined) : undefined;
    const onEvent = (event: RunEvent) => progress?.onEvent(event);
    let cycle: Awaited<ReturnType<typeof runCycle>>;
    try {
      cycle = await runCycle({
        config,
        store,
        redactor,
        onEvent,
        ...(options.plan ? { plan: options.plan } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.sources ? { sources: options.sources } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      progress?.end();
    }
    if (!cycle.ran) {
      const held = cycle.heldBy;
      throw new RunError(
        `another agent is running source "${held.name.replace(/^source:/, "")}" on ${store.location} (lock holder ${held.owner}, since ${held.acquiredAt}); not starting a second run. Try again when it ends, or after ${held.expiresAt} if that agent crashed.`,
      );
    }
    const result = cycle.result;
    if ("error" in cycle.monitor) io.err(`Drift and alerts could not be worked out: ${cycle.monitor.error}`);
    else {
      const m = cycle.monitor;
      if (m.previousRunId !== null) io.out(`Drift since run ${m.previousRunId}: ${summariseDrift(m.drift)}.`);
      for (const d of m.deliveries) {
        if (d.status === "failed") io.err(`Alert delivery to ${d.channel} failed: ${d.error ?? ""}`);
        else io.out(`Sent ${d.alerts.length} alert${d.alerts.length === 1 ? "" : "s"} to ${d.channel}.`);
      }
    }
    // The run is stored and chained by now: a report that cannot be written is said, never a failed run.
    const written = await writeReports(store, result.run.id, outputDir(config, file), ["json", "md", "html", "csv", "soa", "oscal", "ocsf"], reportContext(config)).catch((error: unknown) => {
      io.err(
        `Run ${result.run.id} is stored, but its reports could not be written to ${outputDir(config, file)}: ${redactor.text(error instanceof Error ? error.message : String(error))}. Write them again with \`isms-agent report --run ${result.run.id}\`.`,
      );
      return [] as string[];
    });
    const findings = await store.findings(result.run.id);
    const objectives = await store.objectiveMeasurements(result.run.id);
    const count = (status: string) => findings.filter((f) => f.status === status).length;
    io.out(
      `Run ${result.run.id} ${result.run.status}: ${count("pass")} pass, ${count("fail")} fail, ${count("excepted")} excepted, ${count("error")} error, ${count("not_applicable")} not applicable.`,
    );
    // Kept in the output (a CI log, a journal), the head later proves with `verify --expect-head` that no run up to it was removed.
    io.out(`Chain head after run ${result.run.id}: ${result.run.hash ?? "none"}`);
    for (const o of objectives) {
      io.out(`Objective ${o.objectiveId}: ${o.value === null ? "no data" : `${o.value}% (${o.numerator}/${o.denominator})`}, target ${o.target}% by ${o.deadline}: ${o.status.replace("_", " ")}.`);
    }
    for (const outcome of result.outcomes.filter((o) => o.status === "error")) io.err(`Collector failed: ${outcome.error ?? outcome.collector}`);
    if (written.length > 0) io.out(`Reports: ${written.join(", ")}`);
    if (result.run.status === "failed") return EXIT.runFailed;
    if (failOn) {
      const threshold = SEVERITIES.indexOf(failOn);
      const hit = findings.filter((f) => f.status === "fail" && SEVERITIES.indexOf(findCheck(f.checkId)?.severity ?? "low") >= threshold);
      if (hit.length > 0) {
        io.err(`${hit.length} failing finding${hit.length === 1 ? "" : "s"} at severity ${failOn} or above (--fail-on ${failOn}).`);
        return EXIT.threshold;
      }
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`--fail-on expects one of ${SEVERITIES.join(", ")}; got "${value}"`);
}

export function parseFormats(value: string): ReportFormat[] {
  const formats = value.split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !isReportFormat(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new UsageError(`--format expects a comma-separated list of ${Object.keys(REPORT_FORMATS).join(", ")}; got "${value}"`);
  }
  return formats as ReportFormat[];
}

export interface ReportOptions {
  run: string;
  format: string;
  out?: string | undefined;
  /** A day (YYYY-MM-DD, its end in UTC) or an ISO timestamp. */
  asOf?: string | undefined;
  /** A period (days, inclusive): writes period.json, period.md and period.html. */
  from?: string | undefined;
  to?: string | undefined;
}

export function parseAsOf(value: string): Date {
  return parseTimeOption(value, "--as-of");
}

export async function reportCommand(loaded: LoadedConfig, options: ReportOptions, io: Output): Promise<number> {
  const { config, file } = loaded;
  const chosen = parseFormats(options.format);
  if ((options.from === undefined) !== (options.to === undefined)) throw new UsageError("a period needs both --from and --to (YYYY-MM-DD)");
  if (options.from !== undefined && options.to !== undefined) {
    if (options.asOf !== undefined || options.run !== "latest") throw new UsageError("give a period (--from/--to), --as-of or --run, one of them");
    return periodReportCommand(loaded, parseDay(options.from, "--from"), parseDay(options.to, "--to"), options.out, io);
  }
  const asOf = options.asOf === undefined ? undefined : parseAsOf(options.asOf);
  if (asOf && options.run !== "latest") throw new UsageError("give either --run or --as-of, not both");
  const store = await openStore(config, file);
  try {
    let runId: number;
    if (asOf) {
      // What an auditor samples must rest on a store that verifies.
      await requireIntact(store, "a report as of a past moment");
      const run = await store.latestFinishedRunAt(asOf.toISOString());
      if (!run) throw new UsageError(`no run had finished by ${asOf.toISOString()} in ${store.location}; the evidence starts later`);
      runId = run.id;
    } else runId = await resolveRunId(store, options.run);
    const written = await writeReports(store, runId, options.out ? resolve(options.out) : outputDir(config, file), chosen, reportContext(config, asOf));
    io.out(`${asOf ? `As of ${asOf.toISOString()}, the latest finished run was ${runId}` : `Run ${runId}`}: ${written.join(", ")}`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Runs the integrity check before a report an auditor relies on; refuses, naming the first bad record, when it fails. */
async function requireIntact(store: Store, what: string): Promise<void> {
  const integrity = await store.verify();
  if (!integrity.ok) throw new IntegrityError(`the evidence store ${store.location} fails its integrity check: ${integrity.problem}; refusing to write ${what} of it (see \`isms-agent verify\`)`);
}

async function periodReportCommand(loaded: LoadedConfig, from: string, to: string, out: string | undefined, io: Output): Promise<number> {
  const store = await openStore(loaded.config, loaded.file);
  try {
    await requireIntact(store, "a period report");
    const period = await buildPeriodReport(store, from, to, maxEvidenceAgeHours(loaded.config)(""));
    const dir = out ? resolve(out) : outputDir(loaded.config, loaded.file);
    await mkdir(dir, { recursive: true });
    const files: [string, string][] = [
      ["period.json", `${JSON.stringify(period, null, 2)}\n`],
      ["period.md", renderPeriodMarkdown(period)],
      ["period.html", renderPeriodHtml(period)],
    ];
    for (const [name, text] of files) await writeFileAtomic(resolve(dir, name), text);
    io.out(`${from} to ${to}: ${period.runs.length} runs summarised in ${files.map(([name]) => resolve(dir, name)).join(", ")}`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

async function resolveRunId(store: Store, runArg: string): Promise<number> {
  if (runArg === "latest") {
    const latest = await store.latestFinishedRun();
    if (!latest) throw new UsageError(`there is no finished run in ${store.location} yet; run \`isms-agent run\` first`);
    return latest.id;
  }
  if (!/^\d+$/.test(runArg)) throw new UsageError(`--run expects a run id or "latest"; got "${runArg}"`);
  const run = await store.getRun(Number(runArg));
  if (!run) throw new UsageError(`run ${runArg} does not exist in ${store.location}`);
  return run.id;
}

export async function verifyCommand(loaded: LoadedConfig, io: Output, options: { expectHead?: string | undefined } = {}): Promise<number> {
  if (options.expectHead !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.expectHead.trim())) {
    throw new UsageError(`--expect-head expects a chain head: 64 hexadecimal characters, as \`run\`, \`verify\` or a pack's manifest print it; got "${options.expectHead}"`);
  }
  const store = await openStore(loaded.config, loaded.file);
  try {
    const result = await store.verify(options.expectHead === undefined ? {} : { expectHead: options.expectHead });
    if (result.ok) {
      io.out(
        `The evidence store ${store.location} is intact: ${result.runsChecked} runs and ${result.evidenceChecked} evidence records match their hashes, and the ledger of manual evidence, exceptions, drift, alert deliveries and prunes matches its rows.` +
          (result.head ? ` Chain head: ${result.head}` : "") +
          (options.expectHead !== undefined ? ` The expected head ${options.expectHead.trim().toLowerCase()} is in the chain: no run up to it was removed.` : ""),
      );
      return EXIT.ok;
    }
    io.err(`The evidence store ${store.location} has been altered: ${result.problem}.`);
    io.err(`(${result.runsChecked} runs before it verified.)`);
    return EXIT.runFailed;
  } finally {
    await store.close();
  }
}

export function controlsCommand(io: Output): number {
  const coverage = controlCoverage();
  let automated = 0;
  for (const { control, checks } of coverage) {
    if (checks.length > 0) automated++;
    const how = checks.length > 0 ? `${checks.length} check${checks.length === 1 ? "" : "s"}` : control.automation === "manual" ? "manual evidence" : "no check yet";
    io.out(`${control.id.padEnd(7)} ${control.title} [${control.theme}; ${control.automation}] — ${how}`);
    for (const check of checks) io.out(`          ${check.id}: ${check.rationale}`);
    for (const element of evidenceSetOf(control.id)?.elements ?? []) {
      io.out(`          evidence "${element.id}": ${element.description} — ${element.checks.length > 0 ? `from ${element.checks.join(", ")}` : `manual: \`evidence add --control ${control.id} --element ${element.id}\``}`);
    }
  }
  io.out("");
  io.out(`${automated} of ${ANNEX_A.length} controls have at least one automated check; the others need manual evidence.`);
  return EXIT.ok;
}

export async function objectivesCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  if (loaded.config.objectives.length === 0) {
    io.out("No objectives are configured.");
    return EXIT.ok;
  }
  const store = await openStore(loaded.config, loaded.file);
  try {
    const latest = await store.latestFinishedRun();
    const measured = latest ? (await buildReport(store, latest.id, reportContext(loaded.config))).objectives : [];
    for (const objective of loaded.config.objectives) {
      const m = measured.find((x) => x.id === objective.id);
      const head = `${objective.id}: ${objective.title} (owner ${objective.owner})`;
      if (!m) {
        io.out(`${head} — not measured yet; target ${objective.target}% by ${objective.deadline}.`);
        continue;
      }
      const value = m.value === null ? "no data" : `${m.value}%`;
      const projection =
        m.status === "met" ? "target reached" : m.projectedDate ? `reaches ${objective.target}% around ${m.projectedDate} at the current rate` : "does not reach the target at the current rate";
      io.out(`${head} — ${value} ${TREND_ARROWS[m.trend]} of ${objective.target}% by ${objective.deadline}: ${m.status.replace("_", " ")}; ${projection} (${m.history.length} measurement${m.history.length === 1 ? "" : "s"}).`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export function summariseDrift(events: readonly DriftEvent[]): string {
  if (events.length === 0) return "no changes";
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind.replace(/_/g, " ")}`).join(", ");
}

export async function daemonCommand(loaded: LoadedConfig, io: Output, options: { signals?: boolean } = {}): Promise<number> {
  const { config, file } = loaded;
  if (!config.schedule && ![...config.sources.aws, ...config.sources.azure, ...config.sources.github].some((s) => s.schedule)) {
    throw new ConfigError(file, [{ path: "schedule", message: 'the daemon needs a schedule, e.g. schedule: { cron: "0 2 * * *", timezone: Europe/Berlin }' }]);
  }
  const redactor = Redactor.fromEnvironment(process.env, loaded.secrets);
  const logger = createLogger();
  const store = await openStore(config, file, "write");
  // Each run's reports go where `run` writes them (output resolved against the config file).
  const daemon = new Daemon({ config, store, redactor, logger, reports: { dir: outputDir(config, file), context: reportContext(config) } });
  try {
    await daemon.start();
    io.err(`isms-agent daemon: ${daemon.scopes.length} schedule${daemon.scopes.length === 1 ? "" : "s"}${daemon.url ? `, health and metrics on ${daemon.url}` : ""}. Stop with Ctrl-C or SIGTERM.`);
    if (options.signals !== false) {
      await new Promise<void>((resolveStop) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
          void daemon.stop(`received ${signal}`).then(resolveStop);
        };
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
      });
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export interface ExceptionAddOptions {
  id: string;
  check: string;
  resource?: string | undefined;
  source?: string | undefined;
  account?: string | undefined;
  reason: string;
  owner: string;
  approvedBy: string;
  expires: string;
  /** The clock (tests); "today" for the expiry is its UTC day. */
  now?: () => Date;
}

export async function exceptionAddCommand(loaded: LoadedConfig, options: ExceptionAddOptions, io: Output): Promise<number> {
  // The same rules as an exception written in config, so both registers hold the same shape.
  const parsed = exceptionSchema.safeParse({
    id: options.id,
    check: options.check,
    reason: options.reason,
    owner: options.owner,
    approvedBy: options.approvedBy,
    expires: options.expires,
    ...(options.resource ? { resource: options.resource } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.account ? { account: options.account } : {}),
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join("; "));
  }
  if (loaded.config.exceptions.some((e) => e.id === options.id)) throw new UsageError(`exception ${options.id} is already in the config's register; choose another id`);
  const e = parsed.data;
  const now = (options.now ?? (() => new Date()))();
  // The rule that retires an exception at a run; one already past it would be recorded but never apply.
  if (isExpired(e, now)) {
    throw new UsageError(
      `--expires: ${e.expires} is before today (${now.toISOString().slice(0, 10)}, UTC); an exception that has already expired would never apply. Give its last day, today or later.`,
    );
  }
  const store = await openStore(loaded.config, loaded.file, "write");
  try {
    await store.addException({
      id: e.id,
      checkId: e.check,
      resource: e.resource ?? null,
      source: e.source ?? null,
      account: e.account ?? null,
      reason: e.reason,
      owner: e.owner,
      approvedBy: e.approvedBy,
      expires: e.expires,
      origin: "register",
      createdAt: now.toISOString(),
    });
    io.out(`Exception ${e.id} recorded: ${e.check}${e.resource ? ` on ${e.resource}` : " (every resource)"} is excepted until ${e.expires}, approved by ${e.approvedBy}. It applies from the next run.`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Where the configured store lives, and whether it exists yet (lists need not fail before the first run). */
function storeFile(loaded: LoadedConfig): { path: string; exists: boolean } {
  const path = resolve(dirname(loaded.file), loaded.config.database);
  return { path, exists: existsSync(path) };
}

export async function exceptionListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const where = storeFile(loaded);
  if (!where.exists) io.out(`No evidence store at ${where.path} yet: listing the config's exceptions only.`);
  const store = where.exists ? await openStore(loaded.config, loaded.file) : undefined;
  try {
    const all = [...configExceptions(loaded.config), ...((await store?.registeredExceptions()) ?? [])];
    if (all.length === 0) io.out("The exceptions register is empty.");
    const now = new Date();
    for (const e of all) {
      io.out(
        `${e.id} [${e.origin}] ${e.checkId}${e.resource ? ` on ${e.resource}` : " (every resource)"} — ${e.reason} (owner ${e.owner}, approved by ${e.approvedBy}) until ${e.expires}${isExpired(e, now) ? " — EXPIRED" : ""}`,
      );
    }
    return EXIT.ok;
  } finally {
    await store?.close();
  }
}

export interface EvidenceAddOptions {
  control: string;
  file: string;
  note: string;
  validUntil?: string | undefined;
  /** Store the file a symlink points to; without it a symlink is refused. */
  followSymlinks?: boolean | undefined;
  /** The element of the control's evidence set the file fills (see `controls`). */
  element?: string | undefined;
  /** The clock (tests and the demo's simulated days). */
  now?: () => Date;
}

export async function evidenceAddCommand(loaded: LoadedConfig, options: EvidenceAddOptions, io: Output): Promise<number> {
  const control = findControl(options.control);
  if (!control) throw new UsageError(`--control expects an Annex A 2022 control id such as A.6.3; got "${options.control}"`);
  if (options.element !== undefined) {
    const elements = evidenceSetOf(control.id)?.elements.map((e) => e.id) ?? [];
    if (!elements.includes(options.element)) {
      throw new UsageError(
        elements.length > 0
          ? `--element expects one of the elements of ${control.id}'s evidence set (${elements.join(", ")}); got "${options.element}"`
          : `${control.id} has no evidence set, so --element cannot be used with it; leave --element out`,
      );
    }
  }
  if (options.validUntil !== undefined) parseDayOption(options.validUntil, "--valid-until");
  const content = await readEvidenceFile(options.file, { maxMiB: loaded.config.manualEvidenceMaxMiB, followSymlinks: options.followSymlinks ?? false });
  const store = await openStore(loaded.config, loaded.file, "write");
  try {
    const stored = await store.addManualEvidence({
      controlId: control.id,
      fileName: basename(options.file),
      size: content.length,
      sha256: sha256(content),
      content,
      note: options.note,
      element: options.element ?? null,
      validUntil: options.validUntil ?? null,
      addedAt: (options.now ?? (() => new Date()))().toISOString(),
    });
    io.out(
      `Stored ${stored.fileName} (${stored.size} bytes, sha256 ${stored.sha256}) as evidence ${stored.id} for ${control.id} ${control.title}${stored.validUntil ? `, valid until ${stored.validUntil}` : ""}.`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function evidenceListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const where = storeFile(loaded);
  if (!where.exists) {
    io.out(`No manual evidence is stored: there is no evidence store at ${where.path} yet.`);
    return EXIT.ok;
  }
  const store = await openStore(loaded.config, loaded.file);
  try {
    const all = await store.manualEvidence();
    if (all.length === 0) io.out("No manual evidence is stored.");
    const now = new Date();
    for (const m of all) {
      io.out(`${m.id} ${m.controlId} ${m.fileName} (${m.size} bytes, sha256 ${m.sha256.slice(0, 16)}…) added ${m.addedAt.slice(0, 10)}${m.validUntil ? `, valid until ${m.validUntil}${manualEvidenceExpired(m, now) ? " — EXPIRED" : ""}` : ""}: ${m.note}`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export interface PackCommandOptions {
  from: string;
  to: string;
  out: string;
  signKey?: string | undefined;
}

export async function packCommand(loaded: LoadedConfig, options: PackCommandOptions, io: Output): Promise<number> {
  const from = parseDay(options.from, "--from");
  const to = parseDay(options.to, "--to");
  const signKey = options.signKey ? await readKeyFile(resolve(options.signKey), "signing key") : undefined;
  const store = await openStore(loaded.config, loaded.file);
  try {
    const result = await writePack({
      store,
      from,
      to,
      out: resolve(options.out),
      context: reportContext(loaded.config),
      maxEvidenceAgeHours: maxEvidenceAgeHours(loaded.config)(""),
      ...(signKey ? { signKey } : {}),
    });
    io.out(
      `Wrote ${result.file}: ${result.files} files from ${result.runs} run${result.runs === 1 ? "" : "s"}, ${result.signed ? "signed (Ed25519)" : "not signed (pass --sign-key to sign it)"}. Chain head ${result.chainHead ?? "none"}. Check it with \`isms-agent verify ${options.out}${result.signed ? " --public-key <key.pub>" : " --unsigned-ok"}\`.`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function keygenCommand(out: string, force: boolean, io: Output): Promise<number> {
  const privateFile = resolve(`${out}.pem`);
  const publicFile = resolve(`${out}.pub`);
  if (!force) {
    for (const file of [privateFile, publicFile]) {
      if (await access(file).then(() => true, () => false)) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
    }
  }
  const pair = generateKeyPair();
  await mkdir(dirname(privateFile), { recursive: true });
  // Each file replaced whole; the private key is created 0600 even over an older, looser file.
  await writeFileAtomic(privateFile, pair.privateKey, { mode: 0o600 });
  await writeFileAtomic(publicFile, pair.publicKey);
  // Another keygen into the same name at once could leave one's private key beside the other's public key.
  const onDisk = [await readKeyFile(privateFile, "signing key"), await readKeyFile(publicFile, "public key")];
  if (onDisk[0] !== pair.privateKey || onDisk[1] !== pair.publicKey) {
    throw new RunError(`another keygen wrote ${privateFile} or ${publicFile} at the same time; the pair on disk may not belong together. Run keygen --force again.`);
  }
  io.out(`Wrote the signing key ${privateFile} (keep it secret) and the public key ${publicFile} (give it to your auditor). Fingerprint sha256:${pair.fingerprint}`);
  return EXIT.ok;
}

export interface VerifyPackCommandOptions {
  /** Exit 0 for a pack whose files match its manifest even though its authenticity was not checked. */
  unsignedOk?: boolean | undefined;
}

export async function verifyPackCommand(file: string, publicKey: string | undefined, io: Output, options: VerifyPackCommandOptions = {}): Promise<number> {
  const pem = publicKey ? await readKeyFile(resolve(publicKey), "public key") : undefined;
  const path = resolve(file);
  const result = await verifyPack(path, pem, { unsignedOk: options.unsignedOk === true });
  for (const changed of result.changed) io.err(`changed: ${changed} (its sha256 or size differs from the manifest)`);
  for (const added of result.added) io.err(`added: ${added} (not in the manifest)`);
  for (const removed of result.removed) io.err(`removed: ${removed} (listed in the manifest, missing from the archive)`);
  for (const problem of result.problems) io.err(problem);
  const m = result.manifest;
  const files = `${m?.files.length ?? 0} files`;
  const period = `Period ${m?.period.from ?? ""} to ${m?.period.to ?? ""}, runs ${m?.runs.join(", ") ?? ""}, chain head ${m?.chainHead ?? "none"}.`;
  // Matching its own manifest proves nothing about who wrote a pack: only a checked signature does.
  if (!result.ok) {
    if (result.intact && !pem) io.err(`The files of ${path} match its manifest (${files}), but that does not show who wrote them: pass --public-key <key.pub> to check who wrote it, or --unsigned-ok to accept it unchecked.`);
    else io.err(`The evidence pack ${path} does NOT verify.`);
    return EXIT.runFailed;
  }
  if (result.signature === "valid") {
    io.out(`The evidence pack ${path} is intact and authentic: ${files} match the manifest; signature valid (Ed25519, key sha256:${result.signedBy ?? ""}). ${period}`);
    return EXIT.ok;
  }
  const why = result.signature === "unsigned" ? "the pack is not signed" : `it is signed by key sha256:${result.signedBy ?? ""}, but no --public-key was given`;
  io.out(`The files of ${path} match its manifest (${files}), but its authenticity was NOT checked (${why}); accepted because of --unsigned-ok. ${period}`);
  return EXIT.ok;
}
