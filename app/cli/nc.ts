/**
 * `nc add|list|update`: nonconformities and corrective actions (clause 10.2). The agent opens
 * most of them after runs; people add those an audit or a complaint finds, and record the
 * correction, root cause, corrective action and due date. Closing is the evidence's job: only a
 * nonconformity no check, objective or control can judge is closed by hand, with a note.
 */
import { findControl } from "../../controls/mapping.js";
import { findCheck } from "../../controls/registry.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseDayOption } from "../../src/dates.js";
import { SEVERITIES, type Severity } from "../../src/domain.js";
import { judgedByEvidence, verificationText } from "../../src/engine/effectiveness.js";
import { isOverdue, newNonconformity } from "../../src/engine/nonconformities.js";
import { EXIT, UsageError } from "../../src/errors.js";
import type { Nonconformity } from "../../src/registers.js";
import { nonconformitiesInStore, recordNonconformity } from "../../src/store/registers.js";
import { addDays, listOption, nextNonconformityId } from "../registers-data.js";
import type { Output } from "./output.js";
import { storeFile, withStore } from "./store.js";

export interface NcAddOptions {
  title: string;
  severity: string;
  controls?: string | undefined;
  checks?: string | undefined;
  owner?: string | undefined;
  due?: string | undefined;
  now?: () => Date;
}

export interface NcUpdateOptions {
  id: string;
  owner?: string | undefined;
  due?: string | undefined;
  correction?: string | undefined;
  rootCause?: string | undefined;
  action?: string | undefined;
  closeByHand?: string | undefined;
  now?: () => Date;
}

function severityOption(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) throw new UsageError(`--severity expects one of ${SEVERITIES.join(", ")}; got "${value}"`);
  return value as Severity;
}

export async function ncAddCommand(loaded: LoadedConfig, options: NcAddOptions, io: Output): Promise<number> {
  const controls = listOption(options.controls);
  const checks = listOption(options.checks);
  for (const c of controls) if (!findControl(c)) throw new UsageError(`--controls expects Annex A 2022 control ids such as A.8.5; got "${c}"`);
  for (const c of checks) if (!findCheck(c)) throw new UsageError(`--checks expects check ids (see \`isms-agent controls\`); got "${c}"`);
  const severity = severityOption(options.severity);
  const due = options.due === undefined ? null : parseDayOption(options.due, "--due");
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const existing = await nonconformitiesInStore(store);
    const at = now.toISOString();
    const nc = newNonconformity({
      id: nextNonconformityId(existing),
      key: null,
      origin: "manual",
      title: options.title,
      severity,
      controls: [...new Set([...controls, ...checks.flatMap((c) => findCheck(c)?.controls.map((m) => m.control) ?? [])])],
      checks,
      objectives: [],
      detectedAt: at,
      detectedRun: null,
      owner: options.owner ?? null,
      dueDate: due ?? addDays(now, loaded.config.nonconformities.dueDays),
      similar: [],
    });
    await recordNonconformity(store, nc, at);
    io.out(
      `Nonconformity ${nc.id} recorded (${severity}), due ${nc.dueDate ?? ""}: ${nc.title}${checks.length > 0 ? ` Runs judge it by ${checks.join(", ")}.` : " No check names it, so it is closed by hand once its action is taken."}`,
    );
    return EXIT.ok;
  });
}

export async function ncUpdateCommand(loaded: LoadedConfig, options: NcUpdateOptions, io: Output): Promise<number> {
  const due = options.due === undefined ? undefined : parseDayOption(options.due, "--due");
  const fields = [options.owner, due, options.correction, options.rootCause, options.action, options.closeByHand];
  if (fields.every((f) => f === undefined))
    throw new UsageError("nothing to update: give --owner, --due, --correction, --root-cause, --action or --close-by-hand");
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const found = (await nonconformitiesInStore(store)).find((n) => n.id === options.id);
    if (!found) throw new UsageError(`there is no nonconformity ${options.id} in the register (see \`isms-agent nc list\`)`);
    const { version: _version, ...nc } = found;
    const at = now.toISOString();
    const next: Nonconformity = {
      ...nc,
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
      ...(due !== undefined ? { dueDate: due } : {}),
      ...(options.correction !== undefined ? { correction: options.correction } : {}),
      ...(options.rootCause !== undefined ? { rootCause: options.rootCause } : {}),
      // A new action restarts verification: only runs after it can show that it works.
      ...(options.action !== undefined && options.action !== nc.correctiveAction
        ? { correctiveAction: options.action, actionRecordedAt: at, verification: [] }
        : {}),
      updatedAt: at,
    };
    if (options.closeByHand !== undefined) {
      if (judgedByEvidence(nc))
        throw new UsageError(
          `${nc.id} is judged by evidence (${[...nc.checks, ...nc.objectives.map((o) => `objective ${o}`), ...(nc.origin === "stale_evidence" ? nc.controls : [])].join(", ")}): it closes when runs verify its corrective action, not by hand`,
        );
      if (next.correctiveAction === null) throw new UsageError(`${nc.id} has no corrective action yet; record it with --action before closing it`);
      Object.assign(next, { status: "closed", closedAt: at, closedByHand: options.closeByHand });
    }
    await recordNonconformity(store, next, at);
    io.out(`Nonconformity ${nc.id} updated: ${next.status}. ${verificationText(next, loaded.config.nonconformities.effectiveness)}`);
    return EXIT.ok;
  });
}

export async function ncListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const where = storeFile(loaded);
  if (!where.exists) {
    io.out(`No nonconformities are recorded: there is no evidence store at ${where.path} yet.`);
    return EXIT.ok;
  }
  return withStore(loaded, "read", async (store) => {
    const all = await nonconformitiesInStore(store);
    if (all.length === 0) io.out("No nonconformities are recorded.");
    const now = new Date();
    for (const nc of all) {
      io.out(
        [
          `${nc.id} [${nc.status}${isOverdue(nc, now) ? ", OVERDUE" : ""}${nc.recurrences > 0 ? `, recurred ${nc.recurrences}×` : ""}] ${nc.severity}, detected ${nc.detectedAt.slice(0, 10)}, owner ${nc.owner ?? "not assigned"}, due ${nc.dueDate ?? "not set"}: ${nc.title}`,
          ...(nc.correction ? [`  correction: ${nc.correction}`] : []),
          ...(nc.rootCause ? [`  root cause: ${nc.rootCause}`] : []),
          ...(nc.correctiveAction ? [`  corrective action: ${nc.correctiveAction}`] : []),
          ...(nc.similar.length > 0 ? [`  where else it fails: ${nc.similar.join("; ")}`] : []),
          `  ${verificationText(nc, loaded.config.nonconformities.effectiveness)}`,
        ].join("\n"),
      );
    }
    return EXIT.ok;
  });
}
