/**
 * An evidence pack verifies only if what `unzip` would extract is exactly what the signed
 * manifest lists. Each hostile archive here is written byte by byte (zip-bytes.ts).
 */
import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANNEX_A } from "../../controls/annex-a.js";
import { REPORT_REGISTRY } from "../../app/registry.js";
import yazl from "yazl";
import { generateKeyPair, keyFingerprint, verifyPack, writePack } from "../../reports/pack.js";
import { IntegrityError } from "../../src/errors.js";
import type { Store } from "../../src/store/store.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";
import { DAY, smallStore, tamper, writeZip, zipEntries } from "./pack-fixture.js";
import { rawZip, type RawEntry } from "./zip-bytes.js";

const dir = tempDir();
const keys = generateKeyPair();
let store: SqliteStore;
let genuine: [string, Buffer][];
let n = 0;

beforeAll(async () => {
  store = await smallStore(join(dir.path, "evidence.db"));
  const file = join(dir.path, "genuine.zip");
  await writePack({
    store,
    from: DAY,
    to: DAY,
    out: file,
    context: { registry: REPORT_REGISTRY },
    maxEvidenceAgeHours: 48,
    catalog: ANNEX_A,
    signKey: keys.privateKey,
  });
  genuine = await zipEntries(file);
});
afterAll(async () => {
  await store.close();
  dir.cleanup();
});

function save(bytes: Buffer): string {
  const file = join(dir.path, `hostile-${++n}.zip`);
  writeFileSync(file, bytes);
  return file;
}

function entry(name: string): Buffer {
  const found = genuine.find(([path]) => path === name);
  if (!found) throw new Error(`the genuine pack has no ${name}`);
  return found[1];
}

function raw(entries: [string, Buffer][] = genuine): RawEntry[] {
  return entries.map(([name, data]) => ({ name, data, deflate: true }));
}

interface Manifest {
  files: { path: string; size: number; sha256: string }[];
}

/** A manifest edited and signed again with the pack's own key: what a careless or hostile signer could produce. */
function resigned(edit: (manifest: Manifest) => void, pad = ""): [string, Buffer][] {
  const manifest = JSON.parse(entry("manifest.json").toString("utf8")) as Manifest;
  edit(manifest);
  const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n${pad}`, "utf8");
  const signature = {
    algorithm: "Ed25519",
    publicKeySha256: keyFingerprint(createPublicKey(keys.publicKey)),
    signature: sign(null, text, createPrivateKey(keys.privateKey)).toString("base64"),
  };
  return [
    ["manifest.json", text],
    ["signature.json", Buffer.from(JSON.stringify(signature), "utf8")],
    ...genuine.filter(([name]) => name !== "manifest.json" && name !== "signature.json"),
  ];
}

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("verify reads a pack the way unzip does", () => {
  it("the genuine pack, rewritten byte by byte, still verifies (the hostile cases below differ from it in one way each)", async () => {
    expect(await verifyPack(save(rawZip(raw())), keys.publicKey)).toMatchObject({
      ok: true,
      signature: "valid",
      changed: [],
      added: [],
      removed: [],
      problems: [],
    });
  });

  it("an extended-timestamp field (0x5455) that is not one is refused: no room for bytes nothing checks", async () => {
    const junk = Buffer.concat([Buffer.from([0x55, 0x54, 201, 0, 0x01]), Buffer.alloc(200, 0x41)]);
    const entries = raw();
    const [first, ...rest] = entries;
    if (!first) throw new Error("no genuine entries");
    const result = await verifyPack(save(rawZip([{ ...first, localExtra: junk }, ...rest])), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/carries an extended-timestamp field \(0x5455\) of 201 bytes that is not a timestamp field/);
    // A real one (flags: modification time; 4 bytes) still verifies.
    const real = Buffer.from([0x55, 0x54, 5, 0, 0x01, 0, 0, 0, 0]);
    expect((await verifyPack(save(rawZip([{ ...first, localExtra: real }, ...rest])), keys.publicKey)).ok).toBe(true);
  });

  it("a genuine pack repacked in zip64 form (zip64 sizes, data descriptors, zip64 end records) still verifies", async () => {
    const zip = new yazl.ZipFile();
    for (const [name, data] of genuine) zip.addReadStream(Readable.from([data]), name, { forceZip64Format: true });
    zip.end({ forceZip64Format: true, comment: "" });
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // the zip64 end record
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(true); // data descriptors
    expect(await verifyPack(save(bytes), keys.publicKey)).toMatchObject({ ok: true, signature: "valid", problems: [] });
  });

  it("a second entry of the same name is rejected: a forged report.html ahead of the genuine one", async () => {
    const [manifest, signature, ...rest] = raw();
    const forged: RawEntry = { name: "report.html", data: Buffer.from("<h1>All 93 controls pass</h1>"), deflate: true };
    const result = await verifyPack(save(rawZip([manifest!, signature!, forged, ...rest])), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain("the archive holds 2 entries named report.html: unzip would extract one and verify could check the other");
  });

  it("a local header whose name differs from the central directory's is rejected", async () => {
    const entries = raw().map((e) => (e.name === "soa.csv" ? { ...e, localName: "soa.csx" } : e));
    const result = await verifyPack(save(rawZip(entries)), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('the entry soa.csv is named "soa.csx" in its local header');
  });

  it("data the central directory does not list is rejected: a local entry between two listed ones, or bytes before the first", async () => {
    const entries = raw();
    entries.splice(3, 0, { name: "report.html", data: Buffer.from("<h1>forged</h1>"), inCentral: false });
    const between = await verifyPack(save(rawZip(entries)), keys.publicKey);
    expect(between.ok).toBe(false);
    expect(
      between.problems.some((p) =>
        /^the archive holds \d+ bytes at offset \d+ that no entry of its central directory accounts for \(hidden data, or an unlisted entry\)$/.test(p),
      ),
    ).toBe(true);

    const prefixed = await verifyPack(save(rawZip(raw(), { prefix: Buffer.from("#!/bin/sh\necho polyglot\n") })), keys.publicKey);
    expect(prefixed.ok).toBe(false);
    expect(prefixed.problems).toContain(
      "the archive holds 24 bytes at offset 0 that no entry of its central directory accounts for (hidden data, or an unlisted entry)",
    );
  });

  it("a symbolic link (or any entry that is not a regular file) is rejected, even with the listed content", async () => {
    const link = raw().map((e) => (e.name === "soa.csv" ? { ...e, mode: 0o120777 } : e));
    const result = await verifyPack(save(rawZip(link)), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain("the entry soa.csv is a symbolic link, not a regular file");

    const fifo = raw().map((e) => (e.name === "soa.csv" ? { ...e, mode: 0o010644 } : e));
    expect((await verifyPack(save(rawZip(fifo)), keys.publicKey)).problems).toContain("the entry soa.csv is not a regular file (Unix mode 0o10644)");
  });

  it("a directory entry is rejected: the pack writer writes none", async () => {
    // In place of the signature, so that the entry count fits the manifest.
    const entries = [...raw().filter((e) => e.name !== "signature.json"), { name: "controls/", data: Buffer.alloc(0), mode: 0o40755 }];
    const result = await verifyPack(save(rawZip(entries)), undefined, { unsignedOk: true });
    expect(result.ok).toBe(false);
    expect(result.problems).toContain("the archive holds a directory entry controls/; an evidence pack holds regular files only");
  });

  it("a manifest that lists a path twice is rejected, even when signed", async () => {
    const entries = resigned((m) => {
      const soa = m.files.find((f) => f.path === "soa.csv");
      if (soa) m.files.unshift({ ...soa, sha256: sha(Buffer.from("forged")) });
    });
    const result = await verifyPack(save(rawZip(raw(entries))), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain("manifest.json lists soa.csv more than once");
  });

  it("entries the manifest does not list are named but never inflated; over 1,000 of them, the archive is refused before its names are read", async () => {
    const listed = JSON.parse(entry("manifest.json").toString("utf8")) as Manifest;
    // Not valid deflate data: had verify inflated it, it would say so instead of listing it as added.
    const extra = (count: number) =>
      Array.from({ length: count }, (_, i): RawEntry => ({
        name: `controls/A.5.1/manual/extra-${i}.pdf`,
        data: Buffer.from("%PDF forged"),
        compressed: Buffer.from([0xff, 0xff]),
      }));
    const few = await verifyPack(save(rawZip([...raw(), ...extra(2)])), keys.publicKey);
    expect(few).toMatchObject({
      ok: false,
      changed: [],
      removed: [],
      added: ["controls/A.5.1/manual/extra-0.pdf", "controls/A.5.1/manual/extra-1.pdf"],
      problems: [],
    });

    const many = await verifyPack(save(rawZip([...raw(), ...extra(1001)])), keys.publicKey);
    expect(many.ok).toBe(false);
    expect(many.problems).toEqual([
      `the archive holds ${genuine.length + 1001} entries, over 1000 more than the ${listed.files.length} files its manifest lists; none of them was read`,
    ]);
    expect(many.added).toEqual([]);
  });

  it("an entry that declares more bytes than the manifest lists for it is changed, and never inflated", async () => {
    // Not even valid deflate data: inflating it would fail, so a "changed" verdict proves it was never inflated.
    const entries = raw().map((e) => (e.name === "soa.csv" ? { ...e, compressed: Buffer.from([0xff, 0xff, 0xff, 0xff]), declaredSize: 1024 ** 3 } : e));
    const file = save(rawZip(entries));
    const result = await verifyPack(file, keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.changed).toEqual(["soa.csv"]);
    expect(result.problems).toContain(`the entry soa.csv declares ${1024 ** 3} bytes where the manifest lists ${entry("soa.csv").length}; it was not read`);
  });

  it("a manifest over 16 MiB is refused unread, even when validly signed", async () => {
    const entries = resigned(() => undefined, " ".repeat(17 * 1024 * 1024));
    const result = await verifyPack(save(rawZip(raw(entries))), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(`manifest.json declares ${entries[0]![1].length} bytes; a pack's manifest is at most 16 MiB, so it was not read`);
  });

  it("overlapping entries (many central entries pointing at one local record) are rejected", async () => {
    const body = Buffer.from("x".repeat(1000));
    const names = Array.from({ length: 50 }, (_, i) => `controls/A.5.1/manual/copy-${i}.txt`);
    const entries = resigned((m) => {
      for (const path of names) m.files.push({ path, size: body.length, sha256: sha(body) });
      m.files.sort((a, b) => (a.path < b.path ? -1 : 1));
    });
    const first = raw(entries).length;
    const zip = rawZip([
      ...raw(entries),
      ...names.map((name, i): RawEntry => (i === 0 ? { name, data: body, deflate: true } : { name, data: body, deflate: true, sharesLocalOf: first })),
    ]);
    const result = await verifyPack(save(zip), keys.publicKey);
    expect(result.ok).toBe(false);
    expect(result.problems).toContain(`the entry ${names[1]} overlaps the entry before it, ${names[0]}`);
  });
});

describe("verify without a public key", () => {
  it("a pack whose signature was stripped is not accepted as intact: authenticity was not checked", async () => {
    const stripped = await writeZip(
      join(dir.path, "stripped.zip"),
      genuine.filter(([name]) => name !== "signature.json"),
    );
    const result = await verifyPack(stripped);
    expect(result).toMatchObject({ ok: false, intact: true, signature: "unsigned" });
    expect(result.problems).toContain("authenticity was not checked: the pack is not signed, so anyone could have written it and its manifest");
    // Accepting an unsigned pack is an explicit choice.
    expect(await verifyPack(stripped, undefined, { unsignedOk: true })).toMatchObject({ ok: true, intact: true, signature: "unsigned", problems: [] });
  });

  it("a signed pack checked without the key is not accepted either", async () => {
    const file = await writeZip(join(dir.path, "signed-no-key.zip"), genuine);
    const result = await verifyPack(file);
    expect(result).toMatchObject({ ok: false, intact: true, signature: "not checked" });
    expect(result.problems).toContain(
      `authenticity was not checked: the pack carries a signature by key sha256:${keyFingerprint(createPublicKey(keys.publicKey))}, but no public key was given to check it`,
    );
  });
});

describe("writing a pack", () => {
  it("refuses to pack a store that fails its integrity check, naming the first bad record, and writes no zip", async () => {
    const d = tempDir();
    try {
      const file = join(d.path, "evidence.db");
      const s = await smallStore(file);
      await s.close();
      await tamper(file, `UPDATE evidence SET payload = replace(payload, '"AccountMFAEnabled":1', '"AccountMFAEnabled":0')`);
      const tampered = await openSqliteStore({ file });
      try {
        const out = join(d.path, "out", "pack.zip");
        const attempt = writePack({
          store: tampered,
          from: DAY,
          to: DAY,
          out,
          context: { registry: REPORT_REGISTRY },
          maxEvidenceAgeHours: 48,
          catalog: ANNEX_A,
          signKey: keys.privateKey,
        });
        await expect(attempt).rejects.toBeInstanceOf(IntegrityError);
        await expect(attempt).rejects.toThrow(
          /evidence record 1 of run 1 \(aws\.iam\.account-summary, GetAccountSummary, account 111122223333\) does not match its sha256/,
        );
        expect(existsSync(out)).toBe(false);
      } finally {
        await tampered.close();
      }
    } finally {
      d.cleanup();
    }
  });

  it("stages next to the output file, never in the system temp folder, and leaves nothing behind when it fails midway", async () => {
    const out = join(dir.path, "failing", "pack.zip");
    const tmpBefore = new Set(readdirSync(tmpdir()));
    const seen: { outDir: string[]; newInTmp: string[] } = { outDir: [], newInTmp: [] };
    // The real store, with one read failing after the reports were staged.
    const failing = new Proxy<Store>(store, {
      get(target, prop, receiver) {
        if (prop === "manualEvidence") {
          return async () => {
            seen.outDir = readdirSync(dirname(out));
            seen.newInTmp = readdirSync(tmpdir()).filter(
              (name) => !tmpBefore.has(name) && (name.startsWith("isms-agent-pack") || name.startsWith(".pack.zip")),
            );
            throw new Error("disk read failed");
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(
      writePack({
        store: failing,
        from: DAY,
        to: DAY,
        out,
        context: { registry: REPORT_REGISTRY },
        maxEvidenceAgeHours: 48,
        catalog: ANNEX_A,
        signKey: keys.privateKey,
      }),
    ).rejects.toThrow("disk read failed");
    expect(seen.newInTmp).toEqual([]);
    expect(seen.outDir).toEqual([expect.stringMatching(/^\.pack\.zip\.staging-\d+-/)]);
    expect(readdirSync(dirname(out))).toEqual([]);
  });

  it("removes a staging folder left by a killed pack (its process is gone) the next time it packs there", async () => {
    const out = join(dir.path, "stale", "pack.zip");
    // 2147483646: a pid no process has.
    mkdirSync(join(dirname(out), ".pack.zip.staging-2147483646-abc123", "controls"), { recursive: true });
    writeFileSync(join(dirname(out), ".pack.zip.staging-2147483646-abc123", "controls", "raw.json"), "{}");
    await writePack({
      store,
      from: DAY,
      to: DAY,
      out,
      context: { registry: REPORT_REGISTRY },
      maxEvidenceAgeHours: 48,
      catalog: ANNEX_A,
      signKey: keys.privateKey,
    });
    expect(readdirSync(dirname(out))).toEqual(["pack.zip"]);
  });
});
