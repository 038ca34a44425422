/**
 * Helpers for writing checks: `defineCheck` keeps a check's types tied to its settings schema,
 * and `readEvidence` validates stored JSON before a check relies on it.
 */
import type { z } from "zod";
import type { Check, CheckDefinition, EvidenceView, StoredEvidence } from "../domain.js";

/**
 * A check as written (typed settings) turned into the shape the engine runs: settings arrive as
 * config gave them and are parsed here against the check's own schema, defaults applied.
 */
export function defineCheck<S>(definition: CheckDefinition<S>): Check {
  return {
    ...definition,
    evaluate: (context) => definition.evaluate({ ...context, settings: definition.settings.parse(context.settings ?? {}) }),
  };
}

/** Stored evidence of one kind, validated against the schema the check relies on. */
export function readEvidence<T>(view: EvidenceView, kind: string, schema: z.ZodType<T>): { record: StoredEvidence; data: T } {
  const record = view.get(kind);
  if (!record) throw new Error(`no ${kind} evidence was collected for ${view.scope.account}`);
  const parsed = schema.safeParse(record.payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `the stored ${kind} evidence (sha256 ${record.sha256.slice(0, 12)}) is not in the expected shape: ` +
        `${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`,
    );
  }
  return { record, data: parsed.data };
}

const DAY_MS = 86_400_000;

/** Whole days from `then` to `now`, rounded down. */
export function daysBetween(then: Date, now: Date): number {
  return Math.floor((now.getTime() - then.getTime()) / DAY_MS);
}

/** `2026-03-02` */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
