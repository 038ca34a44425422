/**
 * The tamper-evident hash chain. Each finished run's hash covers its header, the digests of its
 * evidence (in insertion order), digests of its findings, control results and objective
 * measurements, and the previous run's hash, so editing any stored row of any run breaks every
 * hash from that run on.
 */
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
}

export function runHash(input: RunHashInput): string {
  return sha256(canonicalJson({ ...input, evidenceSha256: [...input.evidenceSha256] }));
}

/** Digest over rows read back from the store, in a fixed order. */
export function rowsDigest(rows: readonly unknown[]): string {
  return sha256(canonicalJson(rows));
}
