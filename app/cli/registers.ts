/**
 * The registers a person keeps beside the runs: `exception add|list` (accepted risks) and
 * `evidence add|list` (manual evidence for controls no API can show).
 */
import { basename } from "node:path";
import { evidenceSetOf } from "../../controls/evidence-sets.js";
import { findControl } from "../../controls/mapping.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseDayOption } from "../../src/dates.js";
import { sha256 } from "../../src/engine/canonical.js";
import { isExpired } from "../../src/engine/exceptions.js";
import { manualEvidenceExpired } from "../../src/engine/freshness.js";
import { EXIT, UsageError } from "../../src/errors.js";
import { exceptionSchema } from "../config.js";
import { configExceptions, toRiskException } from "../registry.js";
import { readEvidenceFile } from "./evidence-file.js";
import type { Output } from "./output.js";
import { storeFile, withStore } from "./store.js";

export interface ExceptionAddOptions {
  id: string;
  check: string;
  resource?: string | undefined;
  source?: string | undefined;
  account?: string | undefined;
  reason: string;
  owner: string;
  approvedBy: string;
  expires: string;
  /** The clock (tests); "today" for the expiry is its UTC day. */
  now?: () => Date;
}

export async function exceptionAddCommand(loaded: LoadedConfig, options: ExceptionAddOptions, io: Output): Promise<number> {
  // The same rules as an exception written in config, so both registers hold the same shape.
  const parsed = exceptionSchema.safeParse({
    id: options.id,
    check: options.check,
    reason: options.reason,
    owner: options.owner,
    approvedBy: options.approvedBy,
    expires: options.expires,
    ...(options.resource ? { resource: options.resource } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.account ? { account: options.account } : {}),
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `--${String(i.path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join("; "),
    );
  }
  if (loaded.config.exceptions.some((e) => e.id === options.id))
    throw new UsageError(`exception ${options.id} is already in the config's register; choose another id`);
  const e = parsed.data;
  const now = (options.now ?? (() => new Date()))();
  // The rule that retires an exception at a run; one already past it would be recorded but never apply.
  if (isExpired(e, now)) {
    throw new UsageError(
      `--expires: ${e.expires} is before today (${now.toISOString().slice(0, 10)}, UTC); an exception that has already expired would never apply. Give its last day, today or later.`,
    );
  }
  return withStore(loaded, "write", async (store) => {
    await store.addException(toRiskException(e, "register", now.toISOString()));
    io.out(
      `Exception ${e.id} recorded: ${e.check}${e.resource ? ` on ${e.resource}` : " (every resource)"} is excepted until ${e.expires}, approved by ${e.approvedBy}. It applies from the next run.`,
    );
    return EXIT.ok;
  });
}

export async function exceptionListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const where = storeFile(loaded);
  if (!where.exists) io.out(`No evidence store at ${where.path} yet: listing the config's exceptions only.`);
  const registered = where.exists ? await withStore(loaded, "read", (store) => store.registeredExceptions()) : [];
  const all = [...configExceptions(loaded.config), ...registered];
  if (all.length === 0) io.out("The exceptions register is empty.");
  const now = new Date();
  for (const e of all) {
    io.out(
      `${e.id} [${e.origin}] ${e.checkId}${e.resource ? ` on ${e.resource}` : " (every resource)"} — ${e.reason} (owner ${e.owner}, approved by ${e.approvedBy}) until ${e.expires}${isExpired(e, now) ? " — EXPIRED" : ""}`,
    );
  }
  return EXIT.ok;
}

export interface EvidenceAddOptions {
  control: string;
  file: string;
  note: string;
  validUntil?: string | undefined;
  /** Store the file a symlink points to; without it a symlink is refused. */
  followSymlinks?: boolean | undefined;
  /** The element of the control's evidence set the file fills (see `controls`). */
  element?: string | undefined;
  /** The clock (tests and the demo's simulated days). */
  now?: () => Date;
}

export async function evidenceAddCommand(loaded: LoadedConfig, options: EvidenceAddOptions, io: Output): Promise<number> {
  const control = findControl(options.control);
  if (!control) throw new UsageError(`--control expects an Annex A 2022 control id such as A.6.3; got "${options.control}"`);
  if (options.element !== undefined) {
    const elements = evidenceSetOf(control.id)?.elements.map((e) => e.id) ?? [];
    if (!elements.includes(options.element)) {
      throw new UsageError(
        elements.length > 0
          ? `--element expects one of the elements of ${control.id}'s evidence set (${elements.join(", ")}); got "${options.element}"`
          : `${control.id} has no evidence set, so --element cannot be used with it; leave --element out`,
      );
    }
  }
  if (options.validUntil !== undefined) parseDayOption(options.validUntil, "--valid-until");
  const content = await readEvidenceFile(options.file, { maxMiB: loaded.config.manualEvidenceMaxMiB, followSymlinks: options.followSymlinks ?? false });
  return withStore(loaded, "write", async (store) => {
    const stored = await store.addManualEvidence({
      controlId: control.id,
      fileName: basename(options.file),
      size: content.length,
      sha256: sha256(content),
      content,
      note: options.note,
      element: options.element ?? null,
      validUntil: options.validUntil ?? null,
      addedAt: (options.now ?? (() => new Date()))().toISOString(),
    });
    io.out(
      `Stored ${stored.fileName} (${stored.size} bytes, sha256 ${stored.sha256}) as evidence ${stored.id} for ${control.id} ${control.title}${stored.validUntil ? `, valid until ${stored.validUntil}` : ""}.`,
    );
    return EXIT.ok;
  });
}

export async function evidenceListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const where = storeFile(loaded);
  if (!where.exists) {
    io.out(`No manual evidence is stored: there is no evidence store at ${where.path} yet.`);
    return EXIT.ok;
  }
  return withStore(loaded, "read", async (store) => {
    const all = await store.manualEvidence();
    if (all.length === 0) io.out("No manual evidence is stored.");
    const now = new Date();
    for (const m of all) {
      io.out(
        `${m.id} ${m.controlId} ${m.fileName} (${m.size} bytes, sha256 ${m.sha256.slice(0, 16)}…) added ${m.addedAt.slice(0, 10)}${m.validUntil ? `, valid until ${m.validUntil}${manualEvidenceExpired(m, now) ? " — EXPIRED" : ""}` : ""}: ${m.note}`,
      );
    }
    return EXIT.ok;
  });
}
