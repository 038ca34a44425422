/**
 * Reproducible audit samples (clause 9.2). Pure. The population is sorted and hashed, and the
 * draw comes from a generator anyone can rebuild from the seed with sha256 alone: block i is
 * sha256("<seed>:<i>"), read as eight 32-bit big-endian words. An external auditor with the same
 * population (same hash) and seed redraws the same items in the same order, with any tool.
 */
import { createHash } from "node:crypto";
import { canonicalJson, sha256 } from "./canonical.js";

/** A deterministic stream of 32-bit words from a seed. */
export class SeededStream {
  private block = 0;
  private words: number[] = [];

  constructor(private readonly seed: string) {}

  nextUint32(): number {
    if (this.words.length === 0) {
      const digest = createHash("sha256").update(`${this.seed}:${this.block++}`, "utf8").digest();
      for (let i = 0; i < 32; i += 4) this.words.push(digest.readUInt32BE(i));
    }
    return this.words.shift() as number;
  }

  /** A uniform integer in [0, bound): rejection sampling, so no value is favoured by the modulo. */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`bound must be an integer in 1..2^32; got ${bound}`);
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const word = this.nextUint32();
      if (word < limit) return word % bound;
    }
  }
}

export interface Sample {
  /** The population, sorted by code unit, deduplicated: what was hashed. */
  populationSize: number;
  populationSha256: string;
  /** The drawn items, in draw order. */
  items: string[];
}

/** The population's canonical form and its digest (sorted, deduplicated, as a JSON array). */
export function populationDigest(population: readonly string[]): { sorted: string[]; sha256: string } {
  const sorted = [...new Set(population)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { sorted, sha256: sha256(canonicalJson(sorted)) };
}

/** `size` items without replacement (all of them when the population is smaller): a partial Fisher-Yates shuffle. */
export function drawSample(population: readonly string[], size: number, seed: string): Sample {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer; got ${size}`);
  const { sorted, sha256: digest } = populationDigest(population);
  const stream = new SeededStream(seed);
  const pool = [...sorted];
  const n = Math.min(size, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + stream.below(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return { populationSize: sorted.length, populationSha256: digest, items: pool.slice(0, n) };
}
