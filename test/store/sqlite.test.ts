import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { CollectorOutcome, Evidence } from "../../src/domain.js";
import { StoreError } from "../../src/errors.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, "nested", "evidence.db");
}

const outcome: CollectorOutcome = {
  collector: "aws.iam",
  source: "prod",
  sourceType: "aws",
  account: "111122223333",
  region: "global",
  status: "ok",
  error: null,
  startedAt: "2026-11-01T00:00:00.000Z",
  finishedAt: "2026-11-01T00:00:01.000Z",
  produces: ["aws.iam.account-summary"],
};
const evidence: Evidence = {
  source: "prod",
  sourceType: "aws",
  account: "111122223333",
  region: "global",
  kind: "aws.iam.account-summary",
  apiCall: "GetAccountSummary",
  collectedAt: "2026-11-01T00:00:01.000Z",
  payload: { summaryMap: { Users: 3, AccountMFAEnabled: 1 } },
};

async function completedRun(store: SqliteStore, day: string) {
  const run = await store.startRun({ organization: "Example Ltd", startedAt: `${day}T00:00:00.000Z` });
  const [stored] = await store.saveCollectorResult(run.id, outcome, [evidence]);
  return store.finishRun(run.id, {
    status: "completed",
    finishedAt: `${day}T00:00:02.000Z`,
    findings: [
      {
        ...outcome,
        checkId: "aws.iam.root-mfa",
        resourceId: "arn:aws:iam::111122223333:root",
        status: "pass",
        reason: "The root user of account 111122223333 has MFA enabled.",
        evidenceSha256: stored?.sha256 ?? null,
        controls: null,
      },
    ],
    controls: [
      {
        controlId: "A.8.5",
        status: "pass",
        coverage: "automated",
        checks: ["aws.iam.root-mfa"],
        counts: { pass: 1, fail: 0, error: 0, not_applicable: 0, excepted: 0 },
      },
    ],
    objectives: [
      {
        objectiveId: "mfa",
        title: "MFA",
        owner: "CISO",
        metric: "mfa_enrolment",
        value: 66.67,
        numerator: 2,
        denominator: 3,
        errors: 0,
        target: 100,
        deadline: "2027-01-01",
        status: "at_risk",
        measuredAt: `${day}T00:00:02.000Z`,
      },
    ],
  });
}

/** Edits the file behind the store's back, as an attacker with file access would. */
async function tamper(file: string, sql: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return fail(err);
      db.exec(sql, (e) => db.close(() => (e ? fail(e) : ok())));
    });
  });
}

describe("SQLite evidence store", () => {
  it("creates its folder, applies every migration in WAL mode, and reopens without re-applying", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    await store.close();
    const again = await openSqliteStore({ file });
    expect(await again.schemaVersion()).toBe(MIGRATIONS.length);
    await again.close();
    const mode = await new Promise<string>((ok) => {
      const db = new sqlite3.Database(file, () => db.get("PRAGMA journal_mode", (_e, row: { journal_mode: string }) => db.close(() => ok(row.journal_mode))));
    });
    expect(mode).toBe("wal");
  });

  it("refuses a database written by a newer version", async () => {
    const file = dbFile();
    await (await openSqliteStore({ file })).close();
    await tamper(file, `INSERT INTO schema_migrations (version, applied_at) VALUES (${MIGRATIONS.length + 1}, 'x')`);
    await expect(openSqliteStore({ file })).rejects.toThrow(/newer isms-agent/);
  });

  it("refuses a file that is not SQLite, naming it and leaving it untouched", async () => {
    const file = join(tempDir().path, "notes.db");
    writeFileSync(file, "these are my notes, not a database\n");
    const error = await openSqliteStore({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe(`${file}: is not an SQLite database; refusing to use or overwrite it`);
  });

  it("stores evidence as canonical JSON with its sha256 and reads everything back", async () => {
    const store = await openSqliteStore({ file: dbFile() });
    const run = await completedRun(store, "2026-11-01");
    const [stored] = await store.evidence(run.id);
    expect(stored?.payload).toEqual(evidence.payload);
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.findings(run.id))[0]?.evidenceSha256).toBe(stored?.sha256);
    expect(await store.controlResults(run.id)).toHaveLength(1);
    expect((await store.objectiveMeasurements(run.id))[0]?.value).toBe(66.67);
    expect((await store.collectorOutcomes(run.id))[0]).toEqual(outcome);
    expect(run.status).toBe("completed");
    await store.close();
  });

  it("chains run hashes; verify passes on an untouched store", async () => {
    const store = await openSqliteStore({ file: dbFile() });
    const first = await completedRun(store, "2026-11-01");
    const second = await completedRun(store, "2026-11-02");
    expect(second.prevHash).toBe(first.hash);
    expect(await store.verify()).toEqual({ ok: true, runsChecked: 2, evidenceChecked: 2, head: second.hash });
    await store.close();
  });

  it("verify names the evidence record whose payload was edited", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    await completedRun(store, "2026-11-01");
    const second = await completedRun(store, "2026-11-02");
    await tamper(file, `UPDATE evidence SET payload = replace(payload, '"AccountMFAEnabled":1', '"AccountMFAEnabled":0') WHERE run_id = ${second.id}`);
    const result = await store.verify();
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ runsChecked: 1 });
    expect(!result.ok && result.problem).toBe(
      `evidence record 2 of run ${second.id} (aws.iam.account-summary, GetAccountSummary, account 111122223333) does not match its sha256: its payload was changed after it was stored`,
    );
    await store.close();
  });

  it("verify catches an edited finding even when no evidence changed", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    const run = await completedRun(store, "2026-11-01");
    await tamper(file, `UPDATE findings SET status = 'fail' WHERE run_id = ${run.id}`);
    const result = await store.verify();
    expect(!result.ok && result.problem).toMatch(new RegExp(`^run ${run.id} does not match its recorded hash`));
    await store.close();
  });

  it("verify catches a payload and digest rewritten together, and a removed run", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    const first = await completedRun(store, "2026-11-01");
    await completedRun(store, "2026-11-02");
    await tamper(
      file,
      `UPDATE evidence SET payload = '{}', sha256 = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' WHERE run_id = ${first.id}`,
    );
    expect((await store.verify()).ok).toBe(false);
    const other = dbFile();
    const store2 = await openSqliteStore({ file: other });
    const a = await completedRun(store2, "2026-11-01");
    await completedRun(store2, "2026-11-02");
    await tamper(other, `PRAGMA foreign_keys = OFF; DELETE FROM runs WHERE id = ${a.id}`);
    const result = await store2.verify();
    expect(!result.ok && result.problem).toMatch(/does not link to the run before it/);
    await store.close();
    await store2.close();
  });

  it("marks a run left running by a dead process as interrupted, keeping earlier runs intact and the chain valid", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    const done = await completedRun(store, "2026-11-01");
    const crashed = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-02T00:00:00.000Z" });
    await store.saveCollectorResult(crashed.id, outcome, [evidence]);
    await store.close();
    // The process that owned the run is gone (a pid that cannot exist).
    await tamper(file, `UPDATE runs SET pid = 2147483646 WHERE id = ${crashed.id}`);

    const reopened = await openSqliteStore({ file });
    expect(await reopened.recoverInterruptedRuns("2026-11-03T00:00:00.000Z")).toEqual([crashed.id]);
    const run = await reopened.getRun(crashed.id);
    expect(run?.status).toBe("interrupted");
    expect(run?.error).toMatch(/stopped before this run finished/);
    expect(await reopened.findings(crashed.id)).toEqual([]);
    expect((await reopened.latestFinishedRun())?.id).toBe(done.id);
    expect(await reopened.findings(done.id)).toHaveLength(1);
    expect(await reopened.verify()).toMatchObject({ ok: true, runsChecked: 2 });
    await reopened.close();
  });

  it("leaves a run of another live process alone", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    const run = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-02T00:00:00.000Z" });
    await tamper(file, `UPDATE runs SET pid = ${process.ppid} WHERE id = ${run.id}`);
    expect(await store.recoverInterruptedRuns("2026-11-03T00:00:00.000Z")).toEqual([]);
    await store.close();
  });

  it("stores many findings (several insert batches) in their order, and verify covers every one", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    const run = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-03T00:00:00.000Z" });
    const many = Array.from({ length: 7_001 }, (_, i) => ({
      ...outcome,
      checkId: "aws.iam.console-user-mfa",
      resourceId: `arn:aws:iam::111122223333:user/user-${i}`,
      status: i % 3 === 0 ? ("fail" as const) : ("pass" as const),
      reason: `User user-${i} of account 111122223333 ${i % 3 === 0 ? "has no MFA device" : "has an MFA device"}.`,
      evidenceSha256: null,
      controls: i % 2 === 0 ? ["A.8.5"] : null,
    }));
    await store.finishRun(run.id, { status: "completed", finishedAt: "2026-11-03T00:00:01.000Z", findings: many, controls: [], objectives: [] });
    const read = await store.findings(run.id);
    expect(read.map((f) => f.resourceId)).toEqual(many.map((f) => f.resourceId));
    expect(read[6_000]).toMatchObject({ status: "fail", controls: ["A.8.5"] });
    expect((await store.verify()).ok).toBe(true);
    await store.close();
    await tamper(file, "UPDATE findings SET status = 'pass' WHERE resource_id LIKE '%/user-6999'");
    const reopened = await openSqliteStore({ file });
    expect((await reopened.verify()).ok).toBe(false);
    await reopened.close();
  });

  it("hashes findings as they are saved exactly as they read back: odd text, exceptions, empty and absent controls", async () => {
    const store = await openSqliteStore({ file: dbFile() });
    const run = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-04T00:00:00.000Z" });
    const base = { ...outcome, checkId: "aws.iam.console-user-mfa", status: "pass" as const, evidenceSha256: null, controls: null };
    // Saved over several calls, as the runner does, then more at finish.
    await store.saveFindings(run.id, [
      { ...base, resourceId: "user/lone-\ud800-surrogate", reason: "A name with a lone \udc00 surrogate and \u0000 NUL." },
      { ...base, resourceId: "user/ünïcødé-😀", reason: "Ünïcødé and an emoji 😀.", controls: [] },
    ]);
    await store.saveFindings(run.id, [
      {
        ...base,
        resourceId: "user/excepted",
        status: "excepted",
        reason: "Accepted.",
        controls: ["A.8.5", "A.5.17"],
        exception: { id: "EX-1", reason: "Break-glass account", owner: "Ops", approvedBy: "CISO", expires: "2027-01-01" },
      },
    ]);
    const finished = await store.finishRun(run.id, {
      status: "completed",
      finishedAt: "2026-11-04T00:00:01.000Z",
      findings: [{ ...base, resourceId: "user/last", reason: "Last." }],
      controls: [],
      objectives: [],
    });
    // verify recomputes the run hash from the stored rows: it agrees with the digest kept while saving.
    expect(await store.verify()).toMatchObject({ ok: true, head: finished.hash });
    await store.close();
  });

  it("reads the digest back from the rows when a save of findings failed", async () => {
    const store = await openSqliteStore({ file: dbFile() });
    const run = await store.startRun({ organization: "Example Ltd", startedAt: "2026-11-05T00:00:00.000Z" });
    const finding = {
      ...outcome,
      checkId: "aws.iam.root-mfa",
      resourceId: "root",
      status: "pass" as const,
      reason: "Fine.",
      evidenceSha256: null,
      controls: null,
    };
    await store.saveFindings(run.id, [finding]);
    // A row the findings table refuses (a status outside its CHECK) rolls that save back.
    await expect(store.saveFindings(run.id, [finding, { ...finding, resourceId: "bad", status: "bogus" as never }])).rejects.toThrow();
    await store.saveFindings(run.id, [{ ...finding, resourceId: "after" }]);
    await store.finishRun(run.id, { status: "completed", finishedAt: "2026-11-05T00:00:01.000Z", findings: [], controls: [], objectives: [] });
    expect((await store.findings(run.id)).map((f) => f.resourceId)).toEqual(["root", "after"]);
    expect((await store.verify()).ok).toBe(true);
    await store.close();
  });

  it("refuses to finish a run twice", async () => {
    const store = await openSqliteStore({ file: dbFile() });
    const run = await completedRun(store, "2026-11-01");
    await expect(store.finishRun(run.id, { status: "completed", finishedAt: "x", findings: [], controls: [], objectives: [] })).rejects.toThrow(
      /already completed/,
    );
    await store.close();
  });
});

describe("retention", () => {
  it("prunes old runs' evidence and findings, keeps their hashes, and the chain still verifies; tampering is still caught", async () => {
    const file = dbFile();
    const store = await openSqliteStore({ file });
    try {
      await completedRun(store, "2026-10-01");
      await completedRun(store, "2026-10-20");
      await completedRun(store, "2026-11-01");
      const hashes = (await store.listRuns()).map((r) => r.hash);
      const pruned = await store.prune("2026-10-25T00:00:00.000Z", "2026-11-02T00:00:00.000Z");
      expect(pruned).toEqual({ runs: [1, 2], evidence: 2, findings: 2 });
      expect(await store.evidence(1)).toEqual([]);
      expect(await store.findings(2)).toEqual([]);
      expect((await store.controlResults(1)).length).toBe(1);
      expect(await store.prunedAt(1)).toBe("2026-11-02T00:00:00.000Z");
      expect((await store.evidence(3)).length).toBe(1);
      expect((await store.listRuns()).map((r) => r.hash)).toEqual(hashes);
      expect(await store.verify()).toMatchObject({ ok: true, runsChecked: 3 });
      // Pruning again changes nothing.
      expect((await store.prune("2026-10-25T00:00:00.000Z", "2026-11-03T00:00:00.000Z")).runs).toEqual([]);
      // A new run still chains on.
      await completedRun(store, "2026-11-05");
      expect(await store.verify()).toMatchObject({ ok: true, runsChecked: 4 });
    } finally {
      await store.close();
    }
    // Editing what a pruned run kept breaks the chain from there.
    await tamper(file, "UPDATE control_results SET status = 'fail' WHERE run_id = 1");
    const reopened = await openSqliteStore({ file });
    try {
      const result = await reopened.verify();
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/run 1 does not match its recorded hash/);
    } finally {
      await reopened.close();
    }
  });
});
