/**
 * Drift reads only the keys where two runs can differ (driftCandidates). A seeded random pair of
 * runs, stored in SQLite, gives the same drift events read that way as read whole.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Finding, FindingStatus } from "../../src/domain.js";
import { detectDriftFrom, type DriftSource } from "../../src/engine/drift.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import type { DriftKey } from "../../src/store/store.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: FindingStatus[] = ["pass", "fail", "error", "not_applicable", "excepted"];

function findingsOf(next: () => number, variant: number): Finding[] {
  const findings: Finding[] = [];
  for (let i = 0; i < 400; i++) {
    // Some resources are only in one of the two runs; some keys have two findings.
    if (next() < 0.08) continue;
    const copies = i % 40 === 0 || next() < 0.05 ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const status = next() < 0.15 ? STATUSES[Math.floor(next() * STATUSES.length)]! : STATUSES[(i + c) % 2]!;
      findings.push({
        checkId: `check.${i % 7}`,
        source: i % 3 === 0 ? "prod" : "dev",
        sourceType: "aws",
        account: `11112222333${i % 2}`,
        region: i % 5 === 0 ? "global" : "eu-west-1",
        resourceId: `arn:aws:iam::111122223333:user/üser-${i}${next() < 0.03 ? `-v${variant}` : ""}`,
        status,
        reason: `Finding ${i} of run ${variant}.`,
        evidenceSha256: null,
        controls: null,
        ...(status === "excepted" ? { exception: { id: "EX-1", reason: "r", owner: "o", approvedBy: "a", expires: "2027-01-01" } } : {}),
      });
    }
  }
  return findings;
}

async function storedRun(store: SqliteStore, day: string, findings: Finding[]): Promise<number> {
  const run = await store.startRun({ organization: "Example Ltd", startedAt: `${day}T00:00:00.000Z` });
  await store.finishRun(run.id, { status: "completed", finishedAt: `${day}T00:00:01.000Z`, findings, controls: [], objectives: [] });
  return run.id;
}

function source(store: SqliteStore, runId: number, only?: { findings: DriftKey[]; resources: DriftKey[] }): DriftSource {
  return {
    findings: () => store.findingsInKeyOrder(runId, only?.findings),
    resources: () => store.resourcesInKeyOrder(runId, only?.resources),
    unjudged: new Set(),
    controls: [],
    objectives: [],
    outcomes: [],
  };
}

describe("drift candidates", () => {
  it.each([1, 2, 3, 4, 5])("read only where two runs differ, drift finds what a whole read finds (seed %i)", async (seed) => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
    const next = random(seed);
    const before = await storedRun(store, "2026-11-01", findingsOf(next, 1));
    const after = await storedRun(store, "2026-11-02", findingsOf(next, 2));
    const severity = () => "medium" as const;
    const whole = await detectDriftFrom(source(store, before), source(store, after), severity);
    const differing = await store.driftCandidates(before, after);
    const candidates = await detectDriftFrom(source(store, before, differing), source(store, after, differing), severity);
    expect(whole.length).toBeGreaterThan(10);
    expect(candidates).toEqual(whole);
    // And it read less than everything.
    expect(differing.findings.length).toBeLessThan(400);
    await store.close();
  });

  it("an unchanged run has nothing to read", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
    const findings = findingsOf(random(9), 1).filter((f, i, all) => all.findIndex((g) => g.resourceId === f.resourceId && g.checkId === f.checkId) === i);
    const before = await storedRun(store, "2026-11-01", findings);
    const after = await storedRun(store, "2026-11-02", findings);
    expect(await store.driftCandidates(before, after)).toEqual({ findings: [], resources: [] });
    await store.close();
  });
});
