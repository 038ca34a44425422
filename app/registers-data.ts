/**
 * The PDCA registers as commands and reports see them: the config's risks beside those added
 * with `risk add`, and the next free nonconformity id.
 */
import type { Config } from "../src/config/schema.js";
import type { Nonconformity, Risk } from "../src/registers.js";
import { risksInStore } from "../src/store/registers.js";
import type { Store } from "../src/store/store.js";

export function configRisks(config: Config): Risk[] {
  return config.risks.map((r) => ({
    id: r.id,
    title: r.title,
    asset: r.asset,
    threat: r.threat,
    likelihood: r.likelihood,
    impact: r.impact,
    owner: r.owner,
    treatment: r.treatment,
    controls: r.controls,
    objectives: r.objectives,
    exceptions: r.exceptions,
    residualTarget: r.residualTarget ?? null,
    reviewDate: r.reviewDate ?? null,
    origin: "config",
    createdAt: null,
  }));
}

/** Config risks first, then the store's; an id in both is the config's (`risk add` refuses such ids). */
export async function allRisks(config: Config, store: Store | null): Promise<Risk[]> {
  const fromConfig = configRisks(config);
  const ids = new Set(fromConfig.map((r) => r.id));
  const stored = store ? (await risksInStore(store)).map(({ version: _version, ...risk }) => risk) : [];
  return [...fromConfig, ...stored.filter((r) => !ids.has(r.id))];
}

/** NC-0001, NC-0002, …: one more than the highest number in use. */
export function nextNonconformityId(existing: readonly Pick<Nonconformity, "id">[]): string {
  const highest = Math.max(0, ...existing.map((n) => Number(/^NC-(\d+)$/.exec(n.id)?.[1] ?? 0)));
  return `NC-${String(highest + 1).padStart(4, "0")}`;
}

export function addDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
