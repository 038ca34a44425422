/**
 * The evidence store as the engine, CLI and reports see it. No SQL leaks out of this interface,
 * so a PostgreSQL store can sit beside the embedded SQLite one without touching its users.
 */
import type {
  CollectorOutcome,
  ControlResult,
  Evidence,
  Finding,
  ObjectiveMeasurement,
  RunRecord,
  RunStatus,
  StoredEvidence,
} from "../domain.js";

export interface StartRunInput {
  organization: string;
  startedAt: string;
}

export interface FinishRunInput {
  status: Exclude<RunStatus, "running" | "interrupted">;
  finishedAt: string;
  findings: readonly Finding[];
  controls: readonly ControlResult[];
  objectives: readonly ObjectiveMeasurement[];
  error?: string | null;
}

export type VerifyResult =
  | { ok: true; runsChecked: number; evidenceChecked: number; head: string | null }
  | { ok: false; runsChecked: number; evidenceChecked: number; problem: string };

export interface Store {
  /** Where the store lives, for messages. */
  readonly location: string;
  close(): Promise<void>;
  /** Marks runs left `running` by a crashed process as `interrupted`; returns their ids. */
  recoverInterruptedRuns(finishedAt: string): Promise<number[]>;
  startRun(input: StartRunInput): Promise<RunRecord>;
  /** One collector's outcome and evidence, in one transaction. Payloads must already be redacted. */
  saveCollectorResult(runId: number, outcome: CollectorOutcome, evidence: readonly Evidence[]): Promise<StoredEvidence[]>;
  /** Findings, control results, objective measurements and the run's hash, in one transaction. */
  finishRun(runId: number, input: FinishRunInput): Promise<RunRecord>;
  getRun(id: number): Promise<RunRecord | undefined>;
  /** The newest run that finished (completed, partial or failed), if any. */
  latestFinishedRun(): Promise<RunRecord | undefined>;
  listRuns(): Promise<RunRecord[]>;
  evidence(runId: number): Promise<StoredEvidence[]>;
  /** The evidence records of a run without their payloads: what reports list. */
  evidenceIndex(runId: number): Promise<Omit<StoredEvidence, "payload">[]>;
  collectorOutcomes(runId: number): Promise<CollectorOutcome[]>;
  findings(runId: number): Promise<Finding[]>;
  controlResults(runId: number): Promise<ControlResult[]>;
  objectiveMeasurements(runId: number): Promise<ObjectiveMeasurement[]>;
  /** Earlier measurements of an objective, oldest first, from finished runs before `beforeRunId`. */
  objectiveHistory(objectiveId: string, beforeRunId: number): Promise<ObjectiveMeasurement[]>;
  /** Recomputes every evidence digest and the run hash chain; names the first record that does not match. */
  verify(): Promise<VerifyResult>;
}
