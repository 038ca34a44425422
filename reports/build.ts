/**
 * Builds the report of one stored run. Reads the store only, never a collector, so any run can
 * be rendered again later, byte for byte.
 */
import { ANNEX_A } from "../controls/annex-a.js";
import { findCheck } from "../controls/registry.js";
import { CONTROL_STATUSES, type ControlStatus } from "../src/domain.js";
import { emptyCounts } from "../src/engine/rollup.js";
import { UsageError } from "../src/errors.js";
import type { Store } from "../src/store/store.js";
import { toolVersion } from "../src/version.js";
import { REPORT_SCHEMA_VERSION, reportSchema, type Report } from "./schema.js";

export const REPORT_NOTES = [
  "Automated evidence supports a control; it does not prove it. A control whose coverage is \"partial\" also needs the documented policy, process or records the standard asks for.",
  "A control is \"not_evaluated\" when no automated check covers it or its evidence could not be collected: that is a gap to fill with manual evidence, never a pass.",
  "Findings with status \"error\" could not be judged (the evidence could not be collected or read); the reason says why.",
];

export async function buildReport(store: Store, runId: number): Promise<Report> {
  const run = await store.getRun(runId);
  if (!run) throw new UsageError(`run ${runId} does not exist in ${store.location}`);
  const [findings, controlResults, objectives, outcomes, evidence] = await Promise.all([
    store.findings(runId),
    store.controlResults(runId),
    store.objectiveMeasurements(runId),
    store.collectorOutcomes(runId),
    store.evidenceIndex(runId),
  ]);
  const resultsById = new Map(controlResults.map((r) => [r.controlId, r]));
  const controls = ANNEX_A.map((control) => {
    const result = resultsById.get(control.id);
    return {
      id: control.id,
      title: control.title,
      theme: control.theme,
      automation: control.automation,
      // A run that never finished has no results: every control shows as not evaluated.
      status: result?.status ?? ("not_evaluated" as const),
      coverage: result?.coverage ?? ("none" as const),
      checks: result?.checks ?? [],
      counts: result?.counts ?? emptyCounts(),
    };
  });
  const findingCounts = emptyCounts();
  for (const f of findings) findingCounts[f.status]++;
  const controlCounts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) controlCounts[c.status]++;

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    organization: run.organization,
    tool: { name: "isms-agent", version: toolVersion() },
    run: {
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      status: run.status,
      error: run.error,
      hash: run.hash,
      prevHash: run.prevHash,
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
    findings: findings.map((f) => {
      const check = findCheck(f.checkId);
      return {
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
      };
    }),
    controls,
    objectives: objectives.map((o) => ({
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
    })),
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
    notes: REPORT_NOTES,
  };
  // The report is an edge integrators read: never write one that breaks its own schema.
  return reportSchema.parse(report);
}
