/**
 * Drift: what changed between the previous completed run of a scope and this one. Pure.
 * Each event names one thing (a finding, a resource, a control, an objective, a collector) by a
 * key that stays the same across runs, which is what alerts dedupe on.
 */
import type {
  CollectorOutcome,
  ControlResult,
  DriftEvent,
  Finding,
  FindingStatus,
  ObjectiveMeasurement,
  Severity,
} from "../domain.js";

export interface RunState {
  findings: readonly Finding[];
  controls: readonly ControlResult[];
  objectives: readonly ObjectiveMeasurement[];
  outcomes: readonly CollectorOutcome[];
}

export interface DriftInput {
  previous: RunState;
  current: RunState;
  severityOf: (checkId: string) => Severity;
}

export function findingKey(f: Pick<Finding, "checkId" | "source" | "account" | "region" | "resourceId">): string {
  return `finding:${f.checkId}:${f.source}:${f.account}:${f.region}:${f.resourceId}`;
}

function resourceKey(f: Finding): string {
  return `resource:${f.source}:${f.account}:${f.region}:${f.resourceId}`;
}

function checkScopeKey(f: Finding): string {
  return `${f.checkId}:${f.source}:${f.account}:${f.region}`;
}

export function collectorKey(o: Pick<CollectorOutcome, "collector" | "source" | "account" | "region">): string {
  return `collector:${o.collector}:${o.source}:${o.account}:${o.region}`;
}

function where(f: Finding): string {
  return `${f.resourceId} (${f.source}, account ${f.account}${f.region === "global" ? "" : `, ${f.region}`})`;
}

const FAILING: ReadonlySet<FindingStatus> = new Set(["fail", "excepted"]);

export function detectDrift(input: DriftInput): DriftEvent[] {
  const { previous, current, severityOf } = input;
  const events: DriftEvent[] = [];
  const base = { checkId: null, controlId: null, objectiveId: null, before: null, after: null };

  const before = new Map(previous.findings.map((f) => [findingKey(f), f]));
  // A check that could not be judged last time (collector error) has no comparable findings there.
  const unjudgedBefore = new Set(previous.findings.filter((f) => f.status === "error").map(checkScopeKey));
  const unjudgedNow = new Set(current.findings.filter((f) => f.status === "error").map(checkScopeKey));

  for (const f of current.findings) {
    const was = before.get(findingKey(f));
    const finding = { ...base, checkId: f.checkId, key: findingKey(f), before: was?.status ?? null, after: f.status };
    if (f.status === "error" || was?.status === "error") continue;
    if (!was) {
      if (f.status === "fail" && !unjudgedBefore.has(checkScopeKey(f))) {
        events.push({ ...finding, kind: "new_failure", severity: severityOf(f.checkId), message: `${f.checkId} fails for ${where(f)}, which was not seen before: ${f.reason}` });
      }
      continue;
    }
    if (was.status === "pass" && f.status === "fail") {
      events.push({ ...finding, kind: "regression", severity: severityOf(f.checkId), message: `${f.checkId} now fails for ${where(f)}: ${f.reason}` });
    } else if (was.status === "excepted" && f.status === "fail") {
      events.push({
        ...finding,
        kind: "exception_expired",
        severity: severityOf(f.checkId),
        message: `The exception ${was.exception?.id ?? ""} for ${f.checkId} on ${where(f)} has expired (it ran to ${was.exception?.expires ?? "?"}); the finding is a failure again: ${f.reason}`,
      });
    } else if (FAILING.has(was.status) && f.status === "pass") {
      events.push({ ...finding, kind: "fixed", severity: "low", message: `${f.checkId} passes again for ${where(f)}.` });
    }
  }

  const judged = (fs: readonly Finding[]) => fs.filter((f) => f.status !== "error");
  const resourcesBefore = new Map(judged(previous.findings).map((f) => [resourceKey(f), f]));
  const resourcesNow = new Map(judged(current.findings).map((f) => [resourceKey(f), f]));
  const seenBefore = new Set(previous.findings.map(resourceKey));
  const seenNow = new Set(current.findings.map(resourceKey));
  for (const [key, f] of resourcesNow) {
    if (!seenBefore.has(key)) {
      events.push({ ...base, kind: "new_resource", key, severity: "low", message: `New resource ${where(f)} appeared in the evidence.` });
    }
  }
  for (const [key, f] of resourcesBefore) {
    if (resourcesNow.has(key)) continue;
    // Not vanished if it simply could not be seen this time.
    if (seenNow.has(key) || unjudgedNow.has(checkScopeKey(f))) continue;
    events.push({ ...base, kind: "vanished_resource", key, severity: "low", message: `Resource ${where(f)} is no longer in the evidence.` });
  }

  const controlsBefore = new Map(previous.controls.map((c) => [c.controlId, c]));
  for (const c of current.controls) {
    const was = controlsBefore.get(c.controlId);
    if (!was || was.status === c.status) continue;
    const severity: Severity = c.status === "fail" ? "high" : c.status === "pass" ? "low" : "medium";
    events.push({
      ...base,
      kind: "control_changed",
      key: `control:${c.controlId}`,
      controlId: c.controlId,
      severity,
      before: was.status,
      after: c.status,
      message: `Control ${c.controlId} went from ${was.status.replace("_", " ")} to ${c.status.replace("_", " ")}.`,
    });
  }

  const objectivesBefore = new Map(previous.objectives.map((o) => [o.objectiveId, o]));
  for (const o of current.objectives) {
    const was = objectivesBefore.get(o.objectiveId);
    if (!was) continue;
    const fell = was.value !== null && o.value !== null && o.value < was.value;
    if (was.status === o.status && !fell) continue;
    const worse = o.status === "at_risk" || o.status === "missed";
    const value = (v: number | null) => (v === null ? "no data" : `${v}%`);
    events.push({
      ...base,
      kind: "objective_changed",
      key: `objective:${o.objectiveId}`,
      objectiveId: o.objectiveId,
      severity: worse ? "high" : fell ? "medium" : "low",
      before: `${was.status} ${value(was.value)}`,
      after: `${o.status} ${value(o.value)}`,
      message:
        was.status === o.status
          ? `Objective "${o.title}" fell from ${value(was.value)} to ${value(o.value)} (target ${o.target}% by ${o.deadline}); still ${o.status.replace("_", " ")}.`
          : `Objective "${o.title}" went from ${was.status.replace("_", " ")} to ${o.status.replace("_", " ")} (${value(was.value)} → ${value(o.value)}, target ${o.target}% by ${o.deadline}).`,
    });
  }

  const outcomesBefore = new Map(previous.outcomes.map((o) => [collectorKey(o), o]));
  for (const o of current.outcomes) {
    const was = outcomesBefore.get(collectorKey(o));
    const name = `${o.collector} of ${o.source} (account ${o.account}, ${o.region})`;
    if (o.status === "error" && was?.status !== "error") {
      events.push({ ...base, kind: "collector_failed", key: collectorKey(o), severity: "high", before: was?.status ?? null, after: "error", message: `Collector ${name} failed: ${o.error ?? "no reason given"}` });
    } else if (o.status === "ok" && was?.status === "error") {
      events.push({ ...base, kind: "collector_recovered", key: collectorKey(o), severity: "low", before: "error", after: "ok", message: `Collector ${name} works again.` });
    }
  }
  return events;
}
