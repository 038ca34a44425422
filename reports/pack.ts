/**
 * The auditor's evidence pack: one zip for a period with the period report (index.html), the
 * latest run's reports, the SoA, the exceptions register, per-control folders with the raw
 * evidence behind each finding and the manual evidence files, and manifest.json listing every
 * file with size and sha256 plus the store's hash-chain head. Optionally signed (Ed25519 over
 * manifest.json). Deterministic: the same store and period give the same bytes (sorted entries,
 * fixed timestamps, no creation time). Files are staged on disk one run at a time and streamed
 * into the archive, so a long period is never held in memory.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify as verifySignature, type KeyObject } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import yauzl from "yauzl";
import yazl from "yazl";
import { z } from "zod";
import { controlsOfFinding } from "../controls/mapping.js";
import { UsageError } from "../src/errors.js";
import type { Store } from "../src/store/store.js";
import { buildReport, type ReportContext } from "./build.js";
import { renderFindingsCsv, toCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderOcsf } from "./ocsf.js";
import { renderOscal } from "./oscal.js";
import { buildPeriodReport, renderPeriodHtml } from "./period.js";
import { renderSoaCsv } from "./soa.js";

export const MANIFEST = "manifest.json";
export const SIGNATURE = "signature.json";
// Local-time fields of 2000-01-01 00:00 whatever the machine's zone; with forceDosTimestamp the
// zip holds only these, so the archive's bytes do not depend on where it was made.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);

const manifestSchema = z.object({
  format: z.literal("isms-agent-evidence-pack"),
  version: z.literal(1),
  organization: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  runs: z.array(z.number().int()),
  chainHead: z.string().nullable(),
  files: z.array(z.object({ path: z.string(), size: z.number().int(), sha256: z.string() })),
});
export type PackManifest = z.infer<typeof manifestSchema>;

const signatureSchema = z.object({ algorithm: z.literal("Ed25519"), publicKeySha256: z.string(), signature: z.string() });

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Fingerprint of a public key: sha256 of its DER (SPKI) form. */
export function keyFingerprint(key: KeyObject): string {
  return sha256(key.export({ type: "spki", format: "der" }));
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120);
}

export interface PackOptions {
  store: Store;
  from: string;
  to: string;
  out: string;
  context: ReportContext;
  maxEvidenceAgeHours: number;
  /** PEM of an Ed25519 private key. */
  signKey?: string;
}

export interface PackResult {
  file: string;
  files: number;
  runs: number;
  signed: boolean;
  chainHead: string | null;
}

export async function writePack(options: PackOptions): Promise<PackResult> {
  const { store } = options;
  const period = await buildPeriodReport(store, options.from, options.to, options.maxEvidenceAgeHours);
  if (period.runs.length === 0) throw new UsageError(`no run started between ${options.from} and ${options.to} in ${store.location}; nothing to pack`);
  const key = options.signKey ? loadPrivateKey(options.signKey) : undefined;
  const staging = await mkdtemp(join(tmpdir(), "isms-agent-pack-"));
  const files = new Map<string, { size: number; sha256: string }>();
  const stage = async (path: string, content: string | Uint8Array) => {
    const target = join(staging, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    files.set(path, { size: bytes.length, sha256: sha256(bytes) });
  };
  try {
    const latest = period.latestRunId !== null ? await buildReport(store, period.latestRunId, { ...options.context, asOf: new Date(`${options.to}T23:59:59.999Z`) }) : undefined;
    await stage("index.html", renderPeriodHtml(period, latest ? { latestReport: "report.html" } : {}));
    await stage("period.json", `${JSON.stringify(period, null, 2)}\n`);
    if (latest) {
      await stage("report.json", renderJson(latest));
      await stage("report.html", renderHtml(latest));
      await stage("findings.csv", renderFindingsCsv(latest));
      await stage("soa.csv", renderSoaCsv(latest));
      await stage("assessment-results.oscal.json", renderOscal(latest));
      await stage("findings.ocsf.json", renderOcsf(latest));
      await stage(
        "exceptions.csv",
        toCsv(
          ["id", "origin", "checkId", "resource", "source", "account", "reason", "owner", "approvedBy", "expires", "expired", "findings"],
          latest.exceptions.map((x) => ({ ...x, resource: x.resource ?? "", source: x.source ?? "", account: x.account ?? "", expired: x.expired ? "yes" : "no", findings: String(x.findings) })),
        ),
      );
    }
    // The raw evidence behind each finding, per control, one run at a time.
    for (const run of period.runs) {
      const findings = await store.findings(run.id);
      const wanted = new Map<string, Set<string>>();
      for (const f of findings) {
        if (!f.evidenceSha256) continue;
        for (const control of controlsOfFinding(f)) wanted.set(f.evidenceSha256, (wanted.get(f.evidenceSha256) ?? new Set()).add(control));
      }
      for (const record of await store.evidence(run.id)) {
        for (const control of wanted.get(record.sha256) ?? []) {
          const path = `controls/${control}/evidence/run-${run.id}-${safeName(record.kind)}-${record.sha256.slice(0, 12)}.json`;
          if (files.has(path)) continue;
          await stage(
            path,
            `${JSON.stringify({ run: run.id, kind: record.kind, apiCall: record.apiCall, source: record.source, sourceType: record.sourceType, account: record.account, region: record.region, collectedAt: record.collectedAt, sha256: record.sha256, payload: record.payload }, null, 2)}\n`,
          );
        }
      }
    }
    for (const m of await store.manualEvidence()) {
      if (m.addedAt > `${options.to}T23:59:59.999Z`) continue;
      await stage(`controls/${m.controlId}/manual/${m.id}-${safeName(m.fileName)}`, await store.manualEvidenceContent(m.id));
    }

    const manifest: PackManifest = {
      format: "isms-agent-evidence-pack",
      version: 1,
      organization: period.organization,
      period: { from: options.from, to: options.to },
      runs: period.runs.map((r) => r.id),
      chainHead: period.chainHead,
      files: [...files].map(([path, f]) => ({ path, ...f })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    const zip = new yazl.ZipFile();
    const entry = { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true };
    zip.addBuffer(Buffer.from(manifestText, "utf8"), MANIFEST, entry);
    if (key) {
      const publicKey = createPublicKey(key);
      const signature = { algorithm: "Ed25519" as const, publicKeySha256: keyFingerprint(publicKey), signature: sign(null, Buffer.from(manifestText, "utf8"), key).toString("base64") };
      zip.addBuffer(Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, "utf8"), SIGNATURE, entry);
    }
    for (const f of manifest.files) zip.addFile(join(staging, f.path), f.path, entry);
    zip.end();
    const partial = `${options.out}.partial`;
    await mkdir(dirname(options.out), { recursive: true });
    await new Promise<void>((ok, fail) => {
      const output = createWriteStream(partial);
      output.on("close", ok);
      output.on("error", fail);
      zip.outputStream.on("error", fail).pipe(output);
    });
    await rename(partial, options.out);
    return { file: options.out, files: manifest.files.length, runs: manifest.runs.length, signed: key !== undefined, chainHead: manifest.chainHead };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new UsageError(`--sign-key is not a readable private key (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new UsageError(`--sign-key must be an Ed25519 key (make one with \`isms-agent keygen\`); this one is ${key.asymmetricKeyType ?? "unknown"}`);
  return key;
}

// --- verification -------------------------------------------------------------------------------

export interface PackVerification {
  ok: boolean;
  manifest: PackManifest | null;
  changed: string[];
  added: string[];
  removed: string[];
  signature: "valid" | "invalid" | "unsigned" | "not checked";
  signedBy: string | null;
  problems: string[];
}

/** Reads every entry, streaming, with its sha256 and size. */
async function readEntries(file: string): Promise<Map<string, { size: number; sha256: string; text?: string }>> {
  const entries = new Map<string, { size: number; sha256: string; text?: string }>();
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) => yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? fail(err ?? new Error("cannot open")) : ok(z))));
  await new Promise<void>((ok, fail) => {
    zip.on("error", fail);
    zip.on("end", ok);
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith("/")) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return fail(err ?? new Error(`cannot read ${entry.fileName}`));
        const hash = createHash("sha256");
        const keep = entry.fileName === MANIFEST || entry.fileName === SIGNATURE;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          size += chunk.length;
          if (keep) chunks.push(chunk);
        });
        stream.on("error", fail);
        stream.on("end", () => {
          entries.set(entry.fileName, { size, sha256: hash.digest("hex"), ...(keep ? { text: Buffer.concat(chunks).toString("utf8") } : {}) });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

export async function verifyPack(file: string, publicKeyPem?: string): Promise<PackVerification> {
  const result: PackVerification = { ok: false, manifest: null, changed: [], added: [], removed: [], signature: "not checked", signedBy: null, problems: [] };
  let entries: Awaited<ReturnType<typeof readEntries>>;
  try {
    entries = await readEntries(file);
  } catch (error) {
    result.problems.push(`${file} is not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
    return result;
  }
  const manifestText = entries.get(MANIFEST)?.text;
  if (manifestText === undefined) {
    result.problems.push(`${MANIFEST} is missing: this is not an isms-agent evidence pack, or its manifest was removed`);
    return result;
  }
  const parsed = manifestSchema.safeParse(safeJson(manifestText));
  if (!parsed.success) {
    result.problems.push(`${MANIFEST} is not a valid manifest (${parsed.error.issues[0]?.message ?? "unreadable"})`);
    return result;
  }
  const manifest = parsed.data;
  result.manifest = manifest;
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const [path, f] of listed) {
    const actual = entries.get(path);
    if (!actual) result.removed.push(path);
    else if (actual.sha256 !== f.sha256 || actual.size !== f.size) result.changed.push(path);
  }
  for (const path of entries.keys()) if (path !== MANIFEST && path !== SIGNATURE && !listed.has(path)) result.added.push(path);

  const signatureText = entries.get(SIGNATURE)?.text;
  if (signatureText === undefined) {
    result.signature = "unsigned";
    if (publicKeyPem) result.problems.push("the pack is not signed, but a public key was given to check it with");
  } else {
    const sig = signatureSchema.safeParse(safeJson(signatureText));
    if (!sig.success) {
      result.signature = "invalid";
      result.problems.push(`${SIGNATURE} is unreadable`);
    } else {
      result.signedBy = sig.data.publicKeySha256;
      if (publicKeyPem) {
        let key: KeyObject;
        try {
          key = createPublicKey(publicKeyPem);
        } catch (error) {
          throw new UsageError(`--public-key is not a readable public key (${error instanceof Error ? error.message : String(error)})`);
        }
        const valid = keyFingerprint(key) === sig.data.publicKeySha256 && verifySignature(null, Buffer.from(manifestText, "utf8"), key, Buffer.from(sig.data.signature, "base64"));
        result.signature = valid ? "valid" : "invalid";
        if (!valid) result.problems.push(keyFingerprint(key) !== sig.data.publicKeySha256 ? "the pack was signed with a different key than the one given" : "the signature does not match the manifest: the manifest was changed after signing");
      }
    }
  }
  result.ok = result.changed.length === 0 && result.added.length === 0 && result.removed.length === 0 && result.problems.length === 0 && result.signature !== "invalid";
  return result;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A new Ed25519 key pair, as PEM (PKCS#8 private, SPKI public). */
export function generateKeyPair(): { privateKey: string; publicKey: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint: keyFingerprint(publicKey),
  };
}

export async function readKeyFile(path: string, what: string): Promise<string> {
  return readFile(path, "utf8").catch((cause: unknown) => {
    throw new UsageError(`cannot read the ${what} ${path} (${cause instanceof Error ? cause.message : String(cause)})`);
  });
}
