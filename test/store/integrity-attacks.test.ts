/**
 * Attacks on the store's integrity (issue 14): rows edited, forged or removed behind the agent's
 * back with plain SQL. Each is caught by `verify`, naming the record; reports and packs never read
 * a finished run that is not in the chain.
 */
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { REPORT_REGISTRY } from "../../app/registry.js";
import { buildReport } from "../../reports/build.js";
import type { CollectorOutcome, Evidence } from "../../src/domain.js";
import { IntegrityError, StoreError } from "../../src/errors.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

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

async function completedRun(store: SqliteStore, day: string, status: "pass" | "fail" = "fail") {
  const run = await store.startRun({ organization: "Example Ltd", startedAt: `${day}T00:00:00.000Z`, sources: ["prod"] });
  const [stored] = await store.saveCollectorResult(run.id, { ...outcome, startedAt: `${day}T00:00:00.000Z`, finishedAt: `${day}T00:00:01.000Z` }, [
    { ...evidence, collectedAt: `${day}T00:00:01.000Z` },
  ]);
  return store.finishRun(run.id, {
    status: "partial",
    finishedAt: `${day}T00:00:02.000Z`,
    error: "1 of 2 collectors failed; their checks are reported as error.",
    findings: [
      {
        ...outcome,
        checkId: "aws.iam.root-mfa",
        resourceId: "arn:aws:iam::111122223333:root",
        status,
        reason: "The root user has no MFA.",
        evidenceSha256: stored?.sha256 ?? null,
        controls: null,
      },
    ],
    controls: [
      {
        controlId: "A.8.5",
        status,
        coverage: "partial",
        checks: ["aws.iam.root-mfa"],
        counts: { pass: status === "pass" ? 1 : 0, fail: status === "fail" ? 1 : 0, error: 0, not_applicable: 0, excepted: 0 },
      },
    ],
    objectives: [],
  });
}

/** A store with three runs, manual evidence, an exception, drift and an alert delivery; closed. */
async function seededStore(): Promise<string> {
  const dir = tempDir();
  dirs.push(dir);
  const file = join(dir.path, "evidence.db");
  const store = await openSqliteStore({ file });
  await completedRun(store, "2026-11-01");
  const second = await completedRun(store, "2026-11-02");
  await store.saveDriftEvents(second.id, 1, [
    {
      kind: "regression",
      key: "k",
      severity: "high",
      message: "The root user lost MFA.",
      checkId: "aws.iam.root-mfa",
      controlId: null,
      objectiveId: null,
      before: "pass",
      after: "fail",
    },
  ]);
  await store.saveAlertDelivery({
    runId: second.id,
    channel: "siem",
    status: "failed",
    attempts: 3,
    error: "HTTP 500 from the receiver",
    at: "2026-11-02T00:00:03.000Z",
    alerts: ["The root user lost MFA."],
  });
  await store.addException({
    id: "EXC-1",
    checkId: "aws.iam.root-mfa",
    resource: null,
    source: null,
    account: null,
    reason: "Break-glass account, key in the safe.",
    owner: "CISO",
    approvedBy: "CEO",
    expires: "2027-01-31",
    origin: "register",
    createdAt: "2026-11-02T01:00:00.000Z",
  });
  const content = new TextEncoder().encode("training records 2026");
  await store.addManualEvidence({
    controlId: "A.6.3",
    element: null,
    fileName: "training.pdf",
    size: content.length,
    sha256: (await import("../../src/engine/canonical.js")).sha256(Buffer.from(content)),
    content,
    note: "LMS export",
    validUntil: "2027-06-30",
    addedAt: "2026-11-02T02:00:00.000Z",
  });
  await completedRun(store, "2026-11-03");
  expect((await store.verify()).ok).toBe(true);
  await store.close();
  return file;
}

async function tamper(file: string, sql: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return fail(err);
      db.exec(sql, (e) => db.close(() => (e ? fail(e) : ok())));
    });
  });
}

async function verifyProblem(file: string, options: { expectHead?: string } = {}): Promise<string> {
  const store = await openSqliteStore({ file });
  try {
    const result = await store.verify(options);
    return result.ok ? "intact" : result.problem;
  } finally {
    await store.close();
  }
}

describe("the hash chain covers every finished run", () => {
  it("a completed run inserted outside the chain fails verify, is never the latest run, and no report is made of it", async () => {
    const file = await seededStore();
    await tamper(
      file,
      `INSERT INTO runs (started_at, finished_at, status, organization, host, pid, sources) VALUES ('2026-11-04T00:00:00.000Z', '2026-11-04T00:00:01.000Z', 'completed', 'Example Ltd', 'h', 1, '["prod"]');
       INSERT INTO control_results (run_id, control_id, status, coverage, checks, pass, fail, error, not_applicable, excepted) VALUES (4, 'A.8.5', 'pass', 'automated', '[]', 1, 0, 0, 0, 0);`,
    );
    expect(await verifyProblem(file)).toMatch(/^run 4 is marked completed but is not in the hash chain/);
    const store = await openSqliteStore({ file });
    try {
      expect((await store.latestFinishedRun())?.id).toBe(3);
      expect((await store.latestFinishedRunAt("2026-12-01T00:00:00.000Z"))?.id).toBe(3);
      expect((await store.runsBetween("2026-11-01T00:00:00.000Z", "2026-11-30T00:00:00.000Z")).map((r) => r.id)).toEqual([1, 2, 3]);
      await expect(buildReport(store, 4)).rejects.toThrow(IntegrityError);
    } finally {
      await store.close();
    }
  });

  it("the newest run's hash set to NULL fails verify", async () => {
    const file = await seededStore();
    await tamper(file, "UPDATE runs SET hash = NULL WHERE id = 3");
    expect(await verifyProblem(file)).toMatch(/^run 3 is marked partial but is not in the hash chain/);
  });

  it("a run's error, sources, collector outcome or evidence header (a backdated collected_at) cannot be changed", async () => {
    for (const sql of [
      "UPDATE runs SET error = NULL WHERE id = 2",
      `UPDATE runs SET sources = '["prod","other"]' WHERE id = 2`,
      "UPDATE runs SET host = 'elsewhere' WHERE id = 2",
      "UPDATE collector_runs SET status = 'error', error = 'made up' WHERE run_id = 2",
      "UPDATE evidence SET collected_at = '2026-10-01T00:00:00.000Z' WHERE run_id = 2",
      "UPDATE evidence SET account = '999999999999' WHERE run_id = 2",
      "UPDATE run_context SET content = content WHERE run_id = 2; INSERT INTO run_context (run_id, content, sha256) VALUES (2, '{}', 'x')",
    ]) {
      const file = await seededStore();
      await tamper(file, sql);
      expect(await verifyProblem(file), sql).toMatch(/^run 2 does not match its recorded hash/);
    }
  });

  it("verify --expect-head proves no run up to that head was removed; a truncated chain fails it", async () => {
    const file = await seededStore();
    const store = await openSqliteStore({ file });
    const head = (await store.latestFinishedRun())?.hash ?? "";
    await store.close();
    expect(await verifyProblem(file, { expectHead: head })).toBe("intact");
    await tamper(
      file,
      "DELETE FROM findings WHERE run_id = 3; DELETE FROM control_results WHERE run_id = 3; DELETE FROM evidence WHERE run_id = 3; DELETE FROM collector_runs WHERE run_id = 3; DELETE FROM runs WHERE id = 3",
    );
    // The store alone still looks whole: truncation of the newest runs needs the head kept elsewhere.
    expect(await verifyProblem(file)).toBe("intact");
    expect(await verifyProblem(file, { expectHead: head })).toMatch(/^the expected chain head [0-9a-f]{64} is neither a run's hash nor a ledger entry's/);
  });

  it("verify --expect-head also takes the ledger head, anchoring registers changed after the newest run", async () => {
    const file = await seededStore();
    const store = await openSqliteStore({ file });
    await store.addException({
      id: "EXC-2",
      checkId: "aws.iam.root-mfa",
      resource: null,
      source: null,
      account: null,
      reason: "r",
      owner: "o",
      approvedBy: "a",
      expires: "2027-01-31",
      origin: "register",
      createdAt: "2026-11-04T00:00:00.000Z",
    });
    const head = (await store.ledgerHead()) ?? "";
    await store.close();
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyProblem(file, { expectHead: head })).toBe("intact");
    // Removing the exception together with its (last) ledger entry leaves a consistent ledger: only the head kept elsewhere shows it.
    await tamper(file, "DELETE FROM exceptions WHERE id = 'EXC-2'; DELETE FROM ledger WHERE seq = (SELECT MAX(seq) FROM ledger)");
    expect(await verifyProblem(file)).toBe("intact");
    expect(await verifyProblem(file, { expectHead: head })).toMatch(/is neither a run's hash nor a ledger entry's/);
  });
});

describe("a run left running is recovered without vouching for rows the agent never wrote", () => {
  it("findings, control results and measurements forged onto a running run are removed, not sealed into the chain", async () => {
    const file = await seededStore();
    await tamper(
      file,
      `INSERT INTO runs (started_at, status, organization, host, pid, sources) VALUES ('2026-11-04T00:00:00.000Z', 'running', 'Example Ltd', 'another-host', 1, '["prod"]');
       INSERT INTO findings (run_id, check_id, source, source_type, account, region, resource_id, status, reason) VALUES (4, 'aws.iam.root-mfa', 'prod', 'aws', '111122223333', 'global', 'arn:root', 'pass', 'Root has MFA (forged).');
       INSERT INTO control_results (run_id, control_id, status, coverage, checks, pass, fail, error, not_applicable, excepted) VALUES (4, 'A.8.5', 'pass', 'automated', '[]', 1, 0, 0, 0, 0);
       INSERT INTO objective_measurements (run_id, objective_id, title, owner, metric, value, numerator, denominator, errors, target, deadline, status, measured_at) VALUES (4, 'mfa', 'MFA', 'CISO', 'mfa_enrolment', 100, 1, 1, 0, 100, '2027-01-01', 'met', '2026-11-04T00:00:00.000Z');`,
    );
    const store = await openSqliteStore({ file });
    try {
      expect(await store.recoverInterruptedRuns("2026-11-04T01:00:00.000Z")).toEqual([4]);
      const run = await store.getRun(4);
      expect(run).toMatchObject({ status: "interrupted" });
      expect(run?.error).toMatch(
        /The 1 findings judged before it stopped were discarded with it\. 2 result rows that the agent never wrote were found on it and removed\./,
      );
      expect(await store.findings(4)).toEqual([]);
      expect(await store.controlResults(4)).toEqual([]);
      expect(await store.objectiveMeasurements(4)).toEqual([]);
      expect((await store.verify()).ok).toBe(true);
      const report = await buildReport(store, 4, { registry: REPORT_REGISTRY });
      expect(report.findings).toEqual([]);
      expect(report.controls.find((c) => c.id === "A.8.5")?.status).toBe("not_evaluated");
    } finally {
      await store.close();
    }
  });
});

describe("pruning is itself recorded", () => {
  it("a hand-filled pruned_inputs (findings then edited, evidence deleted) fails verify", async () => {
    const file = await seededStore();
    // The attacker copies what a real prune would keep, so the run's own hash still reproduces.
    const store = await openSqliteStore({ file });
    const pruned = await store.prune("2026-11-01T12:00:00.000Z", "2026-11-05T00:00:00.000Z");
    expect(pruned.runs).toEqual([1]);
    const inputs = await new Promise<string>((ok, fail) => {
      const db = new sqlite3.Database(file, () =>
        db.get("SELECT pruned_inputs FROM runs WHERE id = 1", (e, row: { pruned_inputs: string }) => db.close(() => (e ? fail(e) : ok(row.pruned_inputs)))),
      );
    });
    await store.close();
    expect(await verifyProblem(file)).toBe("intact");
    // Same inputs on run 2, whose rows are then edited and partly deleted.
    const run2 = await openSqliteStore({ file });
    const [finding] = await run2.findings(2);
    await run2.close();
    expect(finding?.status).toBe("fail");
    await tamper(
      file,
      `UPDATE runs SET pruned_inputs = '${inputs}' WHERE id = 2; UPDATE findings SET status = 'pass' WHERE run_id = 2; DELETE FROM evidence WHERE run_id = 2;`,
    );
    expect(await verifyProblem(file)).toMatch(/^run 2 is marked as pruned, but no prune of it is recorded in the ledger/);
  });

  it("a pruned run whose rows were put back fails verify", async () => {
    const file = await seededStore();
    const store = await openSqliteStore({ file });
    await store.prune("2026-11-01T12:00:00.000Z", "2026-11-05T00:00:00.000Z");
    await store.close();
    await tamper(
      file,
      `INSERT INTO findings (run_id, check_id, source, source_type, account, region, resource_id, status, reason) VALUES (1, 'aws.iam.root-mfa', 'prod', 'aws', '1', 'global', 'r', 'pass', 'Forged.')`,
    );
    expect(await verifyProblem(file)).toMatch(/^run 1 is recorded as pruned, but 1 rows of findings are still stored for it/);
  });

  it("removing a run's pruning record fails verify", async () => {
    const file = await seededStore();
    const store = await openSqliteStore({ file });
    await store.prune("2026-11-01T12:00:00.000Z", "2026-11-05T00:00:00.000Z");
    await store.close();
    await tamper(file, "UPDATE runs SET pruned_at = NULL, pruned_inputs = NULL WHERE id = 1");
    expect(await verifyProblem(file)).toMatch(/^the pruning record of run 1 recorded in ledger entry \d+ is gone: it was deleted/);
  });
});

describe("registers and monitoring rows are in the ledger", () => {
  const cases: [string, string, RegExp][] = [
    [
      "manual evidence content and sha256 swapped together",
      "UPDATE manual_evidence SET content = X'666f72676564', sha256 = 'ccdd35168ab474fa5764a526cfb83621351e23682c5075b2e18d56bddf96aa30', size = 6",
      /^manual evidence 1 does not match ledger entry \d+: it was changed after it was recorded/,
    ],
    ["manual evidence valid_until extended", "UPDATE manual_evidence SET valid_until = '2099-12-31'", /^manual evidence 1 does not match ledger entry/],
    ["manual evidence moved to another control", "UPDATE manual_evidence SET control_id = 'A.8.13'", /^manual evidence 1 does not match ledger entry/],
    ["manual evidence deleted", "DELETE FROM manual_evidence", /^manual evidence 1 recorded in ledger entry \d+ is gone: it was deleted/],
    [
      "manual evidence inserted by hand",
      "INSERT INTO manual_evidence (control_id, file_name, size, sha256, content, note, added_at) VALUES ('A.5.1', 'policy.pdf', 1, '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b', X'31', 'forged', '2026-11-02T00:00:00.000Z')",
      /^manual evidence 2 is not recorded in the ledger: it was added behind the agent's back/,
    ],
    ["an exception's expiry extended", "UPDATE exceptions SET expires = '2099-12-31'", /^exception EXC-1 does not match ledger entry/],
    [
      "an exception inserted by hand",
      "INSERT INTO exceptions (id, check_id, reason, owner, approved_by, expires, created_at) VALUES ('EXC-9', 'aws.iam.root-mfa', 'r', 'o', 'a', '2099-01-01', '2026-11-02T00:00:00.000Z')",
      /^exception EXC-9 is not recorded in the ledger/,
    ],
    ["a drift event softened", "UPDATE drift_events SET severity = 'low'", /^the drift events of run 2 do not match the ledger/],
    ["drift events deleted", "DELETE FROM drift_events", /^the drift events of run 2 do not match the ledger/],
    [
      "an alert delivery turned from failed to sent",
      "UPDATE alert_deliveries SET status = 'sent', error = NULL",
      /^alert delivery 1 does not match ledger entry/,
    ],
    ["a ledger entry removed", "DELETE FROM ledger WHERE seq = 1", /^ledger entry 1 is missing/],
  ];
  for (const [what, sql, problem] of cases) {
    it(`${what}: verify names it`, async () => {
      const file = await seededStore();
      await tamper(file, sql);
      expect(await verifyProblem(file)).toMatch(problem);
    });
  }
});

describe("a store from before the ledger", () => {
  it("a store written by the previous version (schema 4, version 1 run hashes, a prune) upgrades, verifies with the same head, and prunes on", async () => {
    const { copyFileSync } = await import("node:fs");
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, "old.db");
    copyFileSync(new URL("../fixtures/stores/schema4-v1-runs.db", import.meta.url), file);
    // Reading commands never upgrade it.
    await expect(openSqliteStore({ file, mode: "read" })).rejects.toThrow(/was written by an older isms-agent \(schema version 4; this version reads \d+\)/);
    const store = await openSqliteStore({ file });
    try {
      const verified = await store.verify();
      // The head the previous version's verify printed for this store.
      expect(verified).toMatchObject({ ok: true, runsChecked: 4, head: "0921df6d2ce2554e6fa271b71cc8f18db9f0b6cf332399226b7781e3ad8b41d5" });
      expect((await store.prune("2026-11-02T12:00:00.000Z", "2026-11-06T00:00:00.000Z")).runs).toEqual([2]);
      expect((await store.verify()).ok).toBe(true);
      await completedRun(store, "2026-11-07");
      expect((await store.prune("2026-11-08T00:00:00.000Z", "2026-11-09T00:00:00.000Z")).runs).toEqual([3, 4, 5]);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
    await tamper(file, "UPDATE exceptions SET owner = 'someone else'");
    expect(await verifyProblem(file)).toMatch(/^exception EXC-1 does not match ledger entry/);
  });

  it("refuses to adopt manual evidence whose file no longer matches its sha256 at the upgrade, naming it", async () => {
    const { copyFileSync } = await import("node:fs");
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, "old.db");
    copyFileSync(new URL("../fixtures/stores/schema4-v1-runs.db", import.meta.url), file);
    await tamper(file, "UPDATE manual_evidence SET content = X'00'");
    await expect(openSqliteStore({ file })).rejects.toThrow(
      /holds manual evidence 1 \(t\.pdf for A\.6\.3\) that does not match its sha256; refusing to record it in the ledger/,
    );
  });

  it("a store gigabytes large is checked by its first bytes only", async () => {
    const { writeFileSync, truncateSync } = await import("node:fs");
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, "huge.db");
    writeFileSync(file, "SQLite format 3\u0000");
    truncateSync(file, 3 * 1024 ** 3);
    // Reading the whole file to check 16 bytes threw a RangeError (file too large) before any clear message.
    await expect(openSqliteStore({ file, mode: "read" })).rejects.toThrow(StoreError);
  });

  it("brings its manual evidence, exceptions and deliveries into the ledger when migrated, then catches edits", async () => {
    const { MIGRATIONS } = await import("../../src/store/migrations.js");
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, "old.db");
    const schema5 = MIGRATIONS.slice(0, 5)
      .map((sql, i) => `${sql};\nINSERT INTO schema_migrations (version, applied_at) VALUES (${i + 1}, '2026-01-01T00:00:00.000Z');`)
      .join("\n");
    await tamper(
      file,
      `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
       ${schema5}
       INSERT INTO manual_evidence (control_id, file_name, size, sha256, content, note, added_at) VALUES ('A.6.3', 't.pdf', 1, '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b', X'31', 'note', '2026-01-02T00:00:00.000Z');
       INSERT INTO exceptions (id, check_id, reason, owner, approved_by, expires, created_at) VALUES ('EXC-1', 'aws.iam.root-mfa', 'r', 'o', 'a', '2027-01-01', '2026-01-02T00:00:00.000Z');
       INSERT INTO alert_deliveries (run_id, channel, status, attempts, error, at, alerts) VALUES (NULL, 'siem', 'sent', 1, NULL, '2026-01-02T00:00:00.000Z', '[]');`,
    );
    expect(await verifyProblem(file)).toBe("intact");
    await tamper(file, "UPDATE exceptions SET expires = '2099-01-01'");
    expect(await verifyProblem(file)).toMatch(/^exception EXC-1 does not match ledger entry 2/);
  });
});
