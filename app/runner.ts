/**
 * One run: collect (bounded concurrency, a timeout per collector), store each collector's
 * evidence as it lands, evaluate, roll up, measure objectives, and finish the run in one
 * transaction. The thin I/O shell around the pure engine.
 */
import pLimit from "p-limit";
import { ANNEX_A } from "../controls/annex-a.js";
import { EVIDENCE_SETS } from "../controls/evidence-sets.js";
import { controlCoverage } from "../controls/mapping.js";
import { CHECKS } from "../controls/registry.js";
import type { CollectorJob } from "../src/collect.js";
import { allSourceNames, type Config } from "../src/config/schema.js";
import type {
  CollectorOutcome,
  Evidence,
  Finding,
  FindingCounts,
  ObjectiveMeasurement,
  RiskException,
  RunContext,
  RunRecord,
  StoredEvidence,
} from "../src/domain.js";
import { maxEvidenceAgeHours } from "./daemon/schedule.js";
import { checkSnapshots, configExceptions } from "./registry.js";
import { CollectorError, causeText } from "../src/errors.js";
import { evaluate, evaluateByCheck } from "../src/engine/evaluate.js";
import { applyExceptions } from "../src/engine/exceptions.js";
import { measureCounts } from "../src/engine/objectives.js";
import type { Redactor } from "../src/engine/redact.js";
import { FindingTally } from "../src/engine/rollup.js";
import type { Store } from "../src/store/store.js";

export interface RunOptions {
  config: Config;
  store: Store;
  jobs: readonly CollectorJob[];
  redactor: Redactor;
  /** The clock; simulations and tests pass their own. */
  now?: () => Date;
  /** Told about progress, e.g. for a CLI display or a log. */
  onEvent?: (event: RunEvent) => void;
  /** The configured sources this run covers (its scope, for drift and locks); default every source. */
  sources?: readonly string[];
  /** Entries of the exceptions register kept in the store (config entries are read from `config`). */
  registeredExceptions?: readonly RiskException[];
  /** Holder of this run's locks, recorded with the run so recovery leaves a live run alone. */
  lockOwner?: string;
  /**
   * Aborting stops new collectors from starting; those in flight finish or time out, what was
   * collected is judged and stored, and the run ends `interrupted` (graceful shutdown).
   */
  signal?: AbortSignal;
}

export type RunEvent =
  | { type: "recovered"; runIds: number[] }
  | { type: "started"; runId: number; sources: number }
  | { type: "collector-started"; collector: string; source: string }
  | { type: "collector-finished"; outcome: CollectorOutcome; evidence: number }
  | { type: "collector-skipped"; collector: string; source: string };

export interface RunResult {
  run: RunRecord;
  outcomes: CollectorOutcome[];
  /** How many findings of each status the run stored, in all and per check: the summary, without reading them back. */
  findings: FindingCounts;
  findingsByCheck: ReadonlyMap<string, FindingCounts>;
  objectives: ObjectiveMeasurement[];
}

/** How many findings are stored in one transaction at most. */
const FINDINGS_PER_SAVE = 5_000;

export async function runOnce(options: RunOptions): Promise<RunResult> {
  const { config, store, jobs, redactor } = options;
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);

  const recovered = await store.recoverInterruptedRuns(now().toISOString());
  if (recovered.length > 0) emit({ type: "recovered", runIds: recovered });

  const sources = options.sources ?? allSourceNames(config);
  const exceptions = [...configExceptions(config), ...(options.registeredExceptions ?? [])];
  const run = await store.startRun({
    organization: config.organization,
    startedAt: now().toISOString(),
    sources,
    ...(options.lockOwner ? { lockOwner: options.lockOwner } : {}),
    context: runContext(config, exceptions),
  });
  let skipped = 0;
  emit({ type: "started", runId: run.id, sources: jobs.length });

  try {
    const limitAll = pLimit(config.runner.concurrency);
    const limitBySource = new Map<string, ReturnType<typeof pLimit>>();
    const limitFor = (job: CollectorJob) => {
      let limit = limitBySource.get(job.scope.source);
      if (!limit) limitBySource.set(job.scope.source, (limit = pLimit(job.sourceConcurrency)));
      return limit;
    };
    const timeoutMs = config.runner.collectorTimeoutSeconds * 1000;
    const settings = checkSettings(config);
    const coverage = controlCoverage(CHECKS);
    const tally = new FindingTally(coverage);
    // A check reading kinds that no single collector produces waits for the end of the run, with
    // only those kinds kept; every check today reads one collector's evidence.
    const deferred: { evidence: StoredEvidence[]; outcomes: CollectorOutcome[] } = { evidence: [], outcomes: [] };
    const deferredChecks = new Set<string>();

    /** Judges one collector's evidence as it lands, stores the findings, keeps only their tally. */
    const judge = async (outcome: CollectorOutcome, stored: readonly StoredEvidence[]): Promise<void> => {
      const checks = CHECKS.filter(
        (check) =>
          check.sourceType === outcome.sourceType && check.requires.some((kind) => outcome.produces.includes(kind) || stored.some((e) => e.kind === kind)),
      );
      const whole = checks.filter((check) => check.requires.every((kind) => outcome.produces.includes(kind) || stored.some((e) => e.kind === kind)));
      const partial = checks.filter((check) => !whole.includes(check));
      if (partial.length > 0) {
        partial.forEach((check) => deferredChecks.add(check.id));
        const kinds = new Set(partial.flatMap((check) => check.requires));
        deferred.evidence.push(...stored.filter((e) => kinds.has(e.kind)));
        deferred.outcomes.push(outcome);
      }
      // Judged a check at a time and stored in batches: a few thousand findings are held at once.
      for (const judged of evaluateByCheck({ checks: whole, evidence: stored, outcomes: [outcome], settings, now: now() })) await storeJudged(judged);
      await saveUnsaved();
    };
    // Findings wait here until a batch is full or their collector is judged: one transaction per
    // batch, not one per check (most checks judge a handful of resources).
    const unsaved: Finding[] = [];
    const saveUnsaved = async (): Promise<void> => {
      if (unsaved.length === 0) return;
      const batch = unsaved.splice(0);
      await store.saveFindings(run.id, batch);
      for (const finding of batch) tally.add(finding);
    };
    const storeJudged = async (judged: readonly Finding[]): Promise<void> => {
      if (judged.length === 0) return;
      const findings = applyExceptions(
        judged.map((f) => ({ ...f, reason: redactor.text(f.reason) })),
        exceptions,
        now(),
      );
      for (const finding of findings) unsaved.push(finding);
      if (unsaved.length >= FINDINGS_PER_SAVE) await saveUnsaved();
    };

    // Runs a job under the global and per-source limits; a discovery job's jobs are scheduled
    // after it releases its slot, so discovery never waits on its own children.
    const runJob = async (job: CollectorJob): Promise<CollectorOutcome[]> => {
      const slot = await limitAll(() =>
        limitFor(job)(async () => {
          if (options.signal?.aborted) {
            skipped++;
            emit({ type: "collector-skipped", collector: job.collector, source: job.scope.source });
            return undefined;
          }
          emit({ type: "collector-started", collector: job.collector, source: job.scope.source });
          const startedAt = now().toISOString();
          const attempt = await withTimeout(job, timeoutMs, now);
          const evidence = attempt.ok ? attempt.evidence.map((e) => ({ ...e, payload: redactor.value(e.payload) })) : [];
          const account = attempt.ok ? (evidence.find((e) => e.account !== "unknown")?.account ?? job.scope.account) : (attempt.account ?? job.scope.account);
          const outcome: CollectorOutcome = {
            ...job.scope,
            account,
            collector: job.collector,
            status: attempt.ok ? "ok" : "error",
            error: attempt.ok ? null : redactor.text(attempt.message),
            startedAt,
            finishedAt: now().toISOString(),
            // A discovery that succeeded produced only its own evidence; its jobs answer for the rest.
            produces: attempt.ok && job.kind === "discover" ? [] : job.produces,
          };
          return { outcome, evidence, jobs: attempt.ok ? attempt.jobs : [] };
        }),
      );
      if (!slot) return [];
      const { outcome, jobs } = slot;
      // Saved after the slot is given back, so the next collector's API calls overlap this write.
      // Each collector's evidence is its own transaction: what landed survives a later crash.
      const stored = await store.saveCollectorResult(run.id, outcome, slot.evidence);
      // The checks read what was stored (the store's own parse of it): the collector's copy can go now.
      slot.evidence = [];
      emit({ type: "collector-finished", outcome, evidence: stored.length });
      // Judged now, while its children collect: its payloads are not kept past this point.
      const nested = Promise.all(jobs.map(runJob));
      await judge(outcome, stored);
      return [outcome, ...(await nested).flat()];
    };
    const outcomes = (await Promise.all(jobs.map(runJob))).flat();
    if (deferredChecks.size > 0) {
      await storeJudged(
        evaluate({ checks: CHECKS.filter((c) => deferredChecks.has(c.id)), evidence: deferred.evidence, outcomes: deferred.outcomes, settings, now: now() }),
      );
    }
    await saveUnsaved();

    const evaluatedAt = now();
    const excluded = new Map(config.statementOfApplicability.excluded.map((e) => [e.control, e.justification]));
    const controls = tally.results({
      controls: coverage,
      excluded,
      evidence: {
        sets: new Map(EVIDENCE_SETS.map((set) => [set.control, set])),
        checks: new Map(CHECKS.map((check) => [check.id, { sourceType: check.sourceType, requires: check.requires }])),
        outcomes,
      },
    });
    const objectives = [];
    for (const objective of config.objectives) {
      const history = await store.objectiveHistory(objective.id, run.id);
      objectives.push(measureCounts(objective, tally.byCheck, history, evaluatedAt));
    }
    const failed = outcomes.filter((o) => o.status === "error").length;
    const interrupted = options.signal?.aborted === true;
    const status = interrupted ? "interrupted" : failed === 0 ? "completed" : failed < outcomes.length ? "partial" : "failed";
    const problems = [
      ...(interrupted
        ? [
            `Stopped on request (${stopReason(options.signal)}) before ${skipped} collector${skipped === 1 ? "" : "s"} started; what was collected is judged, the rest is not evaluated.`,
          ]
        : []),
      ...(failed > 0 ? [`${failed} of ${outcomes.length} collectors failed; their checks are reported as error.`] : []),
    ];
    const finished = await store.finishRun(run.id, {
      status,
      finishedAt: now().toISOString(),
      // Stored as they were judged.
      findings: [],
      controls,
      objectives,
      error: problems.length > 0 ? problems.join(" ") : null,
    });
    return { run: finished, outcomes, findings: tally.total, findingsByCheck: tally.byCheck, objectives };
  } catch (error) {
    // Anything that escapes here is a fault of the run itself: record it so no report reads the run as done.
    const message = redactor.text(error instanceof Error ? `${error.message}${causeText(error)}` : String(error));
    await store
      .finishRun(run.id, { status: "failed", finishedAt: now().toISOString(), findings: [], controls: [], objectives: [], error: message })
      .catch(() => undefined);
    throw error;
  }
}

type Attempt = { ok: true; evidence: Evidence[]; jobs: CollectorJob[] } | { ok: false; message: string; account?: string | undefined };

async function withTimeout(job: CollectorJob, timeoutMs: number, now: () => Date): Promise<Attempt> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${job.collector} for source ${job.scope.source} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const context = { signal: controller.signal, now };
  try {
    const work = job.kind === "discover" ? job.discover(context) : job.run(context).then((evidence) => ({ evidence, jobs: [] as CollectorJob[] }));
    const { evidence, jobs } = await Promise.race([work, timedOut]);
    return { ok: true, evidence, jobs };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof Error) {
      return { ok: false, message: controller.signal.reason.message };
    }
    if (error instanceof CollectorError) return { ok: false, message: error.message, account: error.context.account };
    const message = error instanceof Error ? `${job.collector}: ${error.message}${causeText(error)}` : String(error);
    return { ok: false, message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What this run is judged and reported with, kept with the run (see RunContext): the checks'
 * metadata and mapping, the catalog, the evidence sets, the exceptions in force, the evidence age
 * limits and the Statement of Applicability as configured now.
 */
export function runContext(config: Config, exceptions: readonly RiskException[]): RunContext {
  const maxAge = maxEvidenceAgeHours(config);
  return {
    checks: checkSnapshots(),
    catalog: ANNEX_A.map((c) => ({ id: c.id, theme: c.theme, title: c.title, automation: c.automation })),
    evidenceSets: EVIDENCE_SETS.map((set) => ({
      control: set.control,
      elements: set.elements.map((e) => ({ id: e.id, description: e.description, checks: [...e.checks] })),
    })),
    exceptions: [...exceptions],
    maxAgeHours: Object.fromEntries(CHECKS.map((check) => [check.id, maxAge(check.id)])),
    soa: ANNEX_A.map((c) => {
      const entry = config.statementOfApplicability.controls[c.id];
      return { control: c.id, inclusion: entry?.inclusion ?? null, implementation: entry?.implementation ?? "not_stated" };
    }),
  };
}

function stopReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "shutdown";
}

/** Each check's settings from config; custom Config rule mappings come from every AWS source. */
export function checkSettings(config: Config): Map<string, unknown> {
  const settings = new Map<string, unknown>(CHECKS.map((check) => [check.id, config.checks[check.id]]));
  const rules: Record<string, string[]> = {};
  for (const source of config.sources.aws) {
    for (const [rule, controls] of Object.entries(source.configRules)) rules[rule] = [...new Set([...(rules[rule] ?? []), ...controls])];
  }
  const custom = (settings.get("aws.config.custom-rules") ?? {}) as { rules?: Record<string, string[]> };
  settings.set("aws.config.custom-rules", { ...custom, rules: { ...custom.rules, ...rules } });
  return settings;
}
