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

/**
 * Each record's parse per schema: several checks read one payload (five IAM checks, one credential
 * report of thousands of users), and it is validated once. Checks are pure, so the parsed data is
 * shared read-only; the entries go with the record.
 */
type ParsesBySchema = Map<z.ZodType<unknown>, z.ZodSafeParseResult<unknown>>;
const parsedPayloads = new WeakMap<StoredEvidence, ParsesBySchema>();

function parsePayload<T>(record: StoredEvidence, schema: z.ZodType<T>): z.ZodSafeParseResult<T> {
  let bySchema = parsedPayloads.get(record);
  if (!bySchema) parsedPayloads.set(record, (bySchema = new Map() as ParsesBySchema));
  let parsed = bySchema.get(schema);
  if (!parsed) bySchema.set(schema, (parsed = schema.safeParse(record.payload)));
  return parsed as z.ZodSafeParseResult<T>;
}

/** Stored evidence of one kind, validated against the schema the check relies on. */
export function readEvidence<T>(view: EvidenceView, kind: string, schema: z.ZodType<T>): { record: StoredEvidence; data: T } {
  const record = view.get(kind);
  if (!record) throw new Error(`no ${kind} evidence was collected for ${view.scope.account}`);
  const parsed = parsePayload(record, schema);
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
