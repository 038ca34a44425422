/**
 * What reads a finished run: `report` (one run, as of a moment, or a period), `pack` and
 * `keygen` (the auditor's signed evidence pack), `verify` (the store's hash chain, or a pack).
 */
import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ANNEX_A } from "../../controls/annex-a.js";
import { generateKeyPair, readKeyFile, verifyPack, writePack } from "../../reports/pack.js";
import { buildPeriodReport, parseDay, renderPeriodHtml, renderPeriodMarkdown } from "../../reports/period.js";
import { REPORT_FORMATS, isReportFormat, writeReports, type ReportFormat } from "../../reports/write.js";
import { writeFileAtomic } from "../../src/atomic-file.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseTimeOption } from "../../src/dates.js";
import { EXIT, IntegrityError, RunError, UsageError } from "../../src/errors.js";
import type { Store } from "../../src/store/store.js";
import { maxEvidenceAgeHours } from "../daemon/schedule.js";
import { reportContext } from "../registry.js";
import { gatherReviewPack } from "../review-data.js";
import type { Output } from "./output.js";
import { outputDir, withStore } from "./store.js";

export function parseFormats(value: string): ReportFormat[] {
  const formats = value
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = formats.filter((f) => !isReportFormat(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new UsageError(`--format expects a comma-separated list of ${Object.keys(REPORT_FORMATS).join(", ")}; got "${value}"`);
  }
  return formats as ReportFormat[];
}

export interface ReportOptions {
  run: string;
  /** Comma-separated; absent: the config's `reports.formats`. */
  format?: string | undefined;
  out?: string | undefined;
  /** A day (YYYY-MM-DD, its end in UTC) or an ISO timestamp. */
  asOf?: string | undefined;
  /** A period (days, inclusive): writes period.json, period.md and period.html. */
  from?: string | undefined;
  to?: string | undefined;
}

export function parseAsOf(value: string): Date {
  return parseTimeOption(value, "--as-of");
}

export async function reportCommand(loaded: LoadedConfig, options: ReportOptions, io: Output): Promise<number> {
  const { config, file } = loaded;
  const chosen = options.format === undefined ? [...config.reports.formats] : parseFormats(options.format);
  if (chosen.length === 0) throw new UsageError("the config's reports.formats is empty, so there is nothing to write: pass --format, e.g. --format json,html");
  if ((options.from === undefined) !== (options.to === undefined)) throw new UsageError("a period needs both --from and --to (YYYY-MM-DD)");
  if (options.from !== undefined && options.to !== undefined) {
    if (options.asOf !== undefined || options.run !== "latest") throw new UsageError("give a period (--from/--to), --as-of or --run, one of them");
    return periodReportCommand(loaded, parseDay(options.from, "--from"), parseDay(options.to, "--to"), options.out, io);
  }
  const asOf = options.asOf === undefined ? undefined : parseAsOf(options.asOf);
  if (asOf && options.run !== "latest") throw new UsageError("give either --run or --as-of, not both");
  return withStore(loaded, "read", async (store) => {
    let runId: number;
    if (asOf) {
      // What an auditor samples must rest on a store that verifies.
      await requireIntact(store, "a report as of a past moment");
      const run = await store.latestFinishedRunAt(asOf.toISOString());
      if (!run) throw new UsageError(`no run had finished by ${asOf.toISOString()} in ${store.location}; the evidence starts later`);
      runId = run.id;
    } else runId = await resolveRunId(store, options.run);
    const written = await writeReports(store, runId, options.out ? resolve(options.out) : outputDir(config, file), chosen, reportContext(config, asOf));
    io.out(`${asOf ? `As of ${asOf.toISOString()}, the latest finished run was ${runId}` : `Run ${runId}`}: ${written.join(", ")}`);
    return EXIT.ok;
  });
}

/** Runs the integrity check before a report an auditor relies on; refuses, naming the first bad record, when it fails. */
async function requireIntact(store: Store, what: string): Promise<void> {
  const integrity = await store.verify();
  if (!integrity.ok)
    throw new IntegrityError(
      `the evidence store ${store.location} fails its integrity check: ${integrity.problem}; refusing to write ${what} of it (see \`isms-agent verify\`)`,
    );
}

async function periodReportCommand(loaded: LoadedConfig, from: string, to: string, out: string | undefined, io: Output): Promise<number> {
  return withStore(loaded, "read", async (store) => {
    await requireIntact(store, "a period report");
    const period = await buildPeriodReport(store, from, to, maxEvidenceAgeHours(loaded.config)(""), ANNEX_A);
    const dir = out ? resolve(out) : outputDir(loaded.config, loaded.file);
    await mkdir(dir, { recursive: true });
    const files: [string, string][] = [
      ["period.json", `${JSON.stringify(period, null, 2)}\n`],
      ["period.md", renderPeriodMarkdown(period)],
      ["period.html", renderPeriodHtml(period)],
    ];
    for (const [name, text] of files) await writeFileAtomic(resolve(dir, name), text);
    io.out(`${from} to ${to}: ${period.runs.length} runs summarised in ${files.map(([name]) => resolve(dir, name)).join(", ")}`);
    return EXIT.ok;
  });
}

async function resolveRunId(store: Store, runArg: string): Promise<number> {
  if (runArg === "latest") {
    const latest = await store.latestFinishedRun();
    if (!latest) throw new UsageError(`there is no finished run in ${store.location} yet; run \`isms-agent run\` first`);
    return latest.id;
  }
  if (!/^\d+$/.test(runArg)) throw new UsageError(`--run expects a run id or "latest"; got "${runArg}"`);
  const run = await store.getRun(Number(runArg));
  if (!run) throw new UsageError(`run ${runArg} does not exist in ${store.location}`);
  return run.id;
}

export async function verifyCommand(loaded: LoadedConfig, io: Output, options: { expectHead?: string | undefined } = {}): Promise<number> {
  if (options.expectHead !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.expectHead.trim())) {
    throw new UsageError(
      `--expect-head expects a chain head: 64 hexadecimal characters, as \`run\`, \`verify\` or a pack's manifest print it; got "${options.expectHead}"`,
    );
  }
  return withStore(loaded, "read", async (store) => {
    const result = await store.verify(options.expectHead === undefined ? {} : { expectHead: options.expectHead });
    if (result.ok) {
      io.out(
        `The evidence store ${store.location} is intact: ${result.runsChecked} runs and ${result.evidenceChecked} evidence records match their hashes, and the ledger of manual evidence, exceptions, drift, alert deliveries, prunes, run summaries and the risk, nonconformity, review and audit registers matches its rows.` +
          (result.head ? ` Chain head: ${result.head}` : "") +
          (options.expectHead !== undefined
            ? ` The expected head ${options.expectHead.trim().toLowerCase()} is there: no run or ledger entry up to it was removed.`
            : ""),
      );
      return EXIT.ok;
    }
    io.err(`The evidence store ${store.location} has been altered: ${result.problem}.`);
    io.err(`(${result.runsChecked} runs before it verified.)`);
    return EXIT.runFailed;
  });
}

/** Upgrades the store to this version's schema (what `run` does first), then verifies it: for a copy no run will touch. */
export async function migrateCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  return withStore(loaded, "write", async (store) => {
    io.out(`The evidence store ${store.location} is at this version's schema.`);
    const result = await store.verify();
    if (result.ok) {
      io.out(`It verifies: ${result.runsChecked} runs, ${result.evidenceChecked} evidence records.${result.head ? ` Chain head: ${result.head}` : ""}`);
      return EXIT.ok;
    }
    io.err(`It does not verify: ${result.problem}.`);
    return EXIT.runFailed;
  });
}

export interface PackCommandOptions {
  from: string;
  to: string;
  out: string;
  signKey?: string | undefined;
}

export async function packCommand(loaded: LoadedConfig, options: PackCommandOptions, io: Output): Promise<number> {
  const from = parseDay(options.from, "--from");
  const to = parseDay(options.to, "--to");
  const signKey = options.signKey ? await readKeyFile(resolve(options.signKey), "signing key") : undefined;
  return withStore(loaded, "read", async (store) => {
    const result = await writePack({
      store,
      from,
      to,
      out: resolve(options.out),
      context: reportContext(loaded.config),
      maxEvidenceAgeHours: maxEvidenceAgeHours(loaded.config)(""),
      catalog: ANNEX_A,
      ...(signKey ? { signKey } : {}),
      // Dated at the period's end, not today, so the same store and period still give the same archive.
      reviewPack: await gatherReviewPack(loaded.config, store, from, to, {}, new Date(`${to}T23:59:59.999Z`)),
    });
    io.out(
      `Wrote ${result.file}: ${result.files} files from ${result.runs} run${result.runs === 1 ? "" : "s"}, ${result.signed ? "signed (Ed25519)" : "not signed (pass --sign-key to sign it)"}. Chain head ${result.chainHead ?? "none"}. Check it with \`isms-agent verify ${options.out}${result.signed ? " --public-key <key.pub>" : " --unsigned-ok"}\`.`,
    );
    return EXIT.ok;
  });
}

export async function keygenCommand(out: string, force: boolean, io: Output): Promise<number> {
  const privateFile = resolve(`${out}.pem`);
  const publicFile = resolve(`${out}.pub`);
  if (!force) {
    for (const file of [privateFile, publicFile]) {
      if (
        await access(file).then(
          () => true,
          () => false,
        )
      )
        throw new UsageError(`${file} already exists; pass --force to overwrite it`);
    }
  }
  const pair = generateKeyPair();
  await mkdir(dirname(privateFile), { recursive: true });
  // Each file replaced whole; the private key is created 0600 even over an older, looser file.
  await writeFileAtomic(privateFile, pair.privateKey, { mode: 0o600 });
  await writeFileAtomic(publicFile, pair.publicKey);
  // Another keygen into the same name at once could leave one's private key beside the other's public key.
  const onDisk = [await readKeyFile(privateFile, "signing key"), await readKeyFile(publicFile, "public key")];
  if (onDisk[0] !== pair.privateKey || onDisk[1] !== pair.publicKey) {
    throw new RunError(
      `another keygen wrote ${privateFile} or ${publicFile} at the same time; the pair on disk may not belong together. Run keygen --force again.`,
    );
  }
  io.out(
    `Wrote the signing key ${privateFile} (keep it secret) and the public key ${publicFile} (give it to your auditor). Fingerprint sha256:${pair.fingerprint}`,
  );
  return EXIT.ok;
}

export interface VerifyPackCommandOptions {
  /** Exit 0 for a pack whose files match its manifest even though its authenticity was not checked. */
  unsignedOk?: boolean | undefined;
}

export async function verifyPackCommand(file: string, publicKey: string | undefined, io: Output, options: VerifyPackCommandOptions = {}): Promise<number> {
  const pem = publicKey ? await readKeyFile(resolve(publicKey), "public key") : undefined;
  const path = resolve(file);
  const result = await verifyPack(path, pem, { unsignedOk: options.unsignedOk === true });
  for (const changed of result.changed) io.err(`changed: ${changed} (its sha256 or size differs from the manifest)`);
  for (const added of result.added) io.err(`added: ${added} (not in the manifest)`);
  for (const removed of result.removed) io.err(`removed: ${removed} (listed in the manifest, missing from the archive)`);
  for (const problem of result.problems) io.err(problem);
  const m = result.manifest;
  const files = `${m?.files.length ?? 0} files`;
  const period = `Period ${m?.period.from ?? ""} to ${m?.period.to ?? ""}, runs ${m?.runs.join(", ") ?? ""}, chain head ${m?.chainHead ?? "none"}.`;
  // Matching its own manifest proves nothing about who wrote a pack: only a checked signature does.
  if (!result.ok) {
    if (result.intact && !pem)
      io.err(
        `The files of ${path} match its manifest (${files}), but that does not show who wrote them: pass --public-key <key.pub> to check who wrote it, or --unsigned-ok to accept it unchecked.`,
      );
    else io.err(`The evidence pack ${path} does NOT verify.`);
    return EXIT.runFailed;
  }
  if (result.signature === "valid") {
    io.out(
      `The evidence pack ${path} is intact and authentic: ${files} match the manifest; signature valid (Ed25519, key sha256:${result.signedBy ?? ""}). ${period}`,
    );
    return EXIT.ok;
  }
  const why = result.signature === "unsigned" ? "the pack is not signed" : `it is signed by key sha256:${result.signedBy ?? ""}, but no --public-key was given`;
  io.out(`The files of ${path} match its manifest (${files}), but its authenticity was NOT checked (${why}); accepted because of --unsigned-ok. ${period}`);
  return EXIT.ok;
}
