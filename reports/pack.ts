/**
 * The auditor's evidence pack: one zip for a period with the period report (index.html), the
 * latest run's reports, the SoA, the exceptions register, per-control folders with the raw
 * evidence behind each finding and the manual evidence files, and manifest.json listing every
 * file with size and sha256 plus the store's hash-chain head. Optionally signed (Ed25519 over
 * manifest.json). Deterministic: the same store and period give the same bytes (sorted entries,
 * fixed timestamps, no creation time). Files are staged on disk one run at a time and streamed
 * into the archive, so a long period is never held in memory; the staging folder is a hidden
 * folder next to the output file (raw evidence never lands in the shared system temp folder),
 * removed on every exit, and a folder left by a killed pack is removed by the next pack there.
 * A pack is only written from a store that passes its integrity check.
 */
import { renderReviewHtml, renderReviewMarkdown, type ReviewPack } from "./review.js";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify as verifySignature, type KeyObject } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import yazl from "yazl";
import { z } from "zod";
import { IntegrityError, UsageError } from "../src/errors.js";
import type { AnnexAControl } from "../src/domain.js";
import type { Store } from "../src/store/store.js";
import { buildReport, contextOfRun, controlsOfFindingIn, type ReportContext } from "./build.js";
import { writeFileAtomicStream } from "../src/atomic-file.js";
import { findingsCsvChunks, toCsv } from "./csv.js";
import { htmlChunks } from "./html.js";
import { reportJsonChunks } from "./json.js";
import { ocsfChunks } from "./ocsf.js";
import { oscalChunks } from "./oscal.js";
import { buildPeriodReport, renderPeriodHtml } from "./period.js";
import { renderSoaCsv } from "./soa.js";
import { ArchiveError, PLAIN_PATH, StrictArchive, type CentralEntry, type LocatedEntry } from "./zip-strict.js";

export const MANIFEST = "manifest.json";
export const SIGNATURE = "signature.json";
// Local-time fields of 2000-01-01 00:00 whatever the machine's zone; with forceDosTimestamp the
// zip holds only these, so the archive's bytes do not depend on where it was made.
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0);
// What verify reads before trusting anything: the manifest bounds every other entry, so it is
// bounded itself (about 80,000 files). The writer refuses to write a bigger one.
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
const MAX_SIGNATURE_BYTES = 4096;
// Entries the manifest does not list are named ("added") but never inflated; past this many the
// archive is refused before its central directory is read at all.
const MAX_UNLISTED_ENTRIES = 1000;

const manifestSchema = z.object({
  format: z.literal("isms-agent-evidence-pack"),
  version: z.literal(1),
  organization: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  runs: z.array(z.number().int()),
  chainHead: z.string().nullable(),
  files: z.array(
    z.object({
      path: z
        .string()
        .regex(PLAIN_PATH, "not a plain relative path")
        .refine((p) => p !== MANIFEST && p !== SIGNATURE, "the manifest cannot list itself or the signature"),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, "not a sha256"),
    }),
  ),
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
  /** The controls the period report lists (the Annex A catalog). */
  catalog: readonly AnnexAControl[];
  /** PEM of an Ed25519 private key. */
  signKey?: string;
  /** The management review pack of the period (clause 9.3.2), filed as management-review.json/.md/.html. */
  reviewPack?: ReviewPack;
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
  const key = options.signKey ? loadPrivateKey(options.signKey) : undefined;
  // A signature vouches for the store's contents: never sign (or hand out) a store that has been altered.
  const integrity = await store.verify();
  if (!integrity.ok)
    throw new IntegrityError(
      `the evidence store ${store.location} fails its integrity check: ${integrity.problem}; refusing to write an evidence pack of it (see \`isms-agent verify\`)`,
    );
  const period = await buildPeriodReport(store, options.from, options.to, options.maxEvidenceAgeHours, options.catalog);
  if (period.runs.length === 0) throw new UsageError(`no run started between ${options.from} and ${options.to} in ${store.location}; nothing to pack`);
  const outDir = dirname(options.out);
  await mkdir(outDir, { recursive: true });
  await removeStaleStaging(outDir, basename(options.out));
  const staging = await mkdtemp(join(outDir, `${stagingPrefix(basename(options.out))}${process.pid}-`));
  const files = new Map<string, { size: number; sha256: string }>();
  const stage = async (path: string, content: string | Uint8Array) => {
    const target = join(staging, "files", path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    files.set(path, { size: bytes.length, sha256: sha256(bytes) });
  };
  // The latest run's reports grow with its findings: streamed to the staging file, hashed on the way.
  const stageChunks = async (path: string, chunks: Iterable<string>) => {
    const target = join(staging, "files", path);
    await mkdir(dirname(target), { recursive: true });
    const hash = createHash("sha256");
    const { bytes } = await writeFileAtomicStream(target, chunks, { onWrite: (piece) => hash.update(piece) });
    files.set(path, { size: bytes, sha256: hash.digest("hex") });
  };
  try {
    const latest =
      period.latestRunId !== null
        ? await buildReport(store, period.latestRunId, { ...options.context, asOf: new Date(`${options.to}T23:59:59.999Z`) })
        : undefined;
    await stage("index.html", renderPeriodHtml(period, latest ? { latestReport: "report.html" } : {}));
    await stage("period.json", `${JSON.stringify(period, null, 2)}\n`);
    if (latest) {
      await stageChunks("report.json", reportJsonChunks(latest));
      await stageChunks("report.html", htmlChunks(latest));
      await stageChunks("findings.csv", findingsCsvChunks(latest));
      await stage("soa.csv", renderSoaCsv(latest));
      await stageChunks("assessment-results.oscal.json", oscalChunks(latest));
      await stageChunks("findings.ocsf.json", ocsfChunks(latest));
      await stage(
        "exceptions.csv",
        toCsv(
          ["id", "origin", "checkId", "resource", "source", "account", "reason", "owner", "approvedBy", "expires", "expired", "findings"],
          latest.exceptions.map((x) => ({
            ...x,
            resource: x.resource ?? "",
            source: x.source ?? "",
            account: x.account ?? "",
            expired: x.expired ? "yes" : "no",
            findings: String(x.findings),
          })),
        ),
      );
    }
    if (options.reviewPack) {
      await stage("management-review.json", `${JSON.stringify(options.reviewPack, null, 2)}\n`);
      await stage("management-review.md", renderReviewMarkdown(options.reviewPack));
      await stage("management-review.html", renderReviewHtml(options.reviewPack));
    }
    // The raw evidence behind each finding, per control, one run at a time.
    for (const run of period.runs) {
      // Evidence is filed under the controls the run was judged with, not today's mapping.
      const controlsOfFinding = controlsOfFindingIn((await contextOfRun(store, run.id, options.context)).context);
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
    const valid = manifestSchema.safeParse(manifest);
    if (!valid.success)
      throw new Error(`the pack's manifest would not verify (${valid.error.issues[0]?.path.join(".") ?? ""}: ${valid.error.issues[0]?.message ?? "invalid"})`);
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    const manifestBytes = Buffer.byteLength(manifestText, "utf8");
    if (manifestBytes > MAX_MANIFEST_BYTES) {
      throw new UsageError(
        `the pack for ${options.from} to ${options.to} would list ${manifest.files.length} files in a ${(manifestBytes / 1024 / 1024).toFixed(1)} MiB manifest, over the ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB verify reads; pack a shorter period`,
      );
    }
    const zip = new yazl.ZipFile();
    const entry = { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true };
    zip.addBuffer(Buffer.from(manifestText, "utf8"), MANIFEST, entry);
    if (key) {
      const publicKey = createPublicKey(key);
      const signature = {
        algorithm: "Ed25519" as const,
        publicKeySha256: keyFingerprint(publicKey),
        signature: sign(null, Buffer.from(manifestText, "utf8"), key).toString("base64"),
      };
      zip.addBuffer(Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, "utf8"), SIGNATURE, entry);
    }
    for (const f of manifest.files) zip.addFile(join(staging, "files", f.path), f.path, entry);
    zip.end();
    // Inside the staging folder, so a failed write leaves no partial archive either.
    const partial = join(staging, "pack.zip.partial");
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

function stagingPrefix(outName: string): string {
  return `.${outName}.staging-`;
}

/** Removes staging folders of packs into the same file whose process is gone (killed mid-pack). */
async function removeStaleStaging(outDir: string, outName: string): Promise<void> {
  const prefix = stagingPrefix(outName);
  for (const name of await readdir(outDir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    await rm(join(outDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new UsageError(`--sign-key is not a readable private key (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new UsageError(`--sign-key must be an Ed25519 key (make one with \`isms-agent keygen\`); this one is ${key.asymmetricKeyType ?? "unknown"}`);
  return key;
}

// --- verification -------------------------------------------------------------------------------

export interface PackVerification {
  /** Intact, and either signed by the given key or explicitly accepted unchecked (`unsignedOk`). */
  ok: boolean;
  /** The archive is well formed and its files are exactly those of its manifest; says nothing of who wrote it. */
  intact: boolean;
  manifest: PackManifest | null;
  changed: string[];
  added: string[];
  removed: string[];
  signature: "valid" | "invalid" | "unsigned" | "not checked";
  signedBy: string | null;
  problems: string[];
}

export interface VerifyPackOptions {
  /** Accept a pack whose authenticity was not checked (unsigned, or no key given). Default false. */
  unsignedOk?: boolean;
}

/** Past this, one archive's problems are summarised: 2,000 overlapping entries need not print 2,000 lines. */
const MAX_PROBLEMS_LISTED = 20;

export async function verifyPack(file: string, publicKeyPem?: string, options: VerifyPackOptions = {}): Promise<PackVerification> {
  const result: PackVerification = {
    ok: false,
    intact: false,
    manifest: null,
    changed: [],
    added: [],
    removed: [],
    signature: "not checked",
    signedBy: null,
    problems: [],
  };
  // Read the key first: a bad --public-key is a usage error whatever the archive holds.
  let key: KeyObject | undefined;
  if (publicKeyPem) {
    try {
      key = createPublicKey(publicKeyPem);
    } catch (error) {
      throw new UsageError(`--public-key is not a readable public key (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  let archive: StrictArchive;
  try {
    archive = await StrictArchive.open(file);
  } catch (error) {
    result.problems.push(`${file} is not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
    return result;
  }
  let texts: SignedTexts | undefined;
  try {
    texts = await readChecked(archive, result);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    result.problems.push(`${file} is not a well-formed evidence pack archive: ${error.message}`);
  } finally {
    await archive.close();
  }
  result.intact = texts !== undefined && result.problems.length === 0 && result.changed.length + result.added.length + result.removed.length === 0;
  if (texts) checkSignature(texts, key, result);
  if (result.intact && !key && !options.unsignedOk) {
    result.problems.push(
      result.signature === "unsigned"
        ? "authenticity was not checked: the pack is not signed, so anyone could have written it and its manifest"
        : `authenticity was not checked: the pack carries a signature by key sha256:${result.signedBy ?? "?"}, but no public key was given to check it`,
    );
  }
  const unchecked = result.signature === "unsigned" || result.signature === "not checked";
  result.ok = result.intact && result.problems.length === 0 && (result.signature === "valid" || (options.unsignedOk === true && !key && unchecked));
  if (result.problems.length > MAX_PROBLEMS_LISTED) {
    const more = result.problems.length - MAX_PROBLEMS_LISTED;
    result.problems = [...result.problems.slice(0, MAX_PROBLEMS_LISTED), `… and ${more} more problem${more === 1 ? "" : "s"} of the same kind or others`];
  }
  return result;
}

/**
 * Checks the archive's layout and names against the manifest before inflating anything but the
 * manifest itself, then hashes each listed file. Fills `result`; returns the manifest's and
 * signature's text when the archive is sound enough to check a signature over.
 */
async function readChecked(archive: StrictArchive, result: PackVerification): Promise<SignedTexts | undefined> {
  const problems = archive.problems;
  const report = () => {
    result.problems.push(...problems);
    return undefined;
  };
  // The writer puts the manifest first, so its size bounds everything that follows.
  const first = await archive.nextEntry();
  if (!first || first.name !== MANIFEST) {
    result.problems.push(`${MANIFEST} is missing or not the archive's first entry: this is not an isms-agent evidence pack, or its manifest was removed`);
    return report();
  }
  if (problems.length > 0) return report();
  if (first.size > MAX_MANIFEST_BYTES) {
    result.problems.push(`${MANIFEST} declares ${first.size} bytes; a pack's manifest is at most ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB, so it was not read`);
    return report();
  }
  const located = new Map<number, LocatedEntry>();
  const manifestEntry = await archive.locate(first);
  located.set(first.index, manifestEntry);
  if (problems.length > 0) return report();
  const manifestText = await archive.text(manifestEntry);
  const parsed = manifestSchema.safeParse(safeJson(manifestText));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    result.problems.push(`${MANIFEST} is not a valid manifest (${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "unreadable"})`);
    return report();
  }
  const manifest = parsed.data;
  result.manifest = manifest;
  const listed = new Map<string, PackManifest["files"][number]>();
  for (const f of manifest.files) {
    if (listed.has(f.path)) result.problems.push(`${MANIFEST} lists ${f.path} more than once`);
    listed.set(f.path, f);
  }
  if (result.problems.length > 0) return report();
  if (archive.entryCount > manifest.files.length + 2 + MAX_UNLISTED_ENTRIES) {
    result.problems.push(
      `the archive holds ${archive.entryCount} entries, over ${MAX_UNLISTED_ENTRIES} more than the ${manifest.files.length} files its manifest lists; none of them was read`,
    );
    return report();
  }

  const entries = [first];
  for (let entry = await archive.nextEntry(); entry; entry = await archive.nextEntry()) entries.push(entry);
  const byName = new Map<string, CentralEntry>();
  const counts = new Map<string, number>();
  for (const entry of entries) {
    counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
    byName.set(entry.name, entry);
  }
  for (const [name, count] of counts)
    if (count > 1) problems.push(`the archive holds ${count} entries named ${name}: unzip would extract one and verify could check the other`);
  await archive.checkLayout(entries, located);
  if (problems.length > 0) return report();

  // Names and declared sizes against the manifest: nothing unlisted, and nothing declaring more
  // than listed, is ever inflated.
  const toHash: [PackManifest["files"][number], LocatedEntry][] = [];
  for (const [path, f] of listed) {
    const entry = byName.get(path);
    const at = entry && located.get(entry.index);
    if (!entry || !at) result.removed.push(path);
    else if (entry.size !== f.size) {
      result.changed.push(path);
      result.problems.push(`the entry ${path} declares ${entry.size} bytes where the manifest lists ${f.size}; it was not read`);
    } else toHash.push([f, at]);
  }
  for (const name of byName.keys()) if (name !== MANIFEST && name !== SIGNATURE && !listed.has(name)) result.added.push(name);
  const texts: SignedTexts = { manifest: manifestText, signature: undefined, signatureTooLarge: false };
  const signatureEntry = byName.get(SIGNATURE);
  if (signatureEntry) {
    texts.signatureTooLarge = signatureEntry.size > MAX_SIGNATURE_BYTES;
    if (!texts.signatureTooLarge) texts.signature = await archive.text(located.get(signatureEntry.index) ?? (await archive.locate(signatureEntry)));
  }
  for (const [f, at] of toHash) {
    const hash = createHash("sha256");
    try {
      await archive.content(at, (chunk) => hash.update(chunk));
    } catch (error) {
      if (!(error instanceof ArchiveError) && !isZlibError(error)) throw error;
      result.changed.push(f.path);
      result.problems.push(
        error instanceof ArchiveError ? error.message : `the entry ${f.path} cannot be inflated (${error instanceof Error ? error.message : String(error)})`,
      );
      continue;
    }
    if (hash.digest("hex") !== f.sha256) result.changed.push(f.path);
  }
  return texts;
}

interface SignedTexts {
  manifest: string;
  signature: string | undefined;
  signatureTooLarge: boolean;
}

function isZlibError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && (error as NodeJS.ErrnoException).code!.startsWith("Z_");
}

function checkSignature(texts: SignedTexts, key: KeyObject | undefined, result: PackVerification): void {
  const { manifest: manifestText, signature: signatureText } = texts;
  if (texts.signatureTooLarge) {
    result.signature = "invalid";
    result.problems.push(`${SIGNATURE} is over ${MAX_SIGNATURE_BYTES} bytes, so it was not read`);
    return;
  }
  if (signatureText === undefined) {
    result.signature = "unsigned";
    if (key) result.problems.push("the pack is not signed, but a public key was given to check it with");
    return;
  }
  const sig = signatureSchema.safeParse(safeJson(signatureText));
  if (!sig.success) {
    result.signature = "invalid";
    result.problems.push(`${SIGNATURE} is unreadable`);
    return;
  }
  result.signedBy = sig.data.publicKeySha256;
  if (!key) return;
  const sameKey = keyFingerprint(key) === sig.data.publicKeySha256;
  const valid = sameKey && verifySignature(null, Buffer.from(manifestText, "utf8"), key, Buffer.from(sig.data.signature, "base64"));
  result.signature = valid ? "valid" : "invalid";
  if (!valid)
    result.problems.push(
      sameKey
        ? "the signature does not match the manifest: the manifest was changed after signing"
        : "the pack was signed with a different key than the one given",
    );
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
