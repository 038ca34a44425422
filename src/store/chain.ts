/**
 * The tamper-evident hash chain. Each finished run's hash covers its header, the digests of its
 * evidence (in insertion order), digests of its findings, control results and objective
 * measurements, and the previous run's hash, so editing any stored row of any run breaks every
 * hash from that run on.
 */
import type { ControlResult, Finding } from "../domain.js";
import { canonicalJson, sha256 } from "../engine/canonical.js";

export const GENESIS_HASH = "0".repeat(64);

export interface RunHashInput {
  prevHash: string;
  runId: number;
  startedAt: string;
  finishedAt: string;
  status: string;
  organization: string;
  evidenceSha256: readonly string[];
  findingsDigest: string;
  controlsDigest: string;
  objectivesDigest: string;
  /** sha256 of the run's context (what it was judged with); null for runs stored before contexts were kept. */
  contextDigest: string | null;
}

export function runHash(input: RunHashInput): string {
  const { contextDigest, ...older } = input;
  return sha256(canonicalJson({ ...older, evidenceSha256: [...input.evidenceSha256], ...(contextDigest !== null ? { contextDigest } : {}) }));
}

/** Digest over rows read back from the store, in a fixed order. */
export function rowsDigest(rows: readonly unknown[]): string {
  return sha256(canonicalJson(rows));
}

/*
 * Fields added after runs were first chained are left out of a row's digest while they hold
 * their "absent" value, so runs stored by an earlier version still verify byte for byte.
 */

export function findingDigestRow(finding: Finding): unknown {
  const { exception, ...rest } = finding;
  return exception ? { ...rest, exception } : rest;
}

export function controlDigestRow(result: ControlResult): unknown {
  const { justification, counts, elements, ...rest } = result;
  const { excepted, ...older } = counts;
  return { ...rest, counts: excepted > 0 ? counts : older, ...(justification ? { justification } : {}), ...(elements ? { elements } : {}) };
}

/**
 * Run hash, version 2 (runs finished from schema 6 on): also covers the run's error, host and
 * sources, every evidence header (kind, API call, source, account, region, collected at) beside
 * its digest, the collector outcomes, what the run was judged with, and the head of the ledger
 * (manual evidence, exceptions, drift, alert deliveries, prunes) when the run finished.
 */
export interface RunHashInputV2 {
  prevHash: string;
  runId: number;
  startedAt: string;
  finishedAt: string;
  status: string;
  organization: string;
  error: string | null;
  host: string;
  sources: readonly string[];
  evidenceDigest: string;
  findingsDigest: string;
  controlsDigest: string;
  objectivesDigest: string;
  outcomesDigest: string;
  contextDigest: string | null;
  ledgerHead: string;
}

export function runHashV2(input: RunHashInputV2): string {
  return sha256(canonicalJson({ version: 2, ...input, sources: [...input.sources] }));
}

/** The kinds of ledger entry: rows outside any run that reports, the SoA or packs show. */
export const LEDGER_KINDS = ["manual_evidence", "exception", "drift", "alert_delivery", "prune", "register", "run_summary"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerEntryInput {
  seq: number;
  kind: LedgerKind;
  /** The row it records: a manual evidence id, an exception id, a run id (drift, prune, run summary), a delivery id, a register record's seq. */
  ref: string;
  at: string;
  contentSha256: string;
  prevHash: string;
}

export function ledgerHash(entry: LedgerEntryInput): string {
  return sha256(canonicalJson(entry));
}
