/**
 * The words of the domain, shared by collectors, checks, the engine, the store and reports.
 * Pure types and a few constants: nothing here does I/O.
 */
import type { z } from "zod";

export const SOURCE_TYPES = ["aws", "azure", "github"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const FINDING_STATUSES = ["pass", "fail", "error", "not_applicable", "excepted"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
/** What a check itself can say; `excepted` is only ever set by the exceptions register. */
export type JudgedStatus = Exclude<FindingStatus, "excepted">;

export const CONTROL_STATUSES = ["pass", "fail", "partial", "not_evaluated", "not_applicable"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

export const RUN_STATUSES = ["running", "completed", "partial", "failed", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const OBJECTIVE_STATUSES = ["met", "on_track", "at_risk", "missed", "no_data"] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

/** Where a piece of evidence was seen: one configured source, one account, one region ("global" for global APIs). */
export interface Scope {
  /** The source's `name` in config, e.g. "production". */
  source: string;
  sourceType: SourceType;
  /** AWS account id, Azure subscription id, GitHub org. */
  account: string;
  /** AWS/Azure region, or "global" for global services such as IAM. */
  region: string;
}

/**
 * One raw (redacted) API payload as a collector saw it. `kind` names what it is
 * (e.g. `aws.iam.credential-report`) so checks can ask for it without knowing the collector.
 */
export interface Evidence extends Scope {
  kind: string;
  /** The API call(s) that produced it, as the vendor names them, e.g. "GetCredentialReport". */
  apiCall: string;
  collectedAt: string;
  payload: unknown;
}

/** Evidence as stored: with its digest over the canonical JSON of the payload. */
export interface StoredEvidence extends Evidence {
  id: number;
  sha256: string;
}

/** What a check returns for one resource. */
export interface FindingDraft {
  resourceId: string;
  status: JudgedStatus;
  /** A full sentence that names the resource. */
  reason: string;
  /** The evidence kind this finding was judged from (the engine turns it into the digest). */
  evidenceKind?: string;
  /**
   * Annex A ids this finding supports, for checks whose mapping is per finding (a custom AWS
   * Config rule mapped in config). Absent: the check's own `controls`.
   */
  controls?: string[];
}

export interface Finding extends Scope {
  checkId: string;
  resourceId: string;
  status: FindingStatus;
  reason: string;
  /** sha256 of the evidence record the finding was judged from; null when there was none (e.g. collector error). */
  evidenceSha256: string | null;
  /** Per-finding Annex A mapping (see FindingDraft.controls); null: the check's own. */
  controls: string[] | null;
  /** The accepted risk that turned a `fail` into `excepted`; null for every other finding. */
  exception?: AppliedException | null;
}

/** An entry of the exceptions register (risk acceptance), from config or `isms-agent exception add`. */
export interface RiskException {
  id: string;
  checkId: string;
  /** The resource id it covers; null for every resource of the check. May end in `*`. */
  resource: string | null;
  /** Limit to one source / account; null for any. */
  source: string | null;
  account: string | null;
  reason: string;
  owner: string;
  approvedBy: string;
  /** Last day the acceptance holds (YYYY-MM-DD, UTC). */
  expires: string;
  origin: "config" | "register";
  createdAt: string | null;
}

/** What a finding carries of the exception that covers it. */
export interface AppliedException {
  id: string;
  reason: string;
  owner: string;
  approvedBy: string;
  expires: string;
}

export interface ControlMapping {
  /** Annex A id, e.g. "A.8.5". */
  control: string;
  /** One line: why this evidence supports that control. */
  rationale: string;
}

/** Evidence handed to a check: everything collected for one scope. */
export interface EvidenceView {
  scope: Scope;
  /** The one record of this kind, or undefined if none was collected for this scope. */
  get(kind: string): StoredEvidence | undefined;
}

export interface CheckContext<S> {
  evidence: EvidenceView;
  now: Date;
  settings: S;
}

export interface CheckDefinition<S = unknown> {
  /** `<source>.<service>.<name>`, equal to the file path under controls/checks/. */
  id: string;
  title: string;
  severity: Severity;
  sourceType: SourceType;
  controls: readonly ControlMapping[];
  remediation: string;
  /** Evidence kinds the check reads; missing evidence from a failed collector makes the check `error`. */
  requires: readonly string[];
  /** True when the controls come with each finding (user-mapped rules); `controls` is then empty. */
  perFindingControls?: boolean;
  /** Settings (thresholds) with their defaults; config `checks.<id>` overrides them. */
  settings: z.ZodType<S>;
  evaluate(context: CheckContext<S>): FindingDraft[];
}

/** A check as the engine and registry hold it: settings not yet parsed (see defineCheck). */
export type Check = CheckDefinition<unknown>;

export type ControlTheme = "organizational" | "people" | "physical" | "technological";
export type Automation = "automated" | "partial" | "manual";

export interface AnnexAControl {
  id: string;
  theme: ControlTheme;
  title: string;
  /** How far API evidence can support this control at all. */
  automation: Automation;
}

/** How much of a control this run's automated evidence covers. */
export type Coverage = "automated" | "partial" | "none";

export interface FindingCounts {
  pass: number;
  fail: number;
  error: number;
  not_applicable: number;
  excepted: number;
}

export interface ControlResult {
  controlId: string;
  status: ControlStatus;
  coverage: Coverage;
  checks: string[];
  counts: FindingCounts;
  /** Why the control is excluded in the Statement of Applicability; null when it applies. */
  justification?: string | null;
  /** Each element of the control's evidence set and whether this run's checks collected it; absent for runs stored before evidence sets. */
  elements?: ElementResult[];
}

/**
 * One kind of evidence that, with the others of its set, would show a control: e.g. for A.8.13
 * "backup configuration of every data store" and "a restore test record". An element with no
 * checks can only be filled by manual evidence (`evidence add --element`).
 */
export interface EvidenceElement {
  id: string;
  /** What the evidence is, in the user's words. */
  description: string;
  /** Checks any of which, judged for every source type in scope that has one, collect it. */
  checks: readonly string[];
}

/** The evidence set of one control: the kinds of evidence that together would show it. */
export interface EvidenceSet {
  control: string;
  elements: readonly EvidenceElement[];
}

/** What one run's checks collected of one element of a control's evidence set. */
export interface ElementResult {
  id: string;
  collected: boolean;
  /** Checks whose findings (judged, not `error`) supplied it. */
  checks: string[];
  /** Why it was not collected, a sentence; null when collected. */
  missing: string | null;
}

/** The implementation status a Statement of Applicability records per control (clause 6.1.3 d). */
export const IMPLEMENTATION_STATUSES = ["implemented", "partially_implemented", "planned", "not_implemented", "not_stated"] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

/** A check as a run was judged with: what a report of that run shows, whatever the registry says later. */
export interface CheckSnapshot {
  id: string;
  title: string;
  severity: Severity;
  sourceType: SourceType;
  remediation: string;
  controls: ControlMapping[];
}

/** One control's Statement of Applicability entry as configured when the run was judged. */
export interface SoaEntry {
  control: string;
  /** Justification for inclusion; null when none was written. */
  inclusion: string | null;
  implementation: ImplementationStatus;
}

/**
 * Everything besides evidence that a run was judged and is reported with: the checks' metadata and
 * mapping, the Annex A catalog, the evidence sets, the exceptions in force, evidence age limits and
 * the Statement of Applicability. Stored with the run and covered by its hash, so rendering an old
 * run again never depends on today's code or config.
 */
export interface RunContext {
  checks: CheckSnapshot[];
  catalog: AnnexAControl[];
  evidenceSets: EvidenceSet[];
  exceptions: RiskException[];
  /** Maximum evidence age in hours per check id. */
  maxAgeHours: Record<string, number>;
  soa: SoaEntry[];
}

export interface ObjectiveMeasurement {
  objectiveId: string;
  /** Title and owner as configured when measured, so a report of an old run needs no config. */
  title: string;
  owner: string;
  metric: string;
  value: number | null;
  numerator: number;
  denominator: number;
  /** Findings that could not be judged (collector errors): the value leaves them out. */
  errors: number;
  target: number;
  deadline: string;
  status: ObjectiveStatus;
  measuredAt: string;
}

export interface CollectorOutcome extends Scope {
  collector: string;
  status: "ok" | "error";
  error: string | null;
  startedAt: string;
  finishedAt: string;
  /** Evidence kinds this collector would have produced, so checks needing them can be marked `error`. */
  produces: readonly string[];
}

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  organization: string;
  error: string | null;
  hash: string | null;
  prevHash: string | null;
  /** Position in the hash chain; null while running (a finished run without one was not finished by the agent). */
  chainSeq: number | null;
  /** The configured sources this run collected (names); empty for runs stored before scopes were recorded. */
  sources: string[];
}

/** What changed between two completed runs of the same scope. */
export const DRIFT_KINDS = [
  "regression",
  "fixed",
  "new_failure",
  "new_resource",
  "vanished_resource",
  "exception_expired",
  "control_changed",
  "objective_changed",
  "collector_failed",
  "collector_recovered",
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DriftEvent {
  kind: DriftKind;
  /** Stable across runs for the same thing (finding, control, objective, collector): what alerts dedupe on. */
  key: string;
  severity: Severity;
  /** One full sentence naming the resource, control or objective. */
  message: string;
  checkId: string | null;
  controlId: string | null;
  objectiveId: string | null;
  before: string | null;
  after: string | null;
}

/** Manual evidence for a control that no API can show (training records, a signed policy, ...). */
export interface ManualEvidence {
  id: number;
  controlId: string;
  /** The element of the control's evidence set this file fills; null for the control as a whole. */
  element: string | null;
  fileName: string;
  size: number;
  sha256: string;
  note: string;
  validUntil: string | null;
  addedAt: string;
}
