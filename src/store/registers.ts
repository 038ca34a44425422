/**
 * The PDCA registers over the store's versioned records: each read is checked against the
 * register's schema (stored JSON is an edge where data comes in), each write is a new version,
 * chained in the ledger by the store.
 */
import type { z } from "zod";
import { StoreError } from "../errors.js";
import {
  auditSampleSchema,
  nonconformitySchema,
  reviewRecordSchema,
  registersSnapshotSchema,
  riskSchema,
  runSummarySchema,
  type RegistersSnapshot,
  type AuditSample,
  type Nonconformity,
  type RegisterName,
  type ReviewRecord,
  type Risk,
  type RunSummary,
} from "../registers.js";
import type { RegisterRecord, Store } from "./store.js";

const SCHEMAS = { risk: riskSchema, nonconformity: nonconformitySchema, review: reviewRecordSchema, audit_sample: auditSampleSchema } as const;
type EntryOf<R extends RegisterName> = z.infer<(typeof SCHEMAS)[R]>;

function parseRecord<R extends RegisterName>(store: Store, register: R, record: RegisterRecord): EntryOf<R> & { version: number } {
  const parsed = SCHEMAS[register].safeParse(record.content);
  if (!parsed.success) {
    throw new StoreError(
      store.location,
      `holds ${register} ${record.entryId} (version ${record.version}) in a shape this version does not read: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(entry)"}: ${i.message}`).join("; ")}`,
    );
  }
  return { ...(parsed.data as EntryOf<R>), version: record.version };
}

async function entries<R extends RegisterName>(store: Store, register: R): Promise<(EntryOf<R> & { version: number })[]> {
  return (await store.registerRecords(register)).map((r) => parseRecord(store, register, r));
}

/** Writes a new version of an entry; the schema is applied first, so nothing malformed is chained. */
async function record<R extends RegisterName>(store: Store, register: R, entry: EntryOf<R> & { id: string }, at: string): Promise<number> {
  const content = SCHEMAS[register].parse(entry);
  return store.appendRegisterRecord(register, entry.id, content, at);
}

export const risksInStore = (store: Store): Promise<(Risk & { version: number })[]> => entries(store, "risk");
export const recordRisk = (store: Store, risk: Risk, at: string): Promise<number> => record(store, "risk", risk, at);

export const nonconformitiesInStore = (store: Store): Promise<(Nonconformity & { version: number })[]> => entries(store, "nonconformity");
export const recordNonconformity = (store: Store, nc: Nonconformity, at: string): Promise<number> => record(store, "nonconformity", nc, at);

/** Every version of every nonconformity, oldest first: its lifecycle (opened, actioned, verified, reopened). */
export async function nonconformityHistory(store: Store): Promise<(Nonconformity & { version: number; recordedAt: string })[]> {
  return (await store.registerRecords("nonconformity", { allVersions: true })).map((r) => ({
    ...parseRecord(store, "nonconformity", r),
    recordedAt: r.recordedAt,
  }));
}

export const reviewRecordsInStore = (store: Store): Promise<(ReviewRecord & { version: number })[]> => entries(store, "review");
export const recordReview = (store: Store, review: ReviewRecord, at: string): Promise<number> => record(store, "review", review, at);

export const auditSamplesInStore = (store: Store): Promise<(AuditSample & { version: number })[]> => entries(store, "audit_sample");
export const recordAuditSample = (store: Store, sample: AuditSample, at: string): Promise<number> => record(store, "audit_sample", sample, at);

export async function runSummariesSince(store: Store, since: string): Promise<RunSummary[]> {
  return (await store.runSummaries(since)).map((raw) => {
    const parsed = runSummarySchema.safeParse(raw);
    if (!parsed.success) throw new StoreError(store.location, `holds a run summary in a shape this version does not read: ${parsed.error.message}`);
    return parsed.data;
  });
}

export async function saveRunSummary(store: Store, summary: RunSummary, registers: RegistersSnapshot): Promise<void> {
  await store.saveRunSummary(summary.runId, summary.startedAt, runSummarySchema.parse(summary), registersSnapshotSchema.parse(registers));
}

/** The registers as they stood after a run; null for runs stored before the registers were kept. */
export async function registersAfterRun(store: Store, runId: number): Promise<RegistersSnapshot | null> {
  const raw = await store.runRegisters(runId);
  if (raw === null) return null;
  const parsed = registersSnapshotSchema.safeParse(raw);
  if (!parsed.success)
    throw new StoreError(store.location, `holds the registers of run ${runId} in a shape this version does not read: ${parsed.error.message}`);
  return parsed.data;
}
