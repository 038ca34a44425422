/**
 * The evidence store as the engine, CLI and reports see it. No SQL leaks out of this interface,
 * so a PostgreSQL store can sit beside the embedded SQLite one without touching its users.
 */
import type {
  CollectorOutcome,
  ControlResult,
  DriftEvent,
  Evidence,
  ManualEvidence,
  RiskException,
  Finding,
  ObjectiveMeasurement,
  RunContext,
  RunRecord,
  RunStatus,
  StoredEvidence,
} from "../domain.js";
import type { ResourceSeen } from "../engine/drift.js";
import type { RegisterName } from "../registers.js";

/** A finding key (check, source, account, region, resource) or a resource key (source, account, region, resource), as its parts. */
export type DriftKey = readonly string[];

export interface StartRunInput {
  organization: string;
  startedAt: string;
  /** Names of the configured sources this run collects: its scope. */
  sources?: readonly string[];
  /** Owner of the run locks held for it (see acquireLocks), so recovery leaves a live run alone. */
  lockOwner?: string;
  /** What the run is judged with; kept with it and covered by its hash, so reports of it never change. */
  context?: RunContext;
}

export interface FinishRunInput {
  /** `interrupted` here is a graceful stop (SIGTERM): what was collected is kept and judged. */
  status: Exclude<RunStatus, "running">;
  finishedAt: string;
  findings: readonly Finding[];
  controls: readonly ControlResult[];
  objectives: readonly ObjectiveMeasurement[];
  error?: string | null;
}

export interface VerifyOptions {
  /** A chain head recorded earlier (a log line, a pack's manifest): verify fails unless the chain still holds it. */
  expectHead?: string;
}

export type VerifyResult =
  | { ok: true; runsChecked: number; evidenceChecked: number; head: string | null }
  | { ok: false; runsChecked: number; evidenceChecked: number; problem: string };

export type LockResult = { acquired: true } | { acquired: false; name: string; owner: string; acquiredAt: string; expiresAt: string };

/** Dedup state of one alert key (a finding, control, objective or collector). */
export interface AlertState {
  key: string;
  /** True while the condition (failing, at risk, collector down, stale) holds. */
  open: boolean;
  severity: string;
  message: string;
  openedAt: string;
  lastSentAt: string | null;
  /** When the condition opened or closed lately, newest last: what flapping is judged from. */
  changes: string[];
}

export interface AlertDelivery {
  runId: number | null;
  channel: string;
  status: "sent" | "failed";
  attempts: number;
  error: string | null;
  at: string;
  /** Messages of the alerts in the delivery. */
  alerts: string[];
}

export type NewManualEvidence = Omit<ManualEvidence, "id"> & { content: Uint8Array };

/** One version of a register entry, its content still to be parsed by the register's schema. */
export interface RegisterRecord {
  entryId: string;
  version: number;
  content: unknown;
  recordedAt: string;
}

export interface RegisterRecordsOptions {
  /** Every version of every entry, oldest first (an entry's history); default only each entry's latest. */
  allVersions?: boolean;
}

export interface Store {
  /** Where the store lives, for messages. */
  readonly location: string;
  close(): Promise<void>;
  /** Marks runs left `running` by a crashed process as `interrupted`; returns their ids. */
  recoverInterruptedRuns(finishedAt: string): Promise<number[]>;
  startRun(input: StartRunInput): Promise<RunRecord>;
  /** One collector's outcome and evidence, in one transaction. Payloads must already be redacted. */
  saveCollectorResult(runId: number, outcome: CollectorOutcome, evidence: readonly Evidence[]): Promise<StoredEvidence[]>;
  /** A batch of findings of a running run, in one transaction: the run stores them as they are judged. */
  saveFindings(runId: number, findings: readonly Finding[]): Promise<void>;
  /** Findings, control results, objective measurements and the run's hash, in one transaction. */
  finishRun(runId: number, input: FinishRunInput): Promise<RunRecord>;
  getRun(id: number): Promise<RunRecord | undefined>;
  /** The hash of the newest ledger entry (manual evidence, exceptions, drift, deliveries, prunes); null when empty. */
  ledgerHead(): Promise<string | null>;
  /** What the run was judged with; null for runs stored before contexts were kept. */
  runContext(runId: number): Promise<RunContext | null>;
  /** The newest run that finished (completed, partial or failed), if any. */
  latestFinishedRun(): Promise<RunRecord | undefined>;
  listRuns(): Promise<RunRecord[]>;
  evidence(runId: number): Promise<StoredEvidence[]>;
  /** The evidence records of a run without their payloads: what reports list. */
  evidenceIndex(runId: number): Promise<Omit<StoredEvidence, "payload">[]>;
  collectorOutcomes(runId: number): Promise<CollectorOutcome[]>;
  findings(runId: number): Promise<Finding[]>;
  /** A run's findings in the order they were stored (the order of `findings`), a page at a time: what reports list. */
  findingsInStoredOrder(runId: number): AsyncIterable<Finding>;
  /**
   * A run's findings in key order (check, source, account, region, resource, insertion), streamed:
   * what drift merges. With `keys` (finding keys in key order, see driftCandidates), those keys' only.
   */
  findingsInKeyOrder(runId: number, keys?: readonly DriftKey[]): AsyncIterable<Finding>;
  /**
   * A run's resources in key order (source, account, region, resource), streamed, with the check
   * that last judged each. With `keys` (resource keys in key order), those resources' only.
   */
  resourcesInKeyOrder(runId: number, keys?: readonly DriftKey[]): AsyncIterable<ResourceSeen>;
  /**
   * Where two runs' findings can differ, so drift reads only those: the finding keys whose
   * statuses differ, that are in one run only, or that have several findings in either run (drift
   * compares those with the newest); and the resources seen in one run only. In key order.
   */
  driftCandidates(previousRunId: number, runId: number): Promise<{ findings: DriftKey[]; resources: DriftKey[] }>;
  /** `findingKey` of every failing finding of a run. */
  failingFindingKeys(runId: number): Promise<Set<string>>;
  /** What freshness reads of a run's findings: each distinct (check, mapping, evidence digest) judged. */
  freshnessInputs(runId: number): Promise<Pick<Finding, "checkId" | "controls" | "evidenceSha256" | "status">[]>;
  /** `check:source:account:region` of every error finding of a run. */
  unjudgedCheckScopes(runId: number): Promise<Set<string>>;
  controlResults(runId: number): Promise<ControlResult[]>;
  objectiveMeasurements(runId: number): Promise<ObjectiveMeasurement[]>;
  /** Earlier measurements of an objective, oldest first, from completed/partial runs of the same sources before `beforeRunId`. */
  objectiveHistory(objectiveId: string, beforeRunId: number): Promise<(ObjectiveMeasurement & { runId: number })[]>;
  /** Recomputes every evidence digest and the run hash chain; names the first record that does not match. */
  verify(options?: VerifyOptions): Promise<VerifyResult>;

  // --- continuous monitoring -----------------------------------------------------------------
  /**
   * Takes every named lock for `owner` at once, or none: a run of the same source by another
   * agent (even on another host sharing the database) holds them until it ends or they expire.
   */
  acquireLocks(names: readonly string[], owner: string, now: Date, ttlMs: number): Promise<LockResult>;
  /** Extends the owner's locks (a heartbeat while a long run goes on). */
  refreshLocks(owner: string, now: Date, ttlMs: number): Promise<void>;
  releaseLocks(owner: string): Promise<void>;
  /** The newest completed or partial run before `runId` that collected the same sources. */
  previousComparableRun(runId: number): Promise<RunRecord | undefined>;
  /** The newest finished run that ended at or before `asOf`. */
  latestFinishedRunAt(asOf: string): Promise<RunRecord | undefined>;
  /** Finished runs that started within [from, to], oldest first. */
  runsBetween(from: string, to: string): Promise<RunRecord[]>;
  saveDriftEvents(runId: number, previousRunId: number, events: readonly DriftEvent[]): Promise<void>;
  driftEvents(runId: number): Promise<(DriftEvent & { previousRunId: number })[]>;
  alertStates(): Promise<AlertState[]>;
  saveAlertStates(states: readonly AlertState[]): Promise<void>;
  saveAlertDelivery(delivery: AlertDelivery): Promise<void>;
  alertDeliveries(runId: number): Promise<AlertDelivery[]>;
  addException(exception: RiskException): Promise<void>;
  /** The register kept in the store (`isms-agent exception add`); config entries are not here. */
  registeredExceptions(): Promise<RiskException[]>;
  addManualEvidence(evidence: NewManualEvidence): Promise<ManualEvidence>;
  manualEvidence(): Promise<ManualEvidence[]>;
  manualEvidenceContent(id: number): Promise<Uint8Array>;
  /**
   * Retention: deletes the evidence, findings and collector outcomes of runs that finished before
   * `before`, keeping each run's header, hash, control results and objective measurements (and
   * the digests its hash was made from), so the chain still verifies. Returns what was pruned.
   */
  prune(before: string, now: string): Promise<{ runs: number[]; evidence: number; findings: number }>;
  /** When a run's details were pruned, or null. */
  prunedAt(runId: number): Promise<string | null>;

  // --- the PDCA registers (risks, nonconformities, management reviews, audit samples) ---------
  /** Records a new version of a register entry, chained in the ledger; returns its version. */
  appendRegisterRecord(register: RegisterName, entryId: string, content: unknown, at: string): Promise<number>;
  /** Each entry's latest version (or, with allVersions, every version), in the order recorded. */
  registerRecords(register: RegisterName, options?: RegisterRecordsOptions): Promise<RegisterRecord[]>;
  /** What the loop's rules remember of a finished run (see RunSummary) and the registers as they stood after it, chained in the ledger. */
  saveRunSummary(runId: number, startedAt: string, content: unknown, registers: unknown): Promise<void>;
  /** The registers as they stood after a run (what its reports show); null for runs without. */
  runRegisters(runId: number): Promise<unknown>;
  /** Run summaries of runs started at or after `since`, oldest first. */
  runSummaries(since: string): Promise<unknown[]>;
  /** One check's findings of a run: where else a nonconformity's check fails, an audit sample's population. */
  findingsOfCheck(runId: number, checkId: string): Promise<Finding[]>;
}
