/**
 * The embedded default store: one SQLite file (the `sqlite3` package), WAL mode, versioned
 * migrations applied at open. Every run step is one transaction, so a crash never leaves
 * half-written rows that a report would read as truth.
 */
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { createHash, type Hash } from "node:crypto";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import sqlite3 from "sqlite3";
import { z } from "zod";
import {
  CONTROL_STATUSES,
  FINDING_STATUSES,
  OBJECTIVE_STATUSES,
  RUN_STATUSES,
  SOURCE_TYPES,
  DRIFT_KINDS,
  SEVERITIES,
  type CollectorOutcome,
  type ControlResult,
  type DriftEvent,
  type Evidence,
  type Finding,
  type ManualEvidence,
  type ObjectiveMeasurement,
  type RiskException,
  type RunContext,
  type RunRecord,
  type StoredEvidence,
} from "../domain.js";
import { canonicalJson, sha256 } from "../engine/canonical.js";
import { StoreError } from "../errors.js";
import { GENESIS_HASH, LEDGER_KINDS, controlDigestRow, findingDigestRow, ledgerHash, rowsDigest, runHash, runHashV2, type LedgerKind } from "./chain.js";
import { MIGRATIONS } from "./migrations.js";
import { elementResultsSchema, runContextSchema } from "./run-context.js";
import { checkScopeKey, findingKey, type ResourceSeen } from "../engine/drift.js";
import type {
  AlertDelivery,
  AlertState,
  DriftKey,
  FinishRunInput,
  LockResult,
  NewManualEvidence,
  RegisterRecord,
  RegisterRecordsOptions,
  StartRunInput,
  Store,
  VerifyOptions,
  VerifyResult,
} from "./store.js";
import { REGISTERS, type RegisterName } from "../registers.js";

export const SQLITE_STORE = "sqlite";

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. */
  file: string;
  /** How long a write waits for another writer's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `write` (default) creates the file and migrates it: for the commands that record something.
   * `read` opens an existing, current isms-agent store read-only, never creating, migrating or
   * switching its journal mode: for the commands that only read (verify, report, pack, lists).
   */
  mode?: "write" | "read";
}

type Row = Record<string, unknown>;

const SQLITE_MAGIC = "SQLite format 3\u0000";
/** SQLite's default limit on ? parameters per statement since 3.32 (32766), with room to spare. */
const SQLITE_MAX_PARAMETERS = 30_000;

export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  if (options.mode === "read") return openReadOnly(options);
  const file = resolve(options.file);
  refuseNonSqliteFile(file);
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (cause) {
    throw new StoreError(file, `cannot create the folder ${dirname(file)}`, { cause });
  }
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const handle: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? fail(err) : ok(handle)));
  }).catch((cause: unknown) => {
    throw new StoreError(file, `cannot open the database (${messageOf(cause, file)})`, { cause });
  });
  const store = new SqliteStore(file, db);
  try {
    await store.configure(options.busyTimeoutMs ?? 5000);
    await store.migrate();
  } catch (cause) {
    await store.close().catch(() => undefined);
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(file, `cannot prepare the database (${messageOf(cause, file)})`, { cause });
  }
  return store;
}

async function openReadOnly(options: SqliteStoreOptions): Promise<SqliteStore> {
  const file = resolve(options.file);
  if (!existsSync(file))
    throw new StoreError(file, "holds no isms-agent store: the file does not exist (check `database` in the config; `isms-agent run` creates the store)");
  refuseNonSqliteFile(file);
  if (statSync(file).size === 0) throw new StoreError(file, "holds no isms-agent store: the file is empty");
  try {
    return await openReadOnlyAs(file, options, false);
  } catch (error) {
    // A WAL store on read-only media (an auditor's copy) cannot get its shared-memory file:
    // nobody can be writing there, so read it as immutable.
    if (!(error instanceof StoreError) || writable(file) || !/CANTOPEN|READONLY|unable to open/i.test(causeMessage(error))) throw error;
    return openReadOnlyAs(file, options, true);
  }
}

async function openReadOnlyAs(file: string, options: SqliteStoreOptions, immutable: boolean): Promise<SqliteStore> {
  const uri = `file:${encodeURI(file).replace(/\?/g, "%3F").replace(/#/g, "%23")}?mode=ro${immutable ? "&immutable=1" : ""}`;
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const handle: sqlite3.Database = new sqlite3.Database(uri, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI, (err) => (err ? fail(err) : ok(handle)));
  }).catch((cause: unknown) => {
    throw new StoreError(file, `cannot open the database to read it (${messageOf(cause)})`, { cause });
  });
  const store = new SqliteStore(file, db);
  try {
    db.configure("busyTimeout", options.busyTimeoutMs ?? 5000);
    await store.checkSchemaForReading();
  } catch (cause) {
    await store.close().catch(() => undefined);
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(file, `cannot read the database (${messageOf(cause)})`, { cause });
  }
  return store;
}

function causeMessage(error: Error): string {
  const cause: unknown = error.cause;
  return `${error.message} ${cause instanceof Error ? `${cause.message} ${JSON.stringify((cause as { code?: unknown }).code ?? "")}` : ""}`;
}

/** Refuse to touch a file that exists but is not SQLite, rather than let SQLite report a vague error later. */
function refuseNonSqliteFile(file: string): void {
  if (!existsSync(file)) return;
  const stat = statSync(file);
  if (!stat.isFile()) throw new StoreError(file, "is not a file");
  if (stat.size === 0) return;
  // The first 16 bytes only: a store may be gigabytes.
  const head = Buffer.alloc(16);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString("latin1") !== SQLITE_MAGIC) throw new StoreError(file, "is not an SQLite database; refusing to use or overwrite it");
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The SQLite error, with what it means for the user where SQLite's own words are terse. */
function messageOf(error: unknown, file?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  // SQLite says CANTOPEN for a WAL database it may only read: say why when that is the reason.
  if (code === "SQLITE_READONLY" || (code === "SQLITE_CANTOPEN" && file !== undefined && existsSync(file) && !writable(file)))
    return `${message}: the file or its folder is read-only; the agent needs to write both (the database and its -wal/-shm files). Nothing was written`;
  if (code === "SQLITE_BUSY")
    return `${message}: another process has held a write lock on it for longer than the busy timeout (another agent, a backup, or a tool with an open transaction). Nothing was written`;
  if (code === "SQLITE_CANTOPEN") return `${message}: the file cannot be opened or created here (missing permissions, or a folder in its place)`;
  if (code === "SQLITE_FULL") return `${message}: the disk is full. Nothing of this step was written`;
  return message;
}

const runRowSchema = z.object({
  id: z.number(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  organization: z.string(),
  error: z.string().nullable(),
  hash: z.string().nullable(),
  prev_hash: z.string().nullable(),
  chain_seq: z.number().nullable(),
  sources: z.string().nullable(),
  lock_owner: z.string().nullable(),
});

const stringList = z.array(z.string());

/** What a pruned run's hash was made from, kept when its rows are deleted: version 1 runs, then version 2. */
const prunedInputsSchema = z.object({ evidenceSha256: z.array(z.string()), findingsDigest: z.string() });
const prunedInputsV2Schema = z.object({ evidenceDigest: z.string(), findingsDigest: z.string(), outcomesDigest: z.string() });

const runSealSchema = z.object({
  host: z.string(),
  hash_version: z.number().nullable(),
  ledger_seq: z.number().nullable(),
  pruned_inputs: z.string().nullable(),
  pruned_at: z.string().nullable(),
});

const ledgerRowSchema = z.object({
  seq: z.number(),
  kind: z.enum(LEDGER_KINDS),
  ref: z.string(),
  at: z.string(),
  content_sha256: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});

const LEDGER_NOUN: Record<LedgerKind, string> = {
  manual_evidence: "manual evidence",
  exception: "exception",
  drift: "the drift of run",
  alert_delivery: "alert delivery",
  prune: "the pruning record of run",
  register: "register record",
  run_summary: "the loop summary of run",
};

const registerRowSchema = z.object({
  seq: z.number(),
  register: z.enum(REGISTERS),
  entry_id: z.string(),
  version: z.number(),
  content: z.string(),
  recorded_at: z.string(),
});

/** Statuses of runs that finished: each must be in the hash chain. */
const FINISHED = "('completed', 'partial', 'failed', 'interrupted')";

const appliedExceptionSchema = z.object({
  id: z.string(),
  reason: z.string(),
  owner: z.string(),
  approvedBy: z.string(),
  expires: z.string(),
});

const evidenceRowSchema = z.object({
  id: z.number(),
  source: z.string(),
  source_type: z.enum(SOURCE_TYPES),
  account: z.string(),
  region: z.string(),
  kind: z.string(),
  api_call: z.string(),
  collected_at: z.string(),
  payload: z.string(),
  sha256: z.string(),
});

const findingRowSchema = z.object({
  check_id: z.string(),
  source: z.string(),
  source_type: z.enum(SOURCE_TYPES),
  account: z.string(),
  region: z.string(),
  resource_id: z.string(),
  status: z.enum(FINDING_STATUSES),
  reason: z.string(),
  evidence_sha256: z.string().nullable(),
  controls: z.string().nullable(),
  exception: z.string().nullable(),
});

const controlRowSchema = z.object({
  control_id: z.string(),
  status: z.enum(CONTROL_STATUSES),
  coverage: z.enum(["automated", "partial", "none"]),
  checks: z.string(),
  pass: z.number(),
  fail: z.number(),
  error: z.number(),
  not_applicable: z.number(),
  excepted: z.number(),
  justification: z.string().nullable(),
  elements: z.string().nullable(),
});

const driftRowSchema = z.object({
  previous_run_id: z.number(),
  kind: z.enum(DRIFT_KINDS),
  key: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  check_id: z.string().nullable(),
  control_id: z.string().nullable(),
  objective_id: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});

const alertStateRowSchema = z.object({
  key: z.string(),
  open: z.number(),
  severity: z.string(),
  message: z.string(),
  opened_at: z.string(),
  last_sent_at: z.string().nullable(),
  changes: z.string(),
});

const deliveryRowSchema = z.object({
  run_id: z.number().nullable(),
  channel: z.string(),
  status: z.enum(["sent", "failed"]),
  attempts: z.number(),
  error: z.string().nullable(),
  at: z.string(),
  alerts: z.string(),
});

const exceptionRowSchema = z.object({
  id: z.string(),
  check_id: z.string(),
  resource: z.string().nullable(),
  source: z.string().nullable(),
  account: z.string().nullable(),
  reason: z.string(),
  owner: z.string(),
  approved_by: z.string(),
  expires: z.string(),
  created_at: z.string(),
});

const manualEvidenceRowSchema = z.object({
  id: z.number(),
  control_id: z.string(),
  file_name: z.string(),
  size: z.number(),
  sha256: z.string(),
  note: z.string(),
  valid_until: z.string().nullable(),
  added_at: z.string(),
  element: z.string().nullable(),
});

const objectiveRowSchema = z.object({
  objective_id: z.string(),
  title: z.string(),
  owner: z.string(),
  metric: z.string(),
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
  errors: z.number(),
  target: z.number(),
  deadline: z.string(),
  status: z.enum(OBJECTIVE_STATUSES),
  measured_at: z.string(),
});

const outcomeRowSchema = z.object({
  collector: z.string(),
  source: z.string(),
  source_type: z.enum(SOURCE_TYPES),
  account: z.string(),
  region: z.string(),
  status: z.enum(["ok", "error"]),
  error: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string(),
  produces: z.string(),
});

export class SqliteStore implements Store {
  readonly name = SQLITE_STORE;
  /** Serialises transactions: sqlite3 shares one connection between all async callers. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The findings digest of each run this store started, fed as its findings are inserted (in id
   * order: inserts are serialised), so finishing a run does not read them all back. null: a save
   * failed and the digest is read back from the rows instead. `verify` always reads the rows.
   */
  private readonly runningFindingsDigests = new Map<number, { hash: Hash; first: boolean } | null>();

  constructor(
    readonly location: string,
    private readonly db: sqlite3.Database,
  ) {}

  // --- low-level helpers -------------------------------------------------------------------

  private exec(sql: string): Promise<void> {
    return new Promise((ok, fail) => this.db.exec(sql, (err) => (err ? fail(err) : ok())));
  }

  private run(sql: string, params: unknown[] = []): Promise<{ lastID: number; changes: number }> {
    return new Promise((ok, fail) =>
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) fail(err);
        else ok({ lastID: this.lastID, changes: this.changes });
      }),
    );
  }

  /**
   * Inserts rows in order with multi-row INSERTs, as many rows a statement as SQLite's parameter
   * limit allows (2,500 findings): one round trip per chunk instead of per row.
   */
  private async insertRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    const perStatement = Math.max(1, Math.floor(SQLITE_MAX_PARAMETERS / columns.length));
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      await this.run(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`, chunk.flat());
    }
  }

  private all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return new Promise((ok, fail) => this.db.all(sql, params, (err, rows: Row[]) => (err ? fail(err) : ok(rows))));
  }

  private async get(sql: string, params: unknown[] = []): Promise<Row | undefined> {
    const rows = await this.all(sql, params);
    return rows[0];
  }

  /** Runs `work` alone on the connection inside BEGIN IMMEDIATE … COMMIT, rolling back on error. */
  private transaction<T>(what: string, work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      try {
        await this.exec("BEGIN IMMEDIATE");
      } catch (cause) {
        throw new StoreError(this.location, `cannot start a transaction to ${what} (${messageOf(cause)})`, { cause });
      }
      try {
        const result = await work();
        await this.exec("COMMIT");
        return result;
      } catch (cause) {
        await this.exec("ROLLBACK").catch(() => undefined);
        if (cause instanceof StoreError) throw cause;
        throw new StoreError(this.location, `cannot ${what} (${messageOf(cause)})`, { cause });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read<T>(what: string, work: () => Promise<T>): Promise<T> {
    await this.queue;
    try {
      return await work();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(this.location, `cannot read ${what} (${messageOf(cause)})`, { cause });
    }
  }

  async configure(busyTimeoutMs: number): Promise<void> {
    this.db.configure("busyTimeout", busyTimeoutMs);
    await this.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  }

  async migrate(): Promise<void> {
    await this.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const applied = new Set((await this.all("SELECT version FROM schema_migrations")).map((r) => Number(r["version"])));
    const newest = Math.max(0, ...applied);
    const known = MIGRATIONS.length;
    if (newest > known) {
      throw new StoreError(
        this.location,
        `was written by a newer isms-agent (schema version ${newest}; this version knows up to ${known}); refusing to use it`,
      );
    }
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await this.transaction(`apply migration ${version}`, async () => {
        await this.exec(sql);
        if (version === 6) await this.adoptIntoLedger();
        await this.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [version, new Date().toISOString()]);
      });
    }
  }

  /** For read-only use: an isms-agent store of exactly the schema this version writes. */
  async checkSchemaForReading(): Promise<void> {
    const table = await this.get("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!table)
      throw new StoreError(this.location, "is an SQLite database but not an isms-agent store (it has no schema_migrations table); nothing was changed");
    const version = await this.schemaVersion();
    const known = MIGRATIONS.length;
    if (version > known)
      throw new StoreError(
        this.location,
        `was written by a newer isms-agent (schema version ${version}; this version knows up to ${known}); refusing to use it`,
      );
    if (version < known) {
      throw new StoreError(
        this.location,
        `was written by an older isms-agent (schema version ${version}; this version reads ${known}). Commands that only read never upgrade a store: \`isms-agent migrate\` (or the next \`run\`) upgrades it`,
      );
    }
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get("SELECT MAX(version) AS v FROM schema_migrations");
    return Number(row?.["v"] ?? 0);
  }

  close(): Promise<void> {
    return new Promise((ok, fail) => this.db.close((err) => (err ? fail(err) : ok())));
  }

  // --- runs ---------------------------------------------------------------------------------

  async recoverInterruptedRuns(finishedAt: string): Promise<number[]> {
    return this.transaction("mark interrupted runs", async () => {
      const running = await this.all("SELECT id, host, pid, lock_owner FROM runs WHERE status = 'running' ORDER BY id");
      const liveOwners = new Set(
        (await this.all("SELECT owner FROM locks WHERE expires_at > ?", [finishedAt])).map((r) => String(r["owner"])).filter((owner) => !ownerIsDead(owner)),
      );
      const recovered: number[] = [];
      for (const row of running) {
        const id = Number(row["id"]);
        const lockOwner = row["lock_owner"];
        if (typeof lockOwner === "string") {
          // A run whose agent still renews its locks is in progress, on this host or another.
          if (liveOwners.has(lockOwner)) continue;
        } else {
          // Runs started without locks: a live process on this host still owns it.
          const pid = Number(row["pid"]);
          if (row["host"] === hostname() && pid !== process.pid && isAlive(pid)) continue;
        }
        // A run that did not finish is never read as a result: the findings it judged before it
        // stopped go with it. Control results and measurements are only written by finishRun, in
        // the transaction that ends a run, so any found here were written behind the agent's back;
        // sealing either into the chain would vouch for them.
        const discarded = (await this.run("DELETE FROM findings WHERE run_id = ?", [id])).changes;
        let forged = 0;
        for (const table of ["control_results", "objective_measurements"]) {
          forged += (await this.run(`DELETE FROM ${table} WHERE run_id = ?`, [id])).changes;
        }
        await this.finalise(id, {
          status: "interrupted",
          finishedAt,
          error:
            "The agent stopped before this run finished (crash, kill or power loss); it has no results." +
            (discarded > 0 ? ` The ${discarded} findings judged before it stopped were discarded with it.` : "") +
            (forged > 0 ? ` ${forged} result rows that the agent never wrote were found on it and removed.` : ""),
        });
        recovered.push(id);
      }
      return recovered;
    });
  }

  async startRun(input: StartRunInput): Promise<RunRecord> {
    return this.transaction("start a run", async () => {
      const { lastID } = await this.run(
        "INSERT INTO runs (started_at, status, organization, host, pid, sources, lock_owner) VALUES (?, 'running', ?, ?, ?, ?, ?)",
        [input.startedAt, input.organization, hostname(), process.pid, JSON.stringify([...(input.sources ?? [])].sort()), input.lockOwner ?? null],
      );
      if (input.context) {
        const content = canonicalJson(input.context);
        await this.run("INSERT INTO run_context (run_id, content, sha256) VALUES (?, ?, ?)", [lastID, content, sha256(content)]);
      }
      const run = await this.requireRun(lastID);
      this.runningFindingsDigests.set(run.id, { hash: createHash("sha256").update("["), first: true });
      return run;
    });
  }

  async saveCollectorResult(runId: number, outcome: CollectorOutcome, evidence: readonly Evidence[]): Promise<StoredEvidence[]> {
    return this.transaction(`save evidence of ${outcome.collector}`, async () => {
      await this.run(
        `INSERT INTO collector_runs (run_id, collector, source, source_type, account, region, status, error, started_at, finished_at, produces)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          runId,
          outcome.collector,
          outcome.source,
          outcome.sourceType,
          outcome.account,
          outcome.region,
          outcome.status,
          outcome.error,
          outcome.startedAt,
          outcome.finishedAt,
          JSON.stringify(outcome.produces),
        ],
      );
      const stored: StoredEvidence[] = [];
      for (const item of evidence) {
        const payload = canonicalJson(item.payload);
        const digest = sha256(payload);
        const { lastID } = await this.run(
          `INSERT INTO evidence (run_id, source, source_type, account, region, kind, api_call, collected_at, payload, sha256)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [runId, item.source, item.sourceType, item.account, item.region, item.kind, item.apiCall, item.collectedAt, payload, digest],
        );
        stored.push({ ...item, payload: JSON.parse(payload) as unknown, id: lastID, sha256: digest });
      }
      return stored;
    });
  }

  /**
   * Inserts findings in order, in multi-row batches, and feeds the run's running digest with them
   * as they will read back. Must run inside a transaction.
   */
  private async insertFindings(runId: number, findings: readonly Finding[]): Promise<void> {
    const running = this.runningFindingsDigests.get(runId);
    if (running) {
      for (const finding of findings) {
        running.hash.update(`${running.first ? "" : ","}${canonicalJson(findingDigestRow(asStored(finding)))}`);
        running.first = false;
      }
    } else if (findings.length > 0) {
      this.runningFindingsDigests.set(runId, null);
    }
    await this.insertRows(
      "findings",
      ["run_id", "check_id", "source", "source_type", "account", "region", "resource_id", "status", "reason", "evidence_sha256", "controls", "exception"],
      findings.map((f) => [
        runId,
        f.checkId,
        f.source,
        f.sourceType,
        f.account,
        f.region,
        f.resourceId,
        f.status,
        f.reason,
        f.evidenceSha256,
        f.controls ? JSON.stringify(f.controls) : null,
        f.exception ? JSON.stringify(f.exception) : null,
      ]),
    );
  }

  async saveFindings(runId: number, findings: readonly Finding[]): Promise<void> {
    if (findings.length === 0) return;
    try {
      await this.transaction(`save findings of run ${runId}`, async () => {
        const current = await this.requireRun(runId);
        if (current.status !== "running") throw new StoreError(this.location, `run ${runId} is already ${current.status}; refusing to add findings to it`);
        await this.insertFindings(runId, findings);
      });
    } catch (error) {
      // Rolled back, or not known to be committed: the running digest can no longer be trusted.
      this.runningFindingsDigests.set(runId, null);
      throw error;
    }
  }

  async finishRun(runId: number, input: FinishRunInput): Promise<RunRecord> {
    return this.transaction(`finish run ${runId}`, async () => {
      const current = await this.requireRun(runId);
      if (current.status !== "running") {
        throw new StoreError(this.location, `run ${runId} is already ${current.status}; refusing to finish it again`);
      }
      await this.insertFindings(runId, input.findings);
      await this.insertRows(
        "control_results",
        ["run_id", "control_id", "status", "coverage", "checks", "pass", "fail", "error", "not_applicable", "excepted", "justification", "elements"],
        input.controls.map((c) => [
          runId,
          c.controlId,
          c.status,
          c.coverage,
          JSON.stringify(c.checks),
          c.counts.pass,
          c.counts.fail,
          c.counts.error,
          c.counts.not_applicable,
          c.counts.excepted,
          c.justification ?? null,
          c.elements ? JSON.stringify(c.elements) : null,
        ]),
      );
      await this.insertRows(
        "objective_measurements",
        ["run_id", "objective_id", "title", "owner", "metric", "value", "numerator", "denominator", "errors", "target", "deadline", "status", "measured_at"],
        input.objectives.map((o) => [
          runId,
          o.objectiveId,
          o.title,
          o.owner,
          o.metric,
          o.value,
          o.numerator,
          o.denominator,
          o.errors,
          o.target,
          o.deadline,
          o.status,
          o.measuredAt,
        ]),
      );
      return this.finalise(runId, { status: input.status, finishedAt: input.finishedAt, error: input.error ?? null });
    }).catch((error: unknown) => {
      // Rolled back: findings it fed into the running digest are not stored.
      if (this.runningFindingsDigests.has(runId)) this.runningFindingsDigests.set(runId, null);
      throw error;
    });
  }

  /** Sets the final status and links the run into the hash chain. Must run inside a transaction. */
  private async finalise(runId: number, end: { status: RunRecord["status"]; finishedAt: string; error: string | null }): Promise<RunRecord> {
    const head = await this.get("SELECT hash, chain_seq FROM runs WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1");
    const prevHash = head ? String(head["hash"]) : GENESIS_HASH;
    const seq = head ? Number(head["chain_seq"]) + 1 : 1;
    const ledger = await this.get("SELECT seq FROM ledger ORDER BY seq DESC LIMIT 1");
    await this.run("UPDATE runs SET status = ?, finished_at = ?, error = ?, hash_version = 2, ledger_seq = ? WHERE id = ?", [
      end.status,
      end.finishedAt,
      end.error,
      ledger ? Number(ledger["seq"]) : 0,
      runId,
    ]);
    const run = await this.requireRun(runId);
    const hash = await this.computeRunHash(run, prevHash);
    this.runningFindingsDigests.delete(runId);
    await this.run("UPDATE runs SET hash = ?, prev_hash = ?, chain_seq = ? WHERE id = ?", [hash, prevHash, seq, runId]);
    return { ...run, hash, prevHash, chainSeq: seq };
  }

  private async sealOf(runId: number): Promise<z.infer<typeof runSealSchema>> {
    return runSealSchema.parse(await this.get("SELECT host, hash_version, ledger_seq, pruned_inputs, pruned_at FROM runs WHERE id = ?", [runId]));
  }

  private async computeRunHash(run: RunRecord, prevHash: string, known?: z.infer<typeof runSealSchema>): Promise<string> {
    const seal = known ?? (await this.sealOf(run.id));
    if (seal.hash_version === 2) return this.computeRunHashV2(run, prevHash, seal);
    const pruned = seal.pruned_inputs === null ? null : prunedInputsSchema.parse(JSON.parse(seal.pruned_inputs));
    const evidence = pruned
      ? pruned.evidenceSha256
      : (await this.all("SELECT sha256 FROM evidence WHERE run_id = ? ORDER BY id", [run.id])).map((e) => String(e["sha256"]));
    return runHash({
      prevHash,
      runId: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt ?? "",
      status: run.status,
      organization: run.organization,
      evidenceSha256: evidence,
      findingsDigest: pruned ? pruned.findingsDigest : await this.findingsDigestUnlocked(run.id),
      controlsDigest: rowsDigest((await this.controlResultsUnlocked(run.id)).map(controlDigestRow)),
      objectivesDigest: rowsDigest(await this.objectiveMeasurementsUnlocked(run.id)),
      contextDigest: await this.contextDigestUnlocked(run.id),
    });
  }

  private async computeRunHashV2(run: RunRecord, prevHash: string, seal: z.infer<typeof runSealSchema>): Promise<string> {
    const pruned = seal.pruned_inputs === null ? null : prunedInputsV2Schema.parse(JSON.parse(seal.pruned_inputs));
    const digests = pruned ?? (await this.rowDigestsUnlocked(run.id));
    const ledgerSeq = seal.ledger_seq ?? 0;
    const head = ledgerSeq === 0 ? { hash: GENESIS_HASH } : await this.get("SELECT hash FROM ledger WHERE seq = ?", [ledgerSeq]);
    return runHashV2({
      prevHash,
      runId: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt ?? "",
      status: run.status,
      organization: run.organization,
      error: run.error,
      host: seal.host,
      sources: run.sources,
      ...digests,
      controlsDigest: rowsDigest((await this.controlResultsUnlocked(run.id)).map(controlDigestRow)),
      objectivesDigest: rowsDigest(await this.objectiveMeasurementsUnlocked(run.id)),
      contextDigest: await this.contextDigestUnlocked(run.id),
      // A missing ledger entry cannot reproduce the hash: verify names it first.
      ledgerHead: head ? String(head["hash"]) : "missing",
    });
  }

  /**
   * The digest of a run's findings, read a page at a time: the same bytes as rowsDigest over all
   * of them (a canonical JSON array is its items joined by commas), without holding them all.
   */
  private async findingsDigestUnlocked(runId: number): Promise<string> {
    const running = this.runningFindingsDigests.get(runId);
    if (running) return running.hash.copy().update("]").digest("hex");
    const hash = createHash("sha256").update("[");
    let first = true;
    for await (const finding of this.findingsById(runId, (sql, params) => this.all(sql, params))) {
      hash.update(`${first ? "" : ","}${canonicalJson(findingDigestRow(finding))}`);
      first = false;
    }
    return hash.update("]").digest("hex");
  }

  /**
   * A run's findings in the order they were stored, a page at a time. `page` runs each page's
   * query: directly inside a transaction, or queued behind the writers as a read.
   */
  private async *findingsById(runId: number, page: (sql: string, params: unknown[]) => Promise<Row[]>): AsyncIterable<Finding> {
    let lastId = 0;
    for (;;) {
      const rows = await page("SELECT * FROM findings WHERE run_id = ? AND id > ? ORDER BY id LIMIT 2000", [runId, lastId]);
      for (const raw of rows) yield toFinding(raw);
      const last = rows.at(-1);
      if (rows.length < 2000 || !last) return;
      lastId = Number(last["id"]);
    }
  }

  /** Digests of the rows that retention deletes: evidence headers with their digests, findings, collector outcomes. */
  private async rowDigestsUnlocked(runId: number): Promise<{ evidenceDigest: string; findingsDigest: string; outcomesDigest: string }> {
    const evidence = (
      await this.all(
        "SELECT id, source, source_type, account, region, kind, api_call, collected_at, '' AS payload, sha256 FROM evidence WHERE run_id = ? ORDER BY id",
        [runId],
      )
    ).map((raw) => {
      const { id: _id, ...header } = toEvidenceHeader(evidenceRowSchema.parse(raw));
      return header;
    });
    return {
      evidenceDigest: rowsDigest(evidence),
      findingsDigest: await this.findingsDigestUnlocked(runId),
      outcomesDigest: rowsDigest(await this.collectorOutcomesUnlocked(runId)),
    };
  }

  // --- the ledger -------------------------------------------------------------------------------

  /** Appends one entry to the ledger. Must run inside a transaction. */
  private async appendLedger(kind: LedgerKind, ref: string, at: string, content: unknown): Promise<void> {
    const last = await this.get("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1");
    const entry = {
      seq: last ? Number(last["seq"]) + 1 : 1,
      kind,
      ref,
      at,
      contentSha256: sha256(canonicalJson(content)),
      prevHash: last ? String(last["hash"]) : GENESIS_HASH,
    };
    await this.run("INSERT INTO ledger (seq, kind, ref, at, content_sha256, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)", [
      entry.seq,
      entry.kind,
      entry.ref,
      entry.at,
      entry.contentSha256,
      entry.prevHash,
      ledgerHash(entry),
    ]);
  }

  /** What a ledger entry of this kind commits to, read from the rows as they are now; null when the row is gone. */
  private async ledgerContent(kind: LedgerKind, ref: string): Promise<unknown> {
    switch (kind) {
      case "manual_evidence": {
        const raw = await this.get("SELECT id, control_id, file_name, size, sha256, note, valid_until, added_at, element FROM manual_evidence WHERE id = ?", [
          Number(ref),
        ]);
        if (!raw) return null;
        return toManualEvidence(raw);
      }
      case "exception": {
        const raw = await this.get("SELECT * FROM exceptions WHERE id = ?", [ref]);
        return raw ? exceptionRowSchema.parse(raw) : null;
      }
      case "drift": {
        const rows = await this.all("SELECT * FROM drift_events WHERE run_id = ? ORDER BY id", [Number(ref)]);
        return rows.length === 0 ? null : { runId: Number(ref), events: rows.map((r) => ({ id: Number(r["id"]), ...driftRowSchema.parse(r) })) };
      }
      case "alert_delivery": {
        const raw = await this.get("SELECT * FROM alert_deliveries WHERE id = ?", [Number(ref)]);
        return raw ? { id: Number(ref), ...deliveryRowSchema.parse(raw) } : null;
      }
      case "prune": {
        const raw = await this.get("SELECT pruned_at, pruned_inputs FROM runs WHERE id = ?", [Number(ref)]);
        const prunedAt = raw?.["pruned_at"];
        const inputs = raw?.["pruned_inputs"];
        if (typeof prunedAt !== "string" || typeof inputs !== "string") return null;
        return { runId: Number(ref), prunedAt, prunedInputs: JSON.parse(inputs) as unknown };
      }
      case "register": {
        const raw = await this.get("SELECT * FROM register_records WHERE seq = ?", [Number(ref)]);
        return raw ? registerRowSchema.parse(raw) : null;
      }
      case "run_summary": {
        const raw = await this.get("SELECT run_id, started_at, content, registers FROM run_summaries WHERE run_id = ?", [Number(ref)]);
        return raw ?? null;
      }
    }
  }

  /** Brings rows stored before the ledger existed into it, oldest first (schema 6). Must run inside a transaction. */
  private async adoptIntoLedger(): Promise<void> {
    // Manual evidence is the one register with a digest of its own: adopt none whose file no longer matches it.
    for (const row of await this.all("SELECT id, control_id, file_name, sha256, content FROM manual_evidence ORDER BY id")) {
      if (sha256(row["content"] as Buffer) !== row["sha256"]) {
        throw new StoreError(
          this.location,
          `holds manual evidence ${String(row["id"])} (${String(row["file_name"])} for ${String(row["control_id"])}) that does not match its sha256; refusing to record it in the ledger. Nothing was changed`,
        );
      }
    }
    const at = new Date().toISOString();
    const refs: [LedgerKind, string][] = [
      ...(await this.all("SELECT id FROM manual_evidence ORDER BY id")).map((r): [LedgerKind, string] => ["manual_evidence", String(r["id"])]),
      ...(await this.all("SELECT id FROM exceptions ORDER BY created_at, id")).map((r): [LedgerKind, string] => ["exception", String(r["id"])]),
      ...(await this.all("SELECT DISTINCT run_id FROM drift_events ORDER BY run_id")).map((r): [LedgerKind, string] => ["drift", String(r["run_id"])]),
      ...(await this.all("SELECT id FROM alert_deliveries ORDER BY id")).map((r): [LedgerKind, string] => ["alert_delivery", String(r["id"])]),
      ...(await this.all("SELECT id FROM runs WHERE pruned_at IS NOT NULL AND pruned_inputs IS NOT NULL ORDER BY id")).map((r): [LedgerKind, string] => [
        "prune",
        String(r["id"]),
      ]),
    ];
    for (const [kind, ref] of refs) await this.appendLedger(kind, ref, at, await this.ledgerContent(kind, ref));
  }

  /** The digest of the run's stored context, recomputed from its content (so editing the content breaks the run hash). */
  private async contextDigestUnlocked(runId: number): Promise<string | null> {
    const row = await this.get("SELECT content FROM run_context WHERE run_id = ?", [runId]);
    return row ? sha256(String(row["content"])) : null;
  }

  ledgerHead(): Promise<string | null> {
    return this.read("the ledger head", async () => {
      const row = await this.get("SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1");
      return row ? String(row["hash"]) : null;
    });
  }

  runContext(runId: number): Promise<RunContext | null> {
    return this.read(`the context of run ${runId}`, async () => {
      const row = await this.get("SELECT content FROM run_context WHERE run_id = ?", [runId]);
      if (!row) return null;
      const parsed = runContextSchema.safeParse(JSON.parse(String(row["content"])));
      if (!parsed.success)
        throw new StoreError(this.location, `holds a context for run ${runId} in an unexpected shape (${parsed.error.issues[0]?.message ?? "invalid"})`);
      return parsed.data;
    });
  }

  private async requireRun(id: number): Promise<RunRecord> {
    const run = await this.getRunUnlocked(id);
    if (!run) throw new StoreError(this.location, `run ${id} does not exist`);
    return run;
  }

  private async getRunUnlocked(id: number): Promise<RunRecord | undefined> {
    const row = await this.get("SELECT * FROM runs WHERE id = ?", [id]);
    return row ? toRun(row) : undefined;
  }

  getRun(id: number): Promise<RunRecord | undefined> {
    return this.read(`run ${id}`, () => this.getRunUnlocked(id));
  }

  latestFinishedRun(): Promise<RunRecord | undefined> {
    return this.read("the latest run", async () => {
      const row = await this.get(
        "SELECT * FROM runs WHERE status IN ('completed', 'partial', 'failed') AND chain_seq IS NOT NULL AND hash IS NOT NULL ORDER BY id DESC LIMIT 1",
      );
      return row ? toRun(row) : undefined;
    });
  }

  listRuns(): Promise<RunRecord[]> {
    return this.read("runs", async () => (await this.all("SELECT * FROM runs ORDER BY id")).map(toRun));
  }

  // --- run contents -------------------------------------------------------------------------

  evidence(runId: number): Promise<StoredEvidence[]> {
    return this.read(`evidence of run ${runId}`, async () =>
      (await this.all("SELECT * FROM evidence WHERE run_id = ? ORDER BY id", [runId])).map((raw) => {
        const row = evidenceRowSchema.parse(raw);
        return { ...toEvidenceHeader(row), payload: JSON.parse(row.payload) as unknown };
      }),
    );
  }

  evidenceIndex(runId: number): Promise<Omit<StoredEvidence, "payload">[]> {
    return this.read(`evidence index of run ${runId}`, async () =>
      (
        await this.all(
          "SELECT id, source, source_type, account, region, kind, api_call, collected_at, '' AS payload, sha256 FROM evidence WHERE run_id = ? ORDER BY id",
          [runId],
        )
      ).map((raw) => toEvidenceHeader(evidenceRowSchema.parse(raw))),
    );
  }

  collectorOutcomes(runId: number): Promise<CollectorOutcome[]> {
    return this.read(`collector outcomes of run ${runId}`, () => this.collectorOutcomesUnlocked(runId));
  }

  private async collectorOutcomesUnlocked(runId: number): Promise<CollectorOutcome[]> {
    return (await this.all("SELECT * FROM collector_runs WHERE run_id = ? ORDER BY id", [runId])).map((raw) => {
      const row = outcomeRowSchema.parse(raw);
      return {
        collector: row.collector,
        source: row.source,
        sourceType: row.source_type,
        account: row.account,
        region: row.region,
        status: row.status,
        error: row.error,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        produces: z.array(z.string()).parse(JSON.parse(row.produces)),
      };
    });
  }

  findings(runId: number): Promise<Finding[]> {
    return this.read(`findings of run ${runId}`, () => this.findingsUnlocked(runId));
  }

  private async findingsUnlocked(runId: number): Promise<Finding[]> {
    return (await this.all("SELECT * FROM findings WHERE run_id = ? ORDER BY id", [runId])).map(toFinding);
  }

  findingsInStoredOrder(runId: number): AsyncIterable<Finding> {
    return this.findingsById(runId, (sql, params) => this.read(`findings of run ${runId}`, () => this.all(sql, params)));
  }

  /** A run's findings ordered by (check, source, account, region, resource, id), a page at a time. */
  async *findingsInKeyOrder(runId: number, keys?: readonly DriftKey[]): AsyncIterable<Finding> {
    const columns = "check_id, source, account, region, resource_id";
    if (keys) {
      for await (const raw of this.rowsOfKeys(`findings of run ${runId}`, runId, columns, keys, "*", `${columns}, id`)) yield toFinding(raw);
      return;
    }
    let after: unknown[] | null = null;
    for (;;) {
      const page: Row[] = await this.read(`findings of run ${runId}`, () =>
        this.all(
          `SELECT * FROM findings WHERE run_id = ?${after ? " AND (check_id, source, account, region, resource_id, id) > (?, ?, ?, ?, ?, ?)" : ""}
           ORDER BY check_id, source, account, region, resource_id, id LIMIT 2000`,
          [runId, ...(after ?? [])],
        ),
      );
      for (const raw of page) yield toFinding(raw);
      const last = page.at(-1);
      if (page.length < 2000 || !last) return;
      after = [last["check_id"], last["source"], last["account"], last["region"], last["resource_id"], last["id"]];
    }
  }

  /** A run's resources ordered by (source, account, region, resource), with the check that last judged each. */
  async *resourcesInKeyOrder(runId: number, keys?: readonly DriftKey[]): AsyncIterable<ResourceSeen> {
    const judgedBy = `(SELECT j.check_id FROM findings j WHERE j.run_id = f.run_id AND j.source = f.source AND j.account = f.account AND j.region = f.region
                         AND j.resource_id = f.resource_id AND j.status != 'error' ORDER BY j.id DESC LIMIT 1) AS judged_by`;
    const toResource = (row: Row): ResourceSeen => ({
      source: String(row["source"]),
      account: String(row["account"]),
      region: String(row["region"]),
      resourceId: String(row["resource_id"]),
      judgedBy: typeof row["judged_by"] === "string" ? row["judged_by"] : null,
    });
    if (keys) {
      const columns = "source, account, region, resource_id";
      for await (const row of this.rowsOfKeys(`resources of run ${runId}`, runId, columns, keys, `${columns}, ${judgedBy}`, columns, columns)) {
        yield toResource(row);
      }
      return;
    }
    let after: unknown[] | null = null;
    for (;;) {
      const page: Row[] = await this.read(`resources of run ${runId}`, () =>
        this.all(
          `SELECT source, account, region, resource_id, ${judgedBy}
           FROM findings f WHERE run_id = ?${after ? " AND (source, account, region, resource_id) > (?, ?, ?, ?)" : ""}
           GROUP BY source, account, region, resource_id ORDER BY source, account, region, resource_id LIMIT 2000`,
          [runId, ...(after ?? [])],
        ),
      );
      for (const row of page) yield toResource(row);
      const last = page.at(-1);
      if (page.length < 2000 || !last) return;
      after = [last["source"], last["account"], last["region"], last["resource_id"]];
    }
  }

  /**
   * The rows of a run whose `columns` equal one of `keys` (given in key order), a batch of keys at
   * a time: batches follow the keys' order, so the rows come in key order too.
   */
  private async *rowsOfKeys(
    what: string,
    runId: number,
    columns: string,
    keys: readonly DriftKey[],
    select: string,
    orderBy: string,
    groupBy?: string,
  ): AsyncIterable<Row> {
    const width = columns.split(",").length;
    for (let i = 0; i < keys.length; i += 200) {
      const batch = keys.slice(i, i + 200);
      const values = batch.map(() => `(${Array.from({ length: width }, () => "?").join(", ")})`).join(", ");
      const rows = await this.read(what, () =>
        this.all(
          `SELECT ${select} FROM findings f WHERE run_id = ? AND (${columns}) IN (VALUES ${values})${groupBy ? ` GROUP BY ${groupBy}` : ""} ORDER BY ${orderBy}`,
          [runId, ...batch.flat()],
        ),
      );
      yield* rows;
    }
  }

  driftCandidates(previousRunId: number, runId: number): Promise<{ findings: DriftKey[]; resources: DriftKey[] }> {
    return this.read(`what differs between runs ${previousRunId} and ${runId}`, async () => {
      const key = "check_id, source, account, region, resource_id";
      const keyed = (run: number, extra = "") => `SELECT ${key}${extra} FROM findings WHERE run_id = ${run}`;
      const findings = await this.all(
        `SELECT ${key} FROM (${keyed(runId, ", status")} EXCEPT ${keyed(previousRunId, ", status")})
         UNION SELECT ${key} FROM (${keyed(previousRunId, ", status")} EXCEPT ${keyed(runId, ", status")})
         UNION SELECT ${key} FROM findings WHERE run_id IN (${previousRunId}, ${runId}) GROUP BY run_id, ${key} HAVING COUNT(*) > 1
         ORDER BY 1, 2, 3, 4, 5`,
      );
      const resource = "source, account, region, resource_id";
      const resources = await this.all(
        `SELECT ${resource} FROM findings WHERE run_id = ${runId} EXCEPT SELECT ${resource} FROM findings WHERE run_id = ${previousRunId}
         UNION SELECT ${resource} FROM (SELECT ${resource} FROM findings WHERE run_id = ${previousRunId} EXCEPT SELECT ${resource} FROM findings WHERE run_id = ${runId})
         ORDER BY 1, 2, 3, 4`,
      );
      const parts = (row: Row, names: string) => names.split(", ").map((name) => String(row[name]));
      return { findings: findings.map((row) => parts(row, key)), resources: resources.map((row) => parts(row, resource)) };
    });
  }

  failingFindingKeys(runId: number): Promise<Set<string>> {
    return this.read(`failing findings of run ${runId}`, async () => {
      const rows = await this.all("SELECT check_id, source, account, region, resource_id FROM findings WHERE run_id = ? AND status = 'fail'", [runId]);
      return new Set(
        rows.map((row) =>
          findingKey({
            checkId: String(row["check_id"]),
            source: String(row["source"]),
            account: String(row["account"]),
            region: String(row["region"]),
            resourceId: String(row["resource_id"]),
          }),
        ),
      );
    });
  }

  freshnessInputs(runId: number): Promise<Pick<Finding, "checkId" | "controls" | "evidenceSha256" | "status">[]> {
    return this.read(`findings of run ${runId}`, async () =>
      (
        await this.all(
          "SELECT DISTINCT check_id, controls, evidence_sha256 FROM findings WHERE run_id = ? AND status != 'error' AND evidence_sha256 IS NOT NULL ORDER BY check_id, controls, evidence_sha256",
          [runId],
        )
      ).map((row) => ({
        checkId: String(row["check_id"]),
        controls: typeof row["controls"] === "string" ? stringList.parse(JSON.parse(row["controls"])) : null,
        evidenceSha256: String(row["evidence_sha256"]),
        status: "pass" as const,
      })),
    );
  }

  /** `check:source:account:region` of every error finding of a run. */
  unjudgedCheckScopes(runId: number): Promise<Set<string>> {
    return this.read(`error findings of run ${runId}`, async () => {
      const rows = await this.all("SELECT DISTINCT check_id, source, account, region FROM findings WHERE run_id = ? AND status = 'error'", [runId]);
      return new Set(
        rows.map((r) =>
          checkScopeKey({ checkId: String(r["check_id"]), source: String(r["source"]), account: String(r["account"]), region: String(r["region"]) }),
        ),
      );
    });
  }

  controlResults(runId: number): Promise<ControlResult[]> {
    return this.read(`control results of run ${runId}`, () => this.controlResultsUnlocked(runId));
  }

  private async controlResultsUnlocked(runId: number): Promise<ControlResult[]> {
    return (await this.all("SELECT * FROM control_results WHERE run_id = ? ORDER BY id", [runId])).map((raw) => {
      const row = controlRowSchema.parse(raw);
      return {
        controlId: row.control_id,
        status: row.status,
        coverage: row.coverage,
        checks: stringList.parse(JSON.parse(row.checks)),
        counts: { pass: row.pass, fail: row.fail, error: row.error, not_applicable: row.not_applicable, excepted: row.excepted },
        justification: row.justification,
        ...(row.elements === null ? {} : { elements: elementResultsSchema.parse(JSON.parse(row.elements)) }),
      };
    });
  }

  objectiveMeasurements(runId: number): Promise<ObjectiveMeasurement[]> {
    return this.read(`objective measurements of run ${runId}`, () => this.objectiveMeasurementsUnlocked(runId));
  }

  private async objectiveMeasurementsUnlocked(runId: number): Promise<ObjectiveMeasurement[]> {
    return (await this.all("SELECT * FROM objective_measurements WHERE run_id = ? ORDER BY id", [runId])).map(toMeasurement);
  }

  objectiveHistory(objectiveId: string, beforeRunId: number): Promise<(ObjectiveMeasurement & { runId: number })[]> {
    return this.read(`history of objective ${objectiveId}`, async () =>
      (
        await this.all(
          `SELECT m.* FROM objective_measurements m JOIN runs r ON r.id = m.run_id
           WHERE m.objective_id = ? AND m.run_id < ? AND r.status IN ('completed', 'partial') AND r.chain_seq IS NOT NULL AND r.hash IS NOT NULL
             AND COALESCE(r.sources, '[]') = (SELECT COALESCE(sources, '[]') FROM runs WHERE id = ?)
           ORDER BY m.measured_at, m.run_id`,
          [objectiveId, beforeRunId, beforeRunId],
        )
      ).map((row) => ({ ...toMeasurement(row), runId: Number(row["run_id"]) })),
    );
  }

  // --- integrity ----------------------------------------------------------------------------

  verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return this.read("the hash chain", async () => {
      let runsChecked = 0;
      let evidenceChecked = 0;
      const fail = (problem: string): VerifyResult => ({ ok: false, runsChecked, evidenceChecked, problem });

      // A finished run outside the chain could say anything: reports never read one, and verify names it.
      const unchained = await this.get(`SELECT id, status FROM runs WHERE status IN ${FINISHED} AND (chain_seq IS NULL OR hash IS NULL) ORDER BY id LIMIT 1`);
      if (unchained) {
        return fail(
          `run ${String(unchained["id"])} is marked ${String(unchained["status"])} but is not in the hash chain (no chain position or hash): it was not finished by the agent`,
        );
      }

      // The ledger first: runs' hashes include its head.
      const ledger = await this.verifyLedger();
      if (ledger) return fail(ledger);

      let prevHash = GENESIS_HASH;
      const chained = await this.all("SELECT id, chain_seq FROM runs WHERE chain_seq IS NOT NULL ORDER BY chain_seq");
      for (const [index, { id, chain_seq }] of chained.entries()) {
        const run = await this.requireRun(Number(id));
        const rows = await this.all("SELECT id, kind, api_call, account, payload, sha256 FROM evidence WHERE run_id = ? ORDER BY id", [run.id]);
        for (const row of rows) {
          evidenceChecked++;
          if (sha256(String(row["payload"])) !== row["sha256"]) {
            return fail(
              `evidence record ${String(row["id"])} of run ${run.id} (${String(row["kind"])}, ${String(row["api_call"])}, account ${String(row["account"])}) does not match its sha256: its payload was changed after it was stored`,
            );
          }
        }
        if (run.prevHash !== prevHash) {
          return fail(`run ${run.id} does not link to the run before it in the chain (its previous-hash was changed, or a run was removed)`);
        }
        if (Number(chain_seq) !== index + 1)
          return fail(`run ${run.id} is at chain position ${String(chain_seq)} where ${index + 1} was expected: a run was removed or moved`);
        const seal = await this.sealOf(run.id);
        const pruning = await this.checkPruned(run.id, seal);
        if (pruning) return fail(pruning);
        if (seal.hash_version === 2 && (seal.ledger_seq ?? 0) > 0 && !(await this.get("SELECT seq FROM ledger WHERE seq = ?", [seal.ledger_seq]))) {
          return fail(`run ${run.id} sealed ledger entry ${String(seal.ledger_seq)}, which is no longer in the ledger`);
        }
        const expected = await this.computeRunHash(run, prevHash, seal);
        if (expected !== run.hash) {
          return fail(
            `run ${run.id} does not match its recorded hash: its header, evidence list, findings, control results, objective measurements` +
              (seal.hash_version === 2 ? ", collector outcomes, evidence headers or the context it was judged with" : "") +
              " were changed after it finished",
          );
        }
        prevHash = run.hash ?? "";
        runsChecked++;
      }
      for (const row of await this.all("SELECT id, control_id, file_name, sha256, content FROM manual_evidence ORDER BY id")) {
        evidenceChecked++;
        if (sha256(row["content"] as Buffer) !== row["sha256"]) {
          return fail(
            `manual evidence ${String(row["id"])} (${String(row["file_name"])} for ${String(row["control_id"])}) does not match its sha256: the file was changed after it was added`,
          );
        }
      }
      const head = runsChecked > 0 ? prevHash : null;
      if (options.expectHead !== undefined) {
        const expected = options.expectHead.trim().toLowerCase();
        const held =
          (await this.get("SELECT id FROM runs WHERE chain_seq IS NOT NULL AND hash = ?", [expected])) ??
          (await this.get("SELECT seq FROM ledger WHERE hash = ?", [expected]));
        if (!held) {
          return fail(
            `the expected chain head ${expected} is neither a run's hash nor a ledger entry's: the run or entry it sealed, and every one after it, were removed (or this is another store)`,
          );
        }
      }
      return { ok: true, runsChecked, evidenceChecked, head };
    });
  }

  /** Pruning is recorded in the ledger, and a pruned run really has no rows left; null when consistent. */
  private async checkPruned(runId: number, seal: z.infer<typeof runSealSchema>): Promise<string | null> {
    const recorded = await this.get("SELECT seq FROM ledger WHERE kind = 'prune' AND ref = ? ORDER BY seq DESC LIMIT 1", [String(runId)]);
    if (seal.pruned_inputs === null && seal.pruned_at === null) {
      return recorded ? `run ${runId} was pruned (ledger entry ${String(recorded["seq"])}), but its pruning record was removed from the run` : null;
    }
    if (!recorded) return `run ${runId} is marked as pruned, but no prune of it is recorded in the ledger: its retention record was written by hand`;
    if (seal.pruned_inputs === null || seal.pruned_at === null) return `run ${runId} has half a pruning record (pruned_at or pruned_inputs missing)`;
    for (const table of ["evidence", "findings", "collector_runs"]) {
      const left = await this.get(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`, [runId]);
      if (Number(left?.["n"] ?? 0) > 0)
        return `run ${runId} is recorded as pruned, but ${String(left?.["n"])} rows of ${table} are still stored for it: they were put back or changed by hand`;
    }
    return null;
  }

  /** Walks the ledger: links, hashes, each entry against the row it records, and every row recorded; null when intact. */
  private async verifyLedger(): Promise<string | null> {
    let prevHash = GENESIS_HASH;
    let seq = 0;
    const latestDrift = new Map<string, string>();
    for (const row of await this.all("SELECT * FROM ledger ORDER BY seq")) {
      seq++;
      const entry = ledgerRowSchema.parse(row);
      if (entry.seq !== seq) return `ledger entry ${seq} is missing (the next is ${entry.seq}): an entry was removed`;
      if (entry.prev_hash !== prevHash) return `ledger entry ${entry.seq} does not link to the entry before it`;
      const input = { seq: entry.seq, kind: entry.kind, ref: entry.ref, at: entry.at, contentSha256: entry.content_sha256, prevHash: entry.prev_hash };
      if (ledgerHash(input) !== entry.hash) return `ledger entry ${entry.seq} (${entry.kind} ${entry.ref}) does not match its hash: it was changed`;
      prevHash = entry.hash;
      // Drift of a run is recorded once per save; the latest entry is what its rows must match.
      if (entry.kind === "drift") {
        latestDrift.set(entry.ref, entry.content_sha256);
        continue;
      }
      const content = await this.ledgerContent(entry.kind, entry.ref);
      if (content === null) return `${LEDGER_NOUN[entry.kind]} ${entry.ref} recorded in ledger entry ${entry.seq} is gone: it was deleted`;
      if (sha256(canonicalJson(content)) !== entry.content_sha256)
        return `${LEDGER_NOUN[entry.kind]} ${entry.ref} does not match ledger entry ${entry.seq}: it was changed after it was recorded`;
    }
    for (const [runId, digest] of latestDrift) {
      const content = await this.ledgerContent("drift", runId);
      if (content === null || sha256(canonicalJson(content)) !== digest)
        return `the drift events of run ${runId} do not match the ledger: they were changed or deleted after they were recorded`;
    }
    const unrecorded: [string, string][] = [
      ["SELECT id AS ref FROM manual_evidence WHERE CAST(id AS TEXT) NOT IN (SELECT ref FROM ledger WHERE kind = 'manual_evidence')", "manual_evidence"],
      ["SELECT id AS ref FROM exceptions WHERE id NOT IN (SELECT ref FROM ledger WHERE kind = 'exception')", "exception"],
      ["SELECT DISTINCT run_id AS ref FROM drift_events WHERE CAST(run_id AS TEXT) NOT IN (SELECT ref FROM ledger WHERE kind = 'drift')", "drift"],
      ["SELECT id AS ref FROM alert_deliveries WHERE CAST(id AS TEXT) NOT IN (SELECT ref FROM ledger WHERE kind = 'alert_delivery')", "alert_delivery"],
      ["SELECT seq AS ref FROM register_records WHERE CAST(seq AS TEXT) NOT IN (SELECT ref FROM ledger WHERE kind = 'register')", "register"],
      ["SELECT run_id AS ref FROM run_summaries WHERE CAST(run_id AS TEXT) NOT IN (SELECT ref FROM ledger WHERE kind = 'run_summary')", "run_summary"],
    ];
    for (const [sql, kind] of unrecorded) {
      const row = await this.get(`${sql} LIMIT 1`);
      if (row) return `${LEDGER_NOUN[kind as LedgerKind]} ${String(row["ref"])} is not recorded in the ledger: it was added behind the agent's back`;
    }
    return null;
  }

  // --- retention ------------------------------------------------------------------------------

  prune(before: string, now: string): Promise<{ runs: number[]; evidence: number; findings: number }> {
    return this.transaction(`prune runs finished before ${before}`, async () => {
      const old = await this.all(
        "SELECT id, hash_version FROM runs WHERE status != 'running' AND chain_seq IS NOT NULL AND finished_at < ? AND pruned_at IS NULL ORDER BY id",
        [before],
      );
      let evidence = 0;
      let findings = 0;
      for (const { id, hash_version } of old) {
        const runId = Number(id);
        // Version 1 runs keep what their formula needs; version 2 runs the digests of what is deleted.
        const inputs =
          hash_version === 2
            ? await this.rowDigestsUnlocked(runId)
            : {
                evidenceSha256: (await this.all("SELECT sha256 FROM evidence WHERE run_id = ? ORDER BY id", [runId])).map((e) => String(e["sha256"])),
                findingsDigest: await this.findingsDigestUnlocked(runId),
              };
        await this.run("UPDATE runs SET pruned_at = ?, pruned_inputs = ? WHERE id = ?", [now, JSON.stringify(inputs), runId]);
        // The prune is recorded in the ledger, so a hand-filled pruned_inputs is caught by verify.
        await this.appendLedger("prune", String(runId), now, await this.ledgerContent("prune", String(runId)));
        evidence += (await this.run("DELETE FROM evidence WHERE run_id = ?", [runId])).changes;
        findings += (await this.run("DELETE FROM findings WHERE run_id = ?", [runId])).changes;
        await this.run("DELETE FROM collector_runs WHERE run_id = ?", [runId]);
      }
      return { runs: old.map((r) => Number(r["id"])), evidence, findings };
    });
  }

  prunedAt(runId: number): Promise<string | null> {
    return this.read(`run ${runId}`, async () => {
      const row = await this.get("SELECT pruned_at FROM runs WHERE id = ?", [runId]);
      return typeof row?.["pruned_at"] === "string" ? row["pruned_at"] : null;
    });
  }

  // --- continuous monitoring ------------------------------------------------------------------

  acquireLocks(names: readonly string[], owner: string, now: Date, ttlMs: number): Promise<LockResult> {
    return this.transaction("take run locks", async () => {
      const at = now.toISOString();
      await this.run("DELETE FROM locks WHERE expires_at <= ?", [at]);
      // A holder on this host whose process is gone crashed: its locks need not wait for expiry.
      for (const row of await this.all("SELECT DISTINCT owner FROM locks")) {
        if (ownerIsDead(String(row["owner"]))) await this.run("DELETE FROM locks WHERE owner = ?", [row["owner"]]);
      }
      for (const name of names) {
        const row = await this.get("SELECT owner, acquired_at, expires_at FROM locks WHERE name = ?", [name]);
        if (row && row["owner"] !== owner) {
          return { acquired: false, name, owner: String(row["owner"]), acquiredAt: String(row["acquired_at"]), expiresAt: String(row["expires_at"]) };
        }
      }
      const expires = new Date(now.getTime() + ttlMs).toISOString();
      for (const name of names) {
        await this.run("INSERT OR REPLACE INTO locks (name, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)", [name, owner, at, expires]);
      }
      return { acquired: true };
    });
  }

  async refreshLocks(owner: string, now: Date, ttlMs: number): Promise<void> {
    await this.transaction("renew run locks", () =>
      this.run("UPDATE locks SET expires_at = ? WHERE owner = ?", [new Date(now.getTime() + ttlMs).toISOString(), owner]),
    );
  }

  async releaseLocks(owner: string): Promise<void> {
    await this.transaction("release run locks", () => this.run("DELETE FROM locks WHERE owner = ?", [owner]));
  }

  previousComparableRun(runId: number): Promise<RunRecord | undefined> {
    return this.read(`the run before ${runId}`, async () => {
      const run = await this.requireRun(runId);
      const row = await this.get(
        "SELECT * FROM runs WHERE id < ? AND status IN ('completed', 'partial') AND chain_seq IS NOT NULL AND hash IS NOT NULL AND COALESCE(sources, '[]') = ? ORDER BY id DESC LIMIT 1",
        [runId, JSON.stringify(run.sources)],
      );
      return row ? toRun(row) : undefined;
    });
  }

  latestFinishedRunAt(asOf: string): Promise<RunRecord | undefined> {
    return this.read(`the latest run as of ${asOf}`, async () => {
      const row = await this.get(
        "SELECT * FROM runs WHERE status IN ('completed', 'partial', 'failed') AND chain_seq IS NOT NULL AND hash IS NOT NULL AND finished_at <= ? ORDER BY finished_at DESC, id DESC LIMIT 1",
        [asOf],
      );
      return row ? toRun(row) : undefined;
    });
  }

  runsBetween(from: string, to: string): Promise<RunRecord[]> {
    return this.read(`runs from ${from} to ${to}`, async () =>
      (
        await this.all(
          "SELECT * FROM runs WHERE status != 'running' AND chain_seq IS NOT NULL AND hash IS NOT NULL AND started_at >= ? AND started_at <= ? ORDER BY started_at, id",
          [from, to],
        )
      ).map(toRun),
    );
  }

  async saveDriftEvents(runId: number, previousRunId: number, events: readonly DriftEvent[]): Promise<void> {
    await this.transaction(`save drift of run ${runId}`, async () => {
      for (const e of events) {
        await this.run(
          `INSERT INTO drift_events (run_id, previous_run_id, kind, key, severity, message, check_id, control_id, objective_id, before, after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [runId, previousRunId, e.kind, e.key, e.severity, e.message, e.checkId, e.controlId, e.objectiveId, e.before, e.after],
        );
      }
      if (events.length > 0) await this.appendLedger("drift", String(runId), new Date().toISOString(), await this.ledgerContent("drift", String(runId)));
    });
  }

  driftEvents(runId: number): Promise<(DriftEvent & { previousRunId: number })[]> {
    return this.read(`drift of run ${runId}`, async () =>
      (await this.all("SELECT * FROM drift_events WHERE run_id = ? ORDER BY id", [runId])).map((raw) => {
        const row = driftRowSchema.parse(raw);
        return {
          previousRunId: row.previous_run_id,
          kind: row.kind,
          key: row.key,
          severity: row.severity,
          message: row.message,
          checkId: row.check_id,
          controlId: row.control_id,
          objectiveId: row.objective_id,
          before: row.before,
          after: row.after,
        };
      }),
    );
  }

  alertStates(): Promise<AlertState[]> {
    return this.read("alert state", async () =>
      (await this.all("SELECT * FROM alert_state ORDER BY key")).map((raw) => {
        const row = alertStateRowSchema.parse(raw);
        return {
          key: row.key,
          open: row.open === 1,
          severity: row.severity,
          message: row.message,
          openedAt: row.opened_at,
          lastSentAt: row.last_sent_at,
          changes: stringList.parse(JSON.parse(row.changes)),
        };
      }),
    );
  }

  async saveAlertStates(states: readonly AlertState[]): Promise<void> {
    await this.transaction("save alert state", async () => {
      for (const st of states) {
        await this.run("INSERT OR REPLACE INTO alert_state (key, open, severity, message, opened_at, last_sent_at, changes) VALUES (?, ?, ?, ?, ?, ?, ?)", [
          st.key,
          st.open ? 1 : 0,
          st.severity,
          st.message,
          st.openedAt,
          st.lastSentAt,
          JSON.stringify(st.changes),
        ]);
      }
    });
  }

  async saveAlertDelivery(d: AlertDelivery): Promise<void> {
    await this.transaction(`record an alert delivery to ${d.channel}`, async () => {
      const { lastID } = await this.run("INSERT INTO alert_deliveries (run_id, channel, status, attempts, error, at, alerts) VALUES (?, ?, ?, ?, ?, ?, ?)", [
        d.runId,
        d.channel,
        d.status,
        d.attempts,
        d.error,
        d.at,
        JSON.stringify(d.alerts),
      ]);
      await this.appendLedger("alert_delivery", String(lastID), d.at, await this.ledgerContent("alert_delivery", String(lastID)));
    });
  }

  alertDeliveries(runId: number): Promise<AlertDelivery[]> {
    return this.read(`alert deliveries of run ${runId}`, async () =>
      (await this.all("SELECT * FROM alert_deliveries WHERE run_id = ? ORDER BY id", [runId])).map((raw) => {
        const row = deliveryRowSchema.parse(raw);
        return {
          runId: row.run_id,
          channel: row.channel,
          status: row.status,
          attempts: row.attempts,
          error: row.error,
          at: row.at,
          alerts: stringList.parse(JSON.parse(row.alerts)),
        };
      }),
    );
  }

  async addException(e: RiskException): Promise<void> {
    await this.transaction(`add exception ${e.id}`, async () => {
      const existing = await this.get("SELECT id FROM exceptions WHERE id = ?", [e.id]);
      if (existing) throw new StoreError(this.location, `already holds an exception with id "${e.id}"; choose another id`);
      await this.run(
        `INSERT INTO exceptions (id, check_id, resource, source, account, reason, owner, approved_by, expires, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [e.id, e.checkId, e.resource, e.source, e.account, e.reason, e.owner, e.approvedBy, e.expires, e.createdAt ?? new Date().toISOString()],
      );
      await this.appendLedger("exception", e.id, e.createdAt ?? new Date().toISOString(), await this.ledgerContent("exception", e.id));
    });
  }

  registeredExceptions(): Promise<RiskException[]> {
    return this.read("the exceptions register", async () =>
      (await this.all("SELECT * FROM exceptions ORDER BY id")).map((raw) => {
        const row = exceptionRowSchema.parse(raw);
        return {
          id: row.id,
          checkId: row.check_id,
          resource: row.resource,
          source: row.source,
          account: row.account,
          reason: row.reason,
          owner: row.owner,
          approvedBy: row.approved_by,
          expires: row.expires,
          origin: "register" as const,
          createdAt: row.created_at,
        };
      }),
    );
  }

  addManualEvidence(e: NewManualEvidence): Promise<ManualEvidence> {
    return this.transaction(`add manual evidence for ${e.controlId}`, async () => {
      const { lastID } = await this.run(
        "INSERT INTO manual_evidence (control_id, file_name, size, sha256, content, note, valid_until, added_at, element) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [e.controlId, e.fileName, e.size, e.sha256, Buffer.from(e.content), e.note, e.validUntil, e.addedAt, e.element],
      );
      await this.appendLedger("manual_evidence", String(lastID), e.addedAt, await this.ledgerContent("manual_evidence", String(lastID)));
      const { content: _content, ...rest } = e;
      return { id: lastID, ...rest };
    });
  }

  manualEvidence(): Promise<ManualEvidence[]> {
    return this.read("manual evidence", async () =>
      (await this.all("SELECT id, control_id, file_name, size, sha256, note, valid_until, added_at, element FROM manual_evidence ORDER BY control_id, id")).map(
        toManualEvidence,
      ),
    );
  }

  manualEvidenceContent(id: number): Promise<Uint8Array> {
    return this.read(`manual evidence ${id}`, async () => {
      const row = await this.get("SELECT content FROM manual_evidence WHERE id = ?", [id]);
      if (!row) throw new StoreError(this.location, `holds no manual evidence with id ${id}`);
      return new Uint8Array(row["content"] as Buffer);
    });
  }

  // --- the PDCA registers (risks, nonconformities, reviews, audit samples) -------------------

  appendRegisterRecord(register: RegisterName, entryId: string, content: unknown, at: string): Promise<number> {
    return this.transaction(`record ${register} ${entryId}`, async () => {
      const last = await this.get("SELECT MAX(version) AS v FROM register_records WHERE register = ? AND entry_id = ?", [register, entryId]);
      const version = Number(last?.["v"] ?? 0) + 1;
      const { lastID } = await this.run("INSERT INTO register_records (register, entry_id, version, content, recorded_at) VALUES (?, ?, ?, ?, ?)", [
        register,
        entryId,
        version,
        canonicalJson(content),
        at,
      ]);
      await this.appendLedger("register", String(lastID), at, await this.ledgerContent("register", String(lastID)));
      return version;
    });
  }

  registerRecords(register: RegisterName, options: RegisterRecordsOptions = {}): Promise<RegisterRecord[]> {
    return this.read(`the ${register} register`, async () => {
      const rows = options.allVersions
        ? await this.all("SELECT * FROM register_records WHERE register = ? ORDER BY seq", [register])
        : await this.all(
            `SELECT r.* FROM register_records r
             JOIN (SELECT entry_id, MAX(version) AS v FROM register_records WHERE register = ? GROUP BY entry_id) latest
               ON latest.entry_id = r.entry_id AND latest.v = r.version
             WHERE r.register = ? ORDER BY r.seq`,
            [register, register],
          );
      return rows.map((raw) => {
        const row = registerRowSchema.parse(raw);
        return { entryId: row.entry_id, version: row.version, content: JSON.parse(row.content) as unknown, recordedAt: row.recorded_at };
      });
    });
  }

  saveRunSummary(runId: number, startedAt: string, content: unknown, registers: unknown): Promise<void> {
    return this.transaction(`save the loop summary of run ${runId}`, async () => {
      await this.run("INSERT INTO run_summaries (run_id, started_at, content, registers) VALUES (?, ?, ?, ?)", [
        runId,
        startedAt,
        canonicalJson(content),
        canonicalJson(registers),
      ]);
      await this.appendLedger("run_summary", String(runId), startedAt, await this.ledgerContent("run_summary", String(runId)));
    });
  }

  runSummaries(since: string): Promise<unknown[]> {
    return this.read("the runs' loop summaries", async () =>
      (await this.all("SELECT content FROM run_summaries WHERE started_at >= ? ORDER BY started_at, run_id", [since])).map(
        (r) => JSON.parse(String(r["content"])) as unknown,
      ),
    );
  }

  runRegisters(runId: number): Promise<unknown> {
    return this.read(`the registers as of run ${runId}`, async () => {
      const row = await this.get("SELECT registers FROM run_summaries WHERE run_id = ?", [runId]);
      return typeof row?.["registers"] === "string" ? (JSON.parse(row["registers"]) as unknown) : null;
    });
  }

  findingsOfCheck(runId: number, checkId: string): Promise<Finding[]> {
    return this.read(`the findings of ${checkId} in run ${runId}`, async () =>
      (await this.all("SELECT * FROM findings WHERE run_id = ? AND check_id = ? ORDER BY source, account, region, resource_id, id", [runId, checkId])).map(
        toFinding,
      ),
    );
  }
}

function toEvidenceHeader(row: z.infer<typeof evidenceRowSchema>): Omit<StoredEvidence, "payload"> {
  return {
    id: row.id,
    source: row.source,
    sourceType: row.source_type,
    account: row.account,
    region: row.region,
    kind: row.kind,
    apiCall: row.api_call,
    collectedAt: row.collected_at,
    sha256: row.sha256,
  };
}

/**
 * A finding as it reads back from its row (see toFinding): strings as SQLite keeps them (UTF-8, a
 * lone surrogate becomes U+FFFD), no controls as null, the exception as its JSON round trip.
 */
function asStored(f: Finding): Finding {
  return {
    checkId: wellFormed(f.checkId),
    source: wellFormed(f.source),
    sourceType: f.sourceType,
    account: wellFormed(f.account),
    region: wellFormed(f.region),
    resourceId: wellFormed(f.resourceId),
    status: f.status,
    reason: wellFormed(f.reason),
    evidenceSha256: f.evidenceSha256 === null ? null : wellFormed(f.evidenceSha256),
    controls: f.controls ? stringList.parse(JSON.parse(JSON.stringify(f.controls))) : null,
    exception: f.exception ? appliedExceptionSchema.parse(JSON.parse(JSON.stringify(f.exception))) : null,
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

function toFinding(raw: Row): Finding {
  const row = findingRowSchema.parse(raw);
  return {
    checkId: row.check_id,
    source: row.source,
    sourceType: row.source_type,
    account: row.account,
    region: row.region,
    resourceId: row.resource_id,
    status: row.status,
    reason: row.reason,
    evidenceSha256: row.evidence_sha256,
    controls: row.controls === null ? null : stringList.parse(JSON.parse(row.controls)),
    exception: row.exception === null ? null : appliedExceptionSchema.parse(JSON.parse(row.exception)),
  };
}

function toManualEvidence(raw: Row): ManualEvidence {
  const row = manualEvidenceRowSchema.parse(raw);
  return {
    id: row.id,
    controlId: row.control_id,
    element: row.element,
    fileName: row.file_name,
    size: row.size,
    sha256: row.sha256,
    note: row.note,
    validUntil: row.valid_until,
    addedAt: row.added_at,
  };
}

function toRun(raw: Row): RunRecord {
  const row = runRowSchema.parse(raw);
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    organization: row.organization,
    error: row.error,
    hash: row.hash,
    prevHash: row.prev_hash,
    chainSeq: row.chain_seq,
    sources: row.sources === null ? [] : stringList.parse(JSON.parse(row.sources)),
  };
}

function toMeasurement(raw: Row): ObjectiveMeasurement {
  const row = objectiveRowSchema.parse(raw);
  return {
    objectiveId: row.objective_id,
    title: row.title,
    owner: row.owner,
    metric: row.metric,
    value: row.value,
    numerator: row.numerator,
    denominator: row.denominator,
    errors: row.errors,
    target: row.target,
    deadline: row.deadline,
    status: row.status,
    measuredAt: row.measured_at,
  };
}

/** Lock owners are `host:pid:nonce`; one on this host whose process no longer exists is dead. */
function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(":");
  return host === hostname() && pid !== undefined && /^\d+$/.test(pid) && !isAlive(Number(pid));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
