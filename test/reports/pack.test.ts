import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yauzl from "yauzl";
import yazl from "yazl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANNEX_A } from "../../controls/annex-a.js";
import { generateKeyPair, verifyPack, writePack } from "../../reports/pack.js";
import { buildPeriodReport } from "../../reports/period.js";
import type { ControlResult } from "../../src/domain.js";
import { emptyCounts } from "../../src/engine/rollup.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { copyDemoStore, demoRun } from "../demo-run.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
let store: SqliteStore;
const keys = generateKeyPair();
// The period around the demo's simulated weeks, counted from when it ran.
let today: string;
let threeWeeksAgo: string;

beforeAll(async () => {
  const demo = await demoRun();
  expect(demo.code).toBe(0);
  const started = Date.parse(demo.startedAt);
  today = new Date(started).toISOString().slice(0, 10);
  threeWeeksAgo = new Date(started - 22 * 86_400_000).toISOString().slice(0, 10);
  store = await openSqliteStore({ file: copyDemoStore(demo, dir.path) });
}, 120_000);
afterAll(async () => {
  await store.close();
  dir.cleanup();
});

async function pack(name: string, signKey?: string): Promise<string> {
  const out = join(dir.path, name);
  await writePack({ store, from: threeWeeksAgo, to: today, out, context: {}, maxEvidenceAgeHours: 336, catalog: ANNEX_A, ...(signKey ? { signKey } : {}) });
  return out;
}

async function entries(file: string): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e || !z ? fail(e) : ok(z))));
  await new Promise<void>((ok, fail) => {
    zip.on("end", ok);
    zip.on("error", fail);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, s) => {
        if (e || !s) return fail(e);
        const chunks: Buffer[] = [];
        s.on("data", (c: Buffer) => chunks.push(c));
        s.on("end", () => {
          result.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  zip.close();
  return result;
}

/** Rewrites an archive with some entries changed, added or left out, as someone tampering would. */
async function rewrite(from: string, to: string, edit: (files: Map<string, Buffer>) => void): Promise<string> {
  const files = await entries(from);
  edit(files);
  const zip = new yazl.ZipFile();
  for (const [name, data] of files) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(to, Buffer.concat(chunks));
  return to;
}

describe("evidence pack", () => {
  it("holds the period report, the reports, SoA, exceptions, raw evidence per control and manual evidence, all in the manifest", async () => {
    const file = await pack("pack.zip", keys.privateKey);
    const files = await entries(file);
    const manifest = JSON.parse(files.get("manifest.json")?.toString() ?? "{}") as {
      runs: number[];
      chainHead: string;
      files: { path: string; sha256: string }[];
    };
    expect(manifest.runs).toEqual([1, 2, 3, 4]);
    expect(manifest.chainHead).toBe((await store.getRun(4))?.hash);
    const paths = manifest.files.map((f) => f.path);
    for (const name of ["index.html", "period.json", "report.json", "report.html", "findings.csv", "soa.csv", "exceptions.csv"]) expect(paths).toContain(name);
    expect(paths.some((p) => /^controls\/A\.8\.5\/evidence\/run-4-aws\.iam\.credential-report-[0-9a-f]{12}\.json$/.test(p))).toBe(true);
    expect(paths.some((p) => /^controls\/A\.6\.3\/manual\/1-training-completion-2026\.txt$/.test(p))).toBe(true);
    expect([...files.keys()].filter((k) => k !== "manifest.json" && k !== "signature.json").sort()).toEqual([...paths].sort());
    const evidencePath = paths.find((p) => p.startsWith("controls/A.8.5/evidence/run-4-aws.iam.credential-report"));
    const evidence = JSON.parse(files.get(evidencePath ?? "")?.toString() ?? "{}") as { sha256: string; apiCall: string };
    expect(evidence.apiCall).toMatch(/GetCredentialReport/);
    expect(evidencePath).toContain(evidence.sha256.slice(0, 12));
    expect(files.get("index.html")?.toString()).toMatch(/held on \d+ of \d+ days/);
  });

  it("is deterministic: the same store and period give byte-identical archives", async () => {
    const a = readFileSync(await pack("a.zip", keys.privateKey));
    const b = readFileSync(await pack("b.zip", keys.privateKey));
    expect(a.equals(b)).toBe(true);
  });

  it("verify accepts an untouched signed pack, and names each file changed, added or removed; an altered manifest breaks the signature", async () => {
    const file = await pack("signed.zip", keys.privateKey);
    const ok = await verifyPack(file, keys.publicKey);
    expect(ok).toMatchObject({ ok: true, signature: "valid", changed: [], added: [], removed: [] });

    const changed = await rewrite(file, join(dir.path, "changed.zip"), (f) =>
      f.set("soa.csv", Buffer.concat([f.get("soa.csv") ?? Buffer.alloc(0), Buffer.from("A.5.1,forged\r\n")])),
    );
    expect(await verifyPack(changed, keys.publicKey)).toMatchObject({ ok: false, changed: ["soa.csv"], added: [], removed: [] });

    const added = await rewrite(file, join(dir.path, "added.zip"), (f) => f.set("controls/A.5.1/manual/policy.pdf", Buffer.from("%PDF forged")));
    expect(await verifyPack(added, keys.publicKey)).toMatchObject({ ok: false, changed: [], added: ["controls/A.5.1/manual/policy.pdf"], removed: [] });

    const removed = await rewrite(file, join(dir.path, "removed.zip"), (f) => f.delete("findings.csv"));
    expect(await verifyPack(removed, keys.publicKey)).toMatchObject({ ok: false, removed: ["findings.csv"] });

    // Someone edits a file and "fixes" the manifest to match: the signature no longer covers it.
    const forged = await rewrite(file, join(dir.path, "forged.zip"), (f) => {
      const soa = Buffer.from("control\r\nA.5.1\r\n");
      f.set("soa.csv", soa);
      const manifest = JSON.parse(f.get("manifest.json")?.toString() ?? "{}") as { files: { path: string; size: number; sha256: string }[] };
      const entry = manifest.files.find((x) => x.path === "soa.csv");
      if (entry) Object.assign(entry, { size: soa.length, sha256: createHash("sha256").update(soa).digest("hex") });
      f.set("manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    });
    const result = await verifyPack(forged, keys.publicKey);
    expect(result).toMatchObject({ ok: false, changed: [], signature: "invalid" });
    expect(result.problems).toContain("the signature does not match the manifest: the manifest was changed after signing");

    // Another key does not verify it either.
    const other = generateKeyPair();
    expect((await verifyPack(file, other.publicKey)).problems).toContain("the pack was signed with a different key than the one given");
  });
});

describe("period view", () => {
  it('per control: days held, failing intervals, and days without fresh evidence ("held on 6 of 12 days, failing 2026-03-05 → 2026-03-07")', async () => {
    const d = tempDir();
    const s = await openSqliteStore({ file: join(d.path, "p.db") });
    try {
      const control = (status: ControlResult["status"]): ControlResult => ({
        controlId: "A.8.5",
        status,
        coverage: "automated",
        checks: ["aws.iam.root-mfa"],
        counts: emptyCounts(),
      });
      for (const [day, status] of [
        ["2026-03-01", "pass"],
        ["2026-03-05", "fail"],
        ["2026-03-08", "pass"],
      ] as const) {
        const run = await s.startRun({ organization: "Example Ltd", startedAt: `${day}T02:00:00.000Z` });
        await s.finishRun(run.id, { status: "completed", finishedAt: `${day}T02:05:00.000Z`, findings: [], controls: [control(status)], objectives: [] });
      }
      const period = await buildPeriodReport(s, "2026-03-01", "2026-03-12", 72, ANNEX_A);
      const a85 = period.controls.find((c) => c.id === "A.8.5");
      // Held 1–3 and 8–10; failing 5–7; on the 4th, 11th and 12th the latest run is over 72 h old.
      expect(a85).toMatchObject({
        daysHeld: 6,
        daysFailing: 3,
        daysWithoutEvidence: 3,
        failing: [{ from: "2026-03-05", to: "2026-03-07" }],
        latestStatus: "pass",
      });
      expect(period.days).toBe(12);
      expect(period.runs.map((r) => r.id)).toEqual([1, 2, 3]);
      expect(period.chainHead).toBe((await s.getRun(3))?.hash);
    } finally {
      await s.close();
      d.cleanup();
    }
  });
});
