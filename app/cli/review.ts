/**
 * `review --from --to` writes the management review pack (clause 9.3.2 a to g: JSON, Markdown,
 * HTML); `review record` keeps the review's decisions and actions (9.3.3), chained in the
 * ledger, where the next pack finds them as its input a).
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { renderReviewHtml, renderReviewMarkdown } from "../../reports/review.js";
import { writeFileAtomic } from "../../src/atomic-file.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseDayOption } from "../../src/dates.js";
import { EXIT, IntegrityError, UsageError } from "../../src/errors.js";
import type { ReviewAction, ReviewRecord } from "../../src/registers.js";
import { recordReview, reviewRecordsInStore } from "../../src/store/registers.js";
import { gatherReviewPack } from "../review-data.js";
import type { Output } from "./output.js";
import { outputDir, withStore } from "./store.js";

export interface ReviewOptions {
  from: string;
  to: string;
  out?: string | undefined;
  issues?: string | undefined;
  interestedParties?: string | undefined;
  feedback?: string | undefined;
  now?: () => Date;
}

export async function reviewCommand(loaded: LoadedConfig, options: ReviewOptions, io: Output): Promise<number> {
  const from = parseDayOption(options.from, "--from");
  const to = parseDayOption(options.to, "--to");
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "read", async (store) => {
    const integrity = await store.verify();
    if (!integrity.ok)
      throw new IntegrityError(
        `the evidence store ${store.location} fails its integrity check: ${integrity.problem}; refusing to write a management review pack of it`,
      );
    const pack = await gatherReviewPack(
      loaded.config,
      store,
      from,
      to,
      { issues: options.issues, interestedParties: options.interestedParties, feedback: options.feedback },
      now,
    );
    const dir = options.out ? resolve(options.out) : outputDir(loaded.config, loaded.file);
    await mkdir(dir, { recursive: true });
    const files: [string, string][] = [
      ["management-review.json", `${JSON.stringify(pack, null, 2)}\n`],
      ["management-review.md", renderReviewMarkdown(pack)],
      ["management-review.html", renderReviewHtml(pack)],
    ];
    for (const [name, text] of files) await writeFileAtomic(resolve(dir, name), text);
    const people = Object.entries(pack.inputs)
      .filter(([, s]) => s.filledFrom === "entered_by_people")
      .map(([k]) => k);
    io.out(
      `Management review pack for ${from} to ${to} written: ${files.map(([name]) => resolve(dir, name)).join(", ")}. Inputs ${people.join(", ")} are entered by people; the others come from the store.`,
    );
    return EXIT.ok;
  });
}

export interface ReviewRecordOptions {
  id: string;
  heldOn: string;
  from: string;
  to: string;
  attendee?: string[] | undefined;
  decision?: string[] | undefined;
  /** "text | owner | due (YYYY-MM-DD, optional)" */
  action?: string[] | undefined;
  done?: string[] | undefined;
  issues?: string | undefined;
  interestedParties?: string | undefined;
  feedback?: string | undefined;
  now?: () => Date;
}

function parseAction(value: string, index: number, reviewId: string): ReviewAction {
  const [text, owner, due] = value.split("|").map((s) => s.trim());
  if (!text || !owner) throw new UsageError(`--action expects "what | owner | due date (optional)"; got "${value}"`);
  return { id: `${reviewId}-A${index + 1}`, text, owner, due: due ? parseDayOption(due, "--action's due date") : null };
}

export async function reviewRecordCommand(loaded: LoadedConfig, options: ReviewRecordOptions, io: Output): Promise<number> {
  const heldOn = parseDayOption(options.heldOn, "--held-on");
  const from = parseDayOption(options.from, "--from");
  const to = parseDayOption(options.to, "--to");
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  const decisions = options.decision ?? [];
  const actions = (options.action ?? []).map((a, i) => parseAction(a, i, options.id));
  if (decisions.length === 0 && actions.length === 0) throw new UsageError("a review record needs at least one --decision or --action (clause 9.3.3)");
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const earlier = await reviewRecordsInStore(store);
    if (earlier.some((r) => r.id === options.id)) throw new UsageError(`review ${options.id} is already recorded; choose another id`);
    const known = new Set(earlier.flatMap((r) => r.actions.map((a) => a.id)));
    for (const id of options.done ?? []) if (!known.has(id)) throw new UsageError(`--done: no earlier review recorded an action ${id}`);
    const record: ReviewRecord = {
      id: options.id,
      heldOn,
      from,
      to,
      attendees: options.attendee ?? [],
      decisions,
      actions,
      actionsDone: options.done ?? [],
      entered: { issues: options.issues ?? null, interestedParties: options.interestedParties ?? null, feedback: options.feedback ?? null },
      recordedAt: now.toISOString(),
    };
    await recordReview(store, record, record.recordedAt);
    io.out(
      `Management review ${record.id} of ${heldOn} recorded: ${decisions.length} decision${decisions.length === 1 ? "" : "s"}, ${actions.length} action${actions.length === 1 ? "" : "s"} (${actions.map((a) => a.id).join(", ") || "none"}). The next review pack lists them as input a).`,
    );
    return EXIT.ok;
  });
}
