/**
 * Drift is a merge of two runs' findings in key order, streamed from the store a page at a time:
 * it must find exactly what comparing the two runs held whole finds, across page boundaries and
 * for ids whose order differs between UTF-16 and UTF-8 (what the store sorts by).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DriftEvent, Finding, FindingStatus } from "../../src/domain.js";
import { detectDrift, detectDriftFrom, type DriftSource } from "../../src/engine/drift.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

// "\uFF5E" sorts after "\u{1F600}" in UTF-16 code units but before it in UTF-8 bytes.
const NAMES = ["alice", "bob", "\uFF5Eeve", "\u{1F600}mallory", "zoe"];

function finding(i: number, status: FindingStatus, check = "aws.iam.console-user-mfa"): Finding {
  return {
    source: "prod",
    sourceType: "aws",
    account: `${100000000000 + (i % 3)}`,
    region: "global",
    checkId: check,
    resourceId: `${NAMES[i % NAMES.length] ?? ""}-${i}`,
    status,
    reason: `User ${i} judged ${status}.`,
    evidenceSha256: null,
    controls: null,
  };
}

async function storeRun(store: SqliteStore, day: string, findings: Finding[]): Promise<number> {
  const run = await store.startRun({ organization: "Example Ltd", startedAt: `${day}T00:00:00.000Z`, sources: ["prod"] });
  await store.saveFindings(run.id, findings);
  await store.finishRun(run.id, { status: "completed", finishedAt: `${day}T00:00:01.000Z`, findings: [], controls: [], objectives: [] });
  return run.id;
}

async function source(store: SqliteStore, runId: number): Promise<DriftSource> {
  return {
    findings: () => store.findingsInKeyOrder(runId),
    resources: () => store.resourcesInKeyOrder(runId),
    unjudged: await store.unjudgedCheckScopes(runId),
    controls: [],
    objectives: [],
    outcomes: [],
  };
}

const sortEvents = (events: DriftEvent[]) => [...events].sort((a, b) => (a.key + a.kind < b.key + b.kind ? -1 : 1));

describe("drift as a streamed merge", () => {
  it("finds exactly what comparing both runs whole finds, over 7,000 findings a run (several pages)", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
    try {
      // Before: 7,001 users with varied statuses; after: some change, some vanish, some appear,
      // and one account's check errors (its resources must not count as vanished).
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const judgedStatus = (): FindingStatus => (["pass", "fail", "excepted", "not_applicable"] as const)[Math.floor(random() * 4)] ?? "pass";
      const before = Array.from({ length: 7001 }, (_, i) => finding(i, judgedStatus()));
      const after = Array.from({ length: 7200 }, (_, i) => i)
        .filter((i) => i % 11 !== 0)
        .map((i) => finding(i, i % 3 === 2 && i % 7 === 0 ? "error" : judgedStatus()));
      // Two findings with one key: the newest stands for the run.
      before.push({ ...finding(5, "pass"), reason: "A later finding on the same user." });
      const previous = await storeRun(store, "2026-11-01", before);
      const current = await storeRun(store, "2026-11-02", after);
      const severityOf = () => "high" as const;
      const whole = await detectDrift({
        previous: { findings: before, controls: [], objectives: [], outcomes: [] },
        current: { findings: after, controls: [], objectives: [], outcomes: [] },
        severityOf,
      });
      const merged = await detectDriftFrom(await source(store, previous), await source(store, current), severityOf);
      expect(whole.length).toBeGreaterThan(50);
      expect(new Set(whole.map((e) => e.kind))).toEqual(
        new Set(["regression", "fixed", "new_failure", "exception_expired", "new_resource", "vanished_resource"]),
      );
      expect(sortEvents(merged)).toEqual(sortEvents(whole));
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
