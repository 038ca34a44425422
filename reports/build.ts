/**
 * Builds the report of one stored run. Reads the store only, never a collector, today's check
 * registry or today's config: titles, mappings, evidence sets, exceptions and the Statement of
 * Applicability come from what the run was judged with (its stored context), so any run can be
 * rendered again later, byte for byte.
 */
import {
  CONTROL_STATUSES,
  type AnnexAControl,
  type CheckSnapshot,
  type ControlStatus,
  type Finding,
  type RiskException,
  type RunContext,
} from "../src/domain.js";
import { coverageWithManual } from "../src/engine/coverage.js";
import { exceptionCovers, isExpired } from "../src/engine/exceptions.js";
import { controlFreshness, manualEvidenceExpired } from "../src/engine/freshness.js";
import { projectedDate, trendOf } from "../src/engine/objectives.js";
import { emptyCounts } from "../src/engine/rollup.js";
import { inclusionFromRisks, risksByControl } from "../src/engine/risks.js";
import { registersAfterRun } from "../src/store/registers.js";
import { IntegrityError, UsageError } from "../src/errors.js";
import type { Store } from "../src/store/store.js";
import { toolVersion } from "../src/version.js";
import { REPORT_SCHEMA_VERSION, reportFindingSchema, reportSchema, type Report, type ReportFinding } from "./schema.js";

export const REPORT_NOTES = [
  'Automated evidence supports a control; it does not prove it. A control whose coverage is "partial" also needs the documented policy, process or records the standard asks for.',
  'A control is "not_evaluated" when no automated check covers it or its evidence could not be collected: that is a gap to fill with manual evidence, never a pass.',
  'Findings with status "error" could not be judged (the evidence could not be collected or read); the reason says why.',
  'An "excepted" finding is a failure whose risk was accepted in the exceptions register (reason, owner, approver and expiry are shown with it). It is never counted as a pass: a control whose only failures are excepted is "partial", and objectives count excepted findings as not compliant. An exception past its expiry day no longer applies.',
  'A control is "stale" when the newest evidence behind it is older than its maximum evidence age at the moment the report shows (asOf), or when all of its manual evidence has expired: it may no longer hold.',
];

export interface ReportContext {
  /** Show the state as of this moment (default: when the run finished); staleness is judged at it. */
  asOf?: Date;
  /** Maximum evidence age per check, in hours (default 48). Only for runs stored without a context. */
  maxAgeHours?: (checkId: string) => number;
  /** Exceptions from config; only for runs stored without a context. */
  configExceptions?: readonly RiskException[];
  /** Today's checks and catalog, given by the app: only for runs stored without a context. */
  registry?: ReportRegistry;
}

/** The registry as reports need it; reports never import the checks or the catalog themselves. */
export interface ReportRegistry {
  checks: readonly CheckSnapshot[];
  catalog: readonly AnnexAControl[];
}

export const LEGACY_CONTEXT_NOTE =
  "This run was stored by an earlier version that did not keep what it was judged with: check titles, severities, remediation, Annex A mappings and the exceptions register shown are today's, and the Statement of Applicability columns are not stated.";

/** What a run was judged with: its stored context, or (runs stored before contexts were kept) today's registry and the given config. */
export async function contextOfRun(store: Store, runId: number, fallback: ReportContext = {}): Promise<{ context: RunContext; stored: boolean }> {
  const stored = await store.runContext(runId);
  if (stored) return { context: stored, stored: true };
  const registry = fallback.registry;
  // Without the registry such a run would show no checks and no controls: refuse rather than mislead.
  if (!registry)
    throw new Error(`run ${runId} of ${store.location} was stored without the context it was judged with, and no registry was given to render it with`);
  const maxAge = fallback.maxAgeHours ?? (() => 48);
  return {
    stored: false,
    context: {
      checks: registry.checks.map((c) => ({ ...c, controls: [...c.controls] })),
      catalog: [...registry.catalog],
      evidenceSets: [],
      exceptions: [...(fallback.configExceptions ?? []), ...(await store.registeredExceptions())],
      maxAgeHours: Object.fromEntries(registry.checks.map((c) => [c.id, maxAge(c.id)])),
      soa: registry.catalog.map((c) => ({ control: c.id, inclusion: null, implementation: "not_stated" as const })),
    },
  };
}

/** The Annex A ids one finding counts for, by the mapping the run was judged with. */
export function controlsOfFindingIn(context: RunContext): (finding: Pick<Finding, "checkId" | "controls">) => readonly string[] {
  const byCheck = new Map(context.checks.map((c) => [c.id, c.controls.map((m) => m.control)]));
  return (finding) => finding.controls ?? byCheck.get(finding.checkId) ?? [];
}

export async function buildReport(store: Store, runId: number, reportContext: ReportContext = {}): Promise<Report> {
  const run = await store.getRun(runId);
  if (!run) throw new UsageError(`run ${runId} does not exist in ${store.location}`);
  if (run.status !== "running" && (run.chainSeq === null || run.hash === null)) {
    throw new IntegrityError(
      `run ${runId} of ${store.location} is marked ${run.status} but is not in the hash chain: it was not finished by the agent, so no report is made of it (see \`isms-agent verify\`)`,
    );
  }
  const { context: judgedWith, stored: hasContext } = await contextOfRun(store, runId, reportContext);
  const checksById = new Map<string, CheckSnapshot>(judgedWith.checks.map((c) => [c.id, c]));
  const setsByControl = new Map(judgedWith.evidenceSets.map((s) => [s.control, s]));
  const soaByControl = new Map(judgedWith.soa.map((s) => [s.control, s]));
  const [findings, controlResults, objectives, outcomes, evidence, manual, drift, deliveries] = await Promise.all([
    reportFindingsOf(store, runId, checksById),
    store.controlResults(runId),
    store.objectiveMeasurements(runId),
    store.collectorOutcomes(runId),
    store.evidenceIndex(runId),
    store.manualEvidence(),
    store.driftEvents(runId),
    store.alertDeliveries(runId),
  ]);
  const asOf = reportContext.asOf ?? new Date(run.finishedAt ?? run.startedAt);
  const registers = await registersAfterRun(store, runId);
  // Without a written justification for inclusion, the SoA names the risks the control treats.
  const treats = risksByControl(registers?.risks.map((r) => r.risk) ?? []);
  const prunedAt = await store.prunedAt(runId);
  const freshness = controlFreshness({
    controls: controlResults,
    findings,
    collectedAt: new Map(evidence.map((e) => [e.sha256, e.collectedAt])),
    manual,
    asOf,
    maxAgeHours: (checkId) => judgedWith.maxAgeHours[checkId] ?? 48,
    controlsOf: controlsOfFindingIn(judgedWith),
  });
  const resultsById = new Map(controlResults.map((r) => [r.controlId, r]));
  const controls = judgedWith.catalog.map((control) => {
    const result = resultsById.get(control.id);
    const fresh = freshness.get(control.id);
    const attached = manual
      .filter((m) => m.controlId === control.id && Date.parse(m.addedAt) <= asOf.getTime())
      .map((m) => ({
        id: m.id,
        fileName: m.fileName,
        size: m.size,
        sha256: m.sha256,
        note: m.note,
        addedAt: m.addedAt,
        validUntil: m.validUntil,
        expired: manualEvidenceExpired(m, asOf),
      }));
    const storedCoverage = result?.coverage ?? ("none" as const);
    const justification = result?.justification ?? null;
    const set = setsByControl.get(control.id);
    const byElements =
      set && result?.elements
        ? coverageWithManual(
            set,
            result.elements,
            manual.filter((m) => m.controlId === control.id && Date.parse(m.addedAt) <= asOf.getTime()),
            asOf,
          )
        : undefined;
    const soa = soaByControl.get(control.id);
    return {
      id: control.id,
      title: control.title,
      theme: control.theme,
      automation: control.automation,
      // A run that never finished has no results: every control shows as not evaluated.
      status: result?.status ?? ("not_evaluated" as const),
      coverage: byElements?.coverage ?? (storedCoverage === "none" && attached.some((m) => !m.expired) ? ("manual" as const) : storedCoverage),
      evidenceSet: byElements?.elements ?? [],
      missingEvidence: byElements?.elements.filter((e) => !e.collected).map((e) => e.description) ?? [],
      checks: result?.checks ?? [],
      counts: result?.counts ?? emptyCounts(),
      applicable: justification === null,
      justification,
      inclusionJustification:
        justification === null ? (soa?.inclusion ?? (treats.has(control.id) ? inclusionFromRisks(treats.get(control.id) ?? []) : null)) : null,
      implementationStatus: justification === null ? (soa?.implementation ?? "not_stated") : null,
      lastEvidenceAt: fresh?.lastEvidenceAt ?? null,
      stale: fresh?.stale ?? false,
      staleReason: fresh?.reason ?? null,
      manualEvidence: attached,
    };
  });
  const findingCounts = emptyCounts();
  for (const f of findings) findingCounts[f.status]++;
  const controlCounts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) controlCounts[c.status]++;

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    organization: run.organization,
    asOf: asOf.toISOString(),
    tool: { name: "isms-agent", version: toolVersion() },
    run: {
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      status: run.status,
      error: run.error,
      hash: run.hash,
      prevHash: run.prevHash,
      sources: run.sources,
    },
    scope: outcomes.map((o) => ({
      collector: o.collector,
      source: o.source,
      sourceType: o.sourceType,
      account: o.account,
      region: o.region,
      status: o.status,
      error: o.error,
      finishedAt: o.finishedAt,
    })),
    summary: { findings: findingCounts, controls: controlCounts },
    findings,
    controls,
    objectives: await Promise.all(
      objectives.map(async (o) => {
        const history = [
          ...(await store.objectiveHistory(o.objectiveId, runId)).map((h) => ({ runId: h.runId, measuredAt: h.measuredAt, value: h.value })),
          { runId, measuredAt: o.measuredAt, value: o.value },
        ];
        const points = history.filter((h): h is { runId: number; measuredAt: string; value: number } => h.value !== null);
        const projection = o.value !== null && o.value >= o.target ? null : projectedDate(points, o.target);
        return {
          id: o.objectiveId,
          title: o.title,
          owner: o.owner,
          metric: o.metric,
          value: o.value,
          numerator: o.numerator,
          denominator: o.denominator,
          errors: o.errors,
          target: o.target,
          deadline: o.deadline,
          status: o.status,
          history,
          trend: trendOf(history),
          projectedDate: projection ? projection.toISOString().slice(0, 10) : null,
        };
      }),
    ),
    evidence: evidence.map((e) => ({
      id: e.id,
      kind: e.kind,
      apiCall: e.apiCall,
      source: e.source,
      account: e.account,
      region: e.region,
      collectedAt: e.collectedAt,
      sha256: e.sha256,
    })),
    drift: {
      previousRunId: drift[0]?.previousRunId ?? (await store.previousComparableRun(runId))?.id ?? null,
      events: drift.map(({ previousRunId: _previous, ...event }) => event),
    },
    alerts: deliveries.map(({ runId: _run, ...delivery }) => delivery),
    exceptions: judgedWith.exceptions.map((e) => ({
      id: e.id,
      checkId: e.checkId,
      resource: e.resource,
      source: e.source,
      account: e.account,
      reason: e.reason,
      owner: e.owner,
      approvedBy: e.approvedBy,
      expires: e.expires,
      origin: e.origin,
      expired: isExpired(e, asOf),
      findings: findings.filter((f) => f.exception?.id === e.id || (f.status === "fail" && exceptionCovers(e, f))).length,
    })),
    registers,
    notes: [
      ...REPORT_NOTES,
      ...(hasContext ? [] : [LEGACY_CONTEXT_NOTE]),
      ...(prunedAt
        ? [
            `The evidence, findings and collector outcomes of this run were deleted on ${prunedAt} under the retention policy; its hash, control results and objective measurements remain, and the hash chain still verifies.`,
          ]
        : []),
    ],
  };
  // The report is an edge integrators read: never write one that breaks its own schema. The
  // findings were checked one by one as they were read; the rest is checked here, and the whole is
  // put together in the schema's key order, as one parse of it would give.
  const { findings: checked, ...rest } = report;
  const parsed: Record<string, unknown> = reportWithoutFindings.parse(rest);
  return Object.fromEntries(Object.keys(reportSchema.shape).map((key) => [key, key === "findings" ? checked : parsed[key]])) as Report;
}

const reportWithoutFindings = reportSchema.omit({ findings: true });

/**
 * A run's findings as the report lists them (in stored order, titles and mapping from the run's
 * context), read a page at a time and each checked against the report's schema as it is made, so
 * only the report's own copy is held.
 */
async function reportFindingsOf(store: Store, runId: number, checksById: ReadonlyMap<string, CheckSnapshot>): Promise<ReportFinding[]> {
  const findings: ReportFinding[] = [];
  for await (const f of store.findingsInStoredOrder(runId)) {
    const check = checksById.get(f.checkId);
    findings.push(
      reportFindingSchema.parse({
        checkId: f.checkId,
        title: check?.title ?? f.checkId,
        severity: check?.severity ?? "medium",
        source: f.source,
        sourceType: f.sourceType,
        account: f.account,
        region: f.region,
        resourceId: f.resourceId,
        status: f.status,
        reason: f.reason,
        controls: f.controls ?? check?.controls.map((m) => m.control) ?? [],
        remediation: check?.remediation ?? "",
        evidenceSha256: f.evidenceSha256,
        exception: f.exception ?? null,
      }),
    );
  }
  return findings;
}
