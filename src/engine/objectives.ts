/**
 * SMART objectives: measure a metric from this run's findings, then judge the status from the
 * history of measurements and the deadline. Pure.
 *
 * An excepted finding (accepted risk) counts as not compliant: it stays in the denominator and
 * out of the numerator, so accepting a risk never raises an objective.
 */
import type { Finding, FindingCounts, ObjectiveMeasurement, ObjectiveStatus } from "../domain.js";

/** A metric is "% of findings passing" over a set of checks; built-in ones are named sets. */
export interface MetricDefinition {
  id: string;
  description: string;
  checks: readonly string[];
}

export const BUILT_IN_METRICS: readonly MetricDefinition[] = [
  {
    id: "mfa_enrolment",
    description: "Console users with MFA / console users, over every source that reports them (AWS IAM, Entra ID, GitHub members).",
    checks: ["aws.iam.console-user-mfa", "azure.entra.user-mfa-registered", "github.org.members-2fa"],
  },
  {
    id: "firewall_compliance",
    description: "Security groups (AWS) and network security groups (Azure) passing every firewall rule / those judged; a group failing any rule counts once.",
    checks: ["aws.config.firewall-rules", "azure.network.nsg-admin-ports-closed"],
  },
];

export interface ObjectiveDefinition {
  id: string;
  title: string;
  metric: string;
  /** Explicit check ids, for a metric defined in config rather than built in. */
  checks?: readonly string[] | undefined;
  target: number;
  deadline: string;
  owner: string;
  controls: readonly string[];
}

export function metricChecks(objective: ObjectiveDefinition): readonly string[] {
  if (objective.checks && objective.checks.length > 0) return objective.checks;
  return BUILT_IN_METRICS.find((m) => m.id === objective.metric)?.checks ?? [];
}

export function measure(
  objective: ObjectiveDefinition,
  findings: readonly Finding[],
  history: readonly ObjectiveMeasurement[],
  now: Date,
): ObjectiveMeasurement {
  const byCheck = new Map<string, FindingCounts>();
  for (const finding of findings) {
    let counts = byCheck.get(finding.checkId);
    if (!counts) byCheck.set(finding.checkId, (counts = { pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 0 }));
    counts[finding.status]++;
  }
  return measureCounts(objective, byCheck, history, now);
}

/** The same measurement from finding counts per check (what a run keeps while findings stream to the store). */
export function measureCounts(
  objective: ObjectiveDefinition,
  countsByCheck: ReadonlyMap<string, FindingCounts>,
  history: readonly ObjectiveMeasurement[],
  now: Date,
): ObjectiveMeasurement {
  let numerator = 0;
  let denominator = 0;
  let errors = 0;
  for (const checkId of new Set(metricChecks(objective))) {
    const counts = countsByCheck.get(checkId);
    if (!counts) continue;
    numerator += counts.pass;
    denominator += counts.pass + counts.fail + counts.excepted;
    errors += counts.error;
  }
  const value = denominator === 0 ? null : round2((numerator / denominator) * 100);
  const measuredAt = now.toISOString();
  const status = objectiveStatus([...history, { value, measuredAt }], objective.target, objective.deadline, now);
  return {
    objectiveId: objective.id,
    title: objective.title,
    owner: objective.owner,
    metric: objective.metric,
    value,
    numerator,
    denominator,
    errors,
    target: objective.target,
    deadline: objective.deadline,
    status,
    measuredAt,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const DAY_MS = 86_400_000;

/**
 * Status from the history (oldest first, the current measurement last):
 * met (latest at or above target), missed (deadline passed below target), on_track (a least-squares
 * line through the measurements reaches the target by the deadline), at_risk (it does not, or there
 * is only one measurement below target), no_data (no value yet).
 */
export function objectiveStatus(
  history: readonly { value: number | null; measuredAt: string }[],
  target: number,
  deadline: string,
  now: Date,
): ObjectiveStatus {
  const points = history.filter((m): m is { value: number; measuredAt: string } => m.value !== null);
  const latest = points.at(-1);
  if (!latest || history.at(-1)?.value === null) return "no_data";
  if (latest.value >= target) return "met";
  const deadlineTime = endOfDay(deadline);
  if (now.getTime() > deadlineTime) return "missed";
  const projection = projectedDate(points, target);
  return projection !== null && projection.getTime() <= deadlineTime ? "on_track" : "at_risk";
}

/** When a least-squares line through the measurements reaches `target`; null if it never does. */
export function projectedDate(points: readonly { value: number; measuredAt: string }[], target: number): Date | null {
  if (points.length < 2) return null;
  const xs = points.map((p) => Date.parse(p.measuredAt) / DAY_MS);
  const ys = points.map((p) => p.value);
  const n = points.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    sxx += ((xs[i] ?? 0) - mx) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  if (slope <= 0) return null;
  const x = mx + (target - my) / slope;
  return new Date(Math.max(x, xs[n - 1] ?? x) * DAY_MS);
}

function endOfDay(day: string): number {
  return Date.parse(`${day}T23:59:59.999Z`);
}

export type Trend = "up" | "down" | "flat" | "none";

/** Direction of the last two measured values. */
export function trendOf(history: readonly { value: number | null }[]): Trend {
  const values = history.map((m) => m.value).filter((v): v is number => v !== null);
  const [previous, latest] = values.slice(-2);
  if (previous === undefined || latest === undefined) return "none";
  return latest > previous ? "up" : latest < previous ? "down" : "flat";
}

export const TREND_ARROWS: Record<Trend, string> = { up: "↑", down: "↓", flat: "→", none: "·" };
