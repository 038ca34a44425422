/**
 * Drift: what changed between the previous completed run of a scope and this one. Pure.
 * Each event names one thing (a finding, a resource, a control, an objective, a collector) by a
 * key that stays the same across runs, which is what alerts dedupe on.
 */
import type { CollectorOutcome, ControlResult, DriftEvent, Finding, FindingStatus, ObjectiveMeasurement, Severity } from "../domain.js";

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

function resourceKey(f: Pick<Finding, "source" | "account" | "region" | "resourceId">): string {
  return `resource:${f.source}:${f.account}:${f.region}:${f.resourceId}`;
}

export function checkScopeKey(f: Pick<Finding, "checkId" | "source" | "account" | "region">): string {
  return `${f.checkId}:${f.source}:${f.account}:${f.region}`;
}

export function collectorKey(o: Pick<CollectorOutcome, "collector" | "source" | "account" | "region">): string {
  return `collector:${o.collector}:${o.source}:${o.account}:${o.region}`;
}

function where(f: Pick<Finding, "source" | "account" | "region" | "resourceId">): string {
  return `${f.resourceId} (${f.source}, account ${f.account}${f.region === "global" ? "" : `, ${f.region}`})`;
}

const FAILING: ReadonlySet<FindingStatus> = new Set(["fail", "excepted"]);

/** One resource of a run as drift compares it: whether any check judged it, and the check that last did. */
export interface ResourceSeen {
  source: string;
  account: string;
  region: string;
  resourceId: string;
  /** The check of the newest non-error finding on it; null when every finding on it was an error. */
  judgedBy: string | null;
}

/**
 * A run as drift reads it: its findings in key order (check, source, account, region, resource,
 * then insertion) and its resources in key order, streamed, so two runs are compared by a merge
 * instead of two whole maps; plus the small parts (check scopes that errored, controls,
 * objectives, collector outcomes).
 */
export interface DriftSource {
  findings(): AsyncIterable<Finding>;
  resources(): AsyncIterable<ResourceSeen>;
  /** `check:source:account:region` of every error finding. */
  unjudged: ReadonlySet<string>;
  controls: readonly ControlResult[];
  objectives: readonly ObjectiveMeasurement[];
  outcomes: readonly CollectorOutcome[];
}

/** Byte order of the UTF-8 text, field by field: the order SQLite's BINARY collation sorts in. */
export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareUtf8(a[i] ?? "", b[i] ?? "");
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * The UTF-8 byte order of two strings without encoding them: UTF-8 sorts by code point, and
 * UTF-16 code units sort the same way except that surrogates (U+D800–DFFF, the halves of code
 * points above U+FFFF) come before U+E000–FFFF; moving them above that range at the first
 * difference gives code point order.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function findingSortKey(f: Pick<Finding, "checkId" | "source" | "account" | "region" | "resourceId">): string[] {
  return [f.checkId, f.source, f.account, f.region, f.resourceId];
}

export function resourceSortKey(r: Pick<ResourceSeen, "source" | "account" | "region" | "resourceId">): string[] {
  return [r.source, r.account, r.region, r.resourceId];
}

/** A run held in memory as a DriftSource (tests, and runs small enough to hold). */
export function driftSourceOf(state: RunState): DriftSource {
  const findings = [...state.findings].sort((a, b) => compareKeys(findingSortKey(a), findingSortKey(b)));
  const resources = new Map<string, ResourceSeen>();
  for (const f of state.findings) {
    const key = resourceKey(f);
    const seen = resources.get(key) ?? { source: f.source, account: f.account, region: f.region, resourceId: f.resourceId, judgedBy: null };
    if (f.status !== "error") seen.judgedBy = f.checkId;
    resources.set(key, seen);
  }
  const sortedResources = [...resources.values()].sort((a, b) => compareKeys(resourceSortKey(a), resourceSortKey(b)));
  return {
    findings: () => iterate(findings),
    resources: () => iterate(sortedResources),
    unjudged: new Set(state.findings.filter((f) => f.status === "error").map(checkScopeKey)),
    controls: state.controls,
    objectives: state.objectives,
    outcomes: state.outcomes,
  };
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield await Promise.resolve(item);
}

/** Walks two sorted streams together, handing each key's items from both sides at once. */
async function* mergeByKey<T>(left: AsyncIterable<T>, right: AsyncIterable<T>, keyOf: (item: T) => string[]): AsyncIterable<{ before: T[]; now: T[] }> {
  const a = left[Symbol.asyncIterator]();
  const b = right[Symbol.asyncIterator]();
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    const key = !x.done && (y.done || compareKeys(keyOf(x.value), keyOf(y.value)) <= 0) ? keyOf(x.value) : keyOf((y as IteratorYieldResult<T>).value);
    const before: T[] = [];
    const now: T[] = [];
    while (!x.done && compareKeys(keyOf(x.value), key) === 0) {
      before.push(x.value);
      x = await a.next();
    }
    while (!y.done && compareKeys(keyOf(y.value), key) === 0) {
      now.push(y.value);
      y = await b.next();
    }
    yield { before, now };
  }
}

export async function detectDrift(input: DriftInput): Promise<DriftEvent[]> {
  return detectDriftFrom(driftSourceOf(input.previous), driftSourceOf(input.current), input.severityOf);
}

export async function detectDriftFrom(previous: DriftSource, current: DriftSource, severityOf: (checkId: string) => Severity): Promise<DriftEvent[]> {
  const events: DriftEvent[] = [];
  const base = { checkId: null, controlId: null, objectiveId: null, before: null, after: null };
  // A check that could not be judged last time (collector error) has no comparable findings there.
  const unjudgedBefore = previous.unjudged;
  const unjudgedNow = current.unjudged;

  for await (const { before, now } of mergeByKey(previous.findings(), current.findings(), findingSortKey)) {
    // Of several findings with one key, the newest stands for the previous run.
    const was = before.at(-1);
    for (const f of now) {
      const finding = { ...base, checkId: f.checkId, key: findingKey(f), before: was?.status ?? null, after: f.status };
      if (f.status === "error" || was?.status === "error") continue;
      if (!was) {
        if (f.status === "fail" && !unjudgedBefore.has(checkScopeKey(f))) {
          events.push({
            ...finding,
            kind: "new_failure",
            severity: severityOf(f.checkId),
            message: `${f.checkId} fails for ${where(f)}, which was not seen before: ${f.reason}`,
          });
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
  }

  for await (const { before, now } of mergeByKey(previous.resources(), current.resources(), resourceSortKey)) {
    const was = before[0];
    const is = now[0];
    if (is?.judgedBy && !was) {
      events.push({ ...base, kind: "new_resource", key: resourceKey(is), severity: "low", message: `New resource ${where(is)} appeared in the evidence.` });
    }
    // Not vanished if it simply could not be seen this time.
    if (was?.judgedBy && !is && !unjudgedNow.has(checkScopeKey({ ...was, checkId: was.judgedBy }))) {
      events.push({
        ...base,
        kind: "vanished_resource",
        key: resourceKey(was),
        severity: "low",
        message: `Resource ${where(was)} is no longer in the evidence.`,
      });
    }
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
      events.push({
        ...base,
        kind: "collector_failed",
        key: collectorKey(o),
        severity: "high",
        before: was?.status ?? null,
        after: "error",
        message: `Collector ${name} failed: ${o.error ?? "no reason given"}`,
      });
    } else if (o.status === "ok" && was?.status === "error") {
      events.push({
        ...base,
        kind: "collector_recovered",
        key: collectorKey(o),
        severity: "low",
        before: "error",
        after: "ok",
        message: `Collector ${name} works again.`,
      });
    }
  }
  return events;
}
