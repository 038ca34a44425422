/** A small real SQLite store with one finished run, for evidence-pack tests that need no demo. */
import { writeFileSync } from "node:fs";
import sqlite3 from "sqlite3";
import yauzl from "yauzl";
import yazl from "yazl";
import type { CollectorOutcome, Evidence } from "../../src/domain.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";

export const DAY = "2026-11-01";

const outcome: CollectorOutcome = {
  collector: "aws.iam",
  source: "prod",
  sourceType: "aws",
  account: "111122223333",
  region: "global",
  status: "ok",
  error: null,
  startedAt: `${DAY}T00:00:00.000Z`,
  finishedAt: `${DAY}T00:00:01.000Z`,
  produces: ["aws.iam.account-summary"],
};
const evidence: Evidence = {
  source: "prod",
  sourceType: "aws",
  account: "111122223333",
  region: "global",
  kind: "aws.iam.account-summary",
  apiCall: "GetAccountSummary",
  collectedAt: `${DAY}T00:00:01.000Z`,
  payload: { summaryMap: { Users: 3, AccountMFAEnabled: 1 } },
};

/** Opens (creating) a store at `file` holding one completed run on DAY with one piece of evidence. */
export async function smallStore(file: string): Promise<SqliteStore> {
  const store = await openSqliteStore({ file });
  const run = await store.startRun({ organization: "Example Ltd", startedAt: `${DAY}T00:00:00.000Z` });
  const [stored] = await store.saveCollectorResult(run.id, outcome, [evidence]);
  await store.finishRun(run.id, {
    status: "completed",
    finishedAt: `${DAY}T00:00:02.000Z`,
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
    objectives: [],
  });
  return store;
}

/** Edits the database behind the store's back, as someone with file access would. */
export async function tamper(file: string, sql: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return fail(err);
      db.exec(sql, (e) => db.close(() => (e ? fail(e) : ok())));
    });
  });
}

/** Every entry of an archive in central-directory order, read with a plain zip library. */
export async function zipEntries(file: string): Promise<[string, Buffer][]> {
  const result: [string, Buffer][] = [];
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e || !z ? fail(e ?? new Error("no zip")) : ok(z))),
  );
  await new Promise<void>((ok, fail) => {
    zip.on("end", ok);
    zip.on("error", fail);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, s) => {
        if (e || !s) return fail(e ?? new Error("no stream"));
        const chunks: Buffer[] = [];
        s.on("data", (c: Buffer) => chunks.push(c));
        s.on("end", () => {
          result.push([entry.fileName, Buffer.concat(chunks)]);
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  zip.close();
  return result;
}

/** Writes these entries as a new archive with a zip library, as someone repacking a pack would. */
export async function writeZip(file: string, entries: Iterable<[string, Buffer]>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}
