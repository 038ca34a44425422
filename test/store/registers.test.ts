/**
 * The PDCA registers in a real SQLite file: versioned records read back through their schemas,
 * every version chained in the ledger so `verify` catches an edit, a deletion or a forgery.
 */
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { newNonconformity } from "../../src/engine/nonconformities.js";
import type { Nonconformity, Risk } from "../../src/registers.js";
import {
  nonconformitiesInStore,
  nonconformityHistory,
  registersAfterRun,
  recordNonconformity,
  recordRisk,
  risksInStore,
  runSummariesSince,
  saveRunSummary,
} from "../../src/store/registers.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

const risk: Risk = {
  id: "R-3",
  title: "Account takeover of cloud consoles",
  asset: "Cloud consoles",
  threat: "Credential stuffing",
  likelihood: 4,
  impact: 5,
  owner: "CISO",
  treatment: "treat",
  controls: ["A.8.5"],
  objectives: [],
  exceptions: [],
  residualTarget: 6,
  reviewDate: "2027-06-30",
  origin: "register",
  createdAt: "2026-11-01T00:00:00.000Z",
};
const nc: Nonconformity = newNonconformity({
  id: "NC-0001",
  key: "check:aws.iam.root-mfa",
  origin: "failure_sla",
  title: "Check aws.iam.root-mfa has failed for 9 days.",
  severity: "critical",
  controls: ["A.8.5"],
  checks: ["aws.iam.root-mfa"],
  objectives: [],
  detectedAt: "2026-11-10T00:00:00.000Z",
  detectedRun: null,
  owner: null,
  dueDate: null,
  similar: ["prod/111122223333/global: arn:aws:iam::111122223333:root"],
});

async function seeded() {
  const dir = tempDir();
  dirs.push(dir);
  const file = join(dir.path, "evidence.db");
  const store = await openSqliteStore({ file });
  await recordRisk(store, risk, "2026-11-01T00:00:00.000Z");
  await recordNonconformity(store, nc, "2026-11-10T00:00:00.000Z");
  await recordNonconformity(
    store,
    { ...nc, owner: "Head of IT", correctiveAction: "Enable root MFA.", actionRecordedAt: "2026-11-11T00:00:00.000Z" },
    "2026-11-11T00:00:00.000Z",
  );
  const run = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-10T00:00:00.000Z", sources: [] });
  await store.finishRun(run.id, { status: "completed", finishedAt: "2026-11-10T00:00:01.000Z", findings: [], controls: [], objectives: [] });
  await saveRunSummary(
    store,
    {
      runId: run.id,
      hash: "a".repeat(64),
      startedAt: "2026-11-10T00:00:00.000Z",
      checks: {},
      staleControls: ["A.8.13"],
      objectives: {},
    },
    {
      risks: [
        { risk, status: { riskId: "R-3", status: "not_evaluated", score: 20, failingChecks: [], failingControls: [], objectivesOffTrack: [], reason: "r" } },
      ],
      nonconformities: [],
      effectiveness: { runs: 2, days: 7 },
      auditSamples: [],
      reviews: [],
    },
  );
  return { file, store };
}

async function tamper(file: string, sql: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return fail(err);
      db.exec(sql, (e) => db.close(() => (e ? fail(e) : ok())));
    });
  });
}

describe("the PDCA registers in the store", () => {
  it("keep every version, read back the latest, and verify", async () => {
    const { store } = await seeded();
    expect(await risksInStore(store)).toEqual([{ ...risk, version: 1 }]);
    const [latest] = await nonconformitiesInStore(store);
    expect(latest).toMatchObject({ id: "NC-0001", version: 2, owner: "Head of IT", correctiveAction: "Enable root MFA." });
    expect((await nonconformityHistory(store)).map((v) => [v.version, v.owner])).toEqual([
      [1, null],
      [2, "Head of IT"],
    ]);
    expect((await runSummariesSince(store, "2026-11-01T00:00:00.000Z")).map((s) => s.runId)).toEqual([1]);
    expect(await runSummariesSince(store, "2026-11-11T00:00:00.000Z")).toEqual([]);
    expect((await registersAfterRun(store, 1))?.risks.map((r) => r.status.status)).toEqual(["not_evaluated"]);
    expect(await registersAfterRun(store, 2)).toBeNull();
    expect(await store.verify()).toMatchObject({ ok: true });
    await store.close();
  });

  it("refuse an entry that does not match its register's schema before anything is chained", async () => {
    const { store } = await seeded();
    await expect(recordRisk(store, { ...risk, likelihood: 0 }, "2026-11-12T00:00:00.000Z")).rejects.toThrow(/likelihood/);
    expect((await risksInStore(store))[0]?.version).toBe(1);
    await store.close();
  });

  const attacks: [string, string, RegisterExpectation][] = [
    [
      "a corrective action rewritten",
      `UPDATE register_records SET content = replace(content, 'Enable root MFA.', 'Done.') WHERE version = 2`,
      /^register record 3 does not match ledger entry \d+: it was changed after it was recorded/,
    ],
    [
      "a nonconformity's first version deleted",
      "DELETE FROM register_records WHERE register = 'nonconformity' AND version = 1",
      /^register record 2 recorded in ledger entry \d+ is gone/,
    ],
    [
      "a risk forged behind the agent's back",
      "INSERT INTO register_records (register, entry_id, version, content, recorded_at) VALUES ('risk', 'R-9', 1, '{}', '2026-11-12T00:00:00.000Z')",
      /^register record 4 is not recorded in the ledger/,
    ],
    [
      "a run summary edited",
      "UPDATE run_summaries SET content = replace(content, 'A.8.13', 'A.8.14')",
      /^the loop summary of run 1 does not match ledger entry/,
    ],
  ];
  type RegisterExpectation = RegExp;
  for (const [what, sql, problem] of attacks) {
    it(`${what}: verify names it`, async () => {
      const { file, store } = await seeded();
      await store.close();
      await tamper(file, sql);
      const reopened = await openSqliteStore({ file });
      const result = await reopened.verify();
      await reopened.close();
      expect(result.ok ? "intact" : result.problem).toMatch(problem);
    });
  }
});
