/**
 * Schedules from config: the top-level one runs every source without its own; a source with a
 * schedule of its own runs alone on it. Cron with time zones, by croner.
 */
import { Cron } from "croner";
import { configuredSources, type Config } from "../../src/config/schema.js";

export interface ScheduledScope {
  /** "all" or the source's name: what logs and metrics call it. */
  name: string;
  cron: string;
  timezone: string;
  sources: string[];
}

export function scheduledScopes(config: Config): ScheduledScope[] {
  const timezone = config.schedule?.timezone ?? "UTC";
  const all = configuredSources(config);
  const scopes: ScheduledScope[] = [];
  const onMain = all
    .filter((s) => !s.schedule)
    .map((s) => s.name)
    .sort();
  if (config.schedule && onMain.length > 0) scopes.push({ name: "all", cron: config.schedule.cron, timezone, sources: onMain });
  for (const source of all) {
    if (source.schedule) scopes.push({ name: source.name, cron: source.schedule.cron, timezone: source.schedule.timezone ?? timezone, sources: [source.name] });
  }
  return scopes;
}

/** The next `count` run times of a cron expression after `from`. */
export function nextRuns(cron: string, timezone: string, from: Date, count: number): Date[] {
  return new Cron(cron, { timezone, paused: true }).nextRuns(count, from);
}

/** Hours between two consecutive runs of the longest schedule; null without any schedule. */
export function scheduleIntervalHours(config: Config, from = new Date()): number | null {
  const intervals = scheduledScopes(config).map((scope) => {
    const [a, b] = nextRuns(scope.cron, scope.timezone, from, 2);
    return a && b ? (b.getTime() - a.getTime()) / 3_600_000 : 24;
  });
  return intervals.length > 0 ? Math.max(...intervals) : null;
}

/** Default evidence age limit: twice the schedule interval, 48 h when nothing is scheduled. */
export function maxEvidenceAgeHours(config: Config): (checkId: string) => number {
  const fallback = config.freshness.maxAgeHours ?? 2 * (scheduleIntervalHours(config) ?? 24);
  return (checkId) => config.freshness.checks[checkId] ?? fallback;
}
