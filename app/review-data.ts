/**
 * What a management review pack is made from, gathered from the config and the store: shared by
 * `review`, the evidence pack and the demo.
 */
import { ANNEX_A } from "../controls/annex-a.js";
import { buildReviewPack, type ReviewInput, type ReviewPack } from "../reports/review.js";
import type { Config } from "../src/config/schema.js";
import { riskLiveStatus } from "../src/engine/risks.js";
import { auditSamplesInStore, nonconformitiesInStore, nonconformityHistory, reviewRecordsInStore } from "../src/store/registers.js";
import type { Store } from "../src/store/store.js";
import { maxEvidenceAgeHours } from "./daemon/schedule.js";
import { allExceptions, allRisks, riskEvidence } from "./registers-data.js";

export async function gatherReviewPack(
  config: Config,
  store: Store,
  from: string,
  to: string,
  entered: ReviewInput["entered"],
  now: Date,
): Promise<ReviewPack> {
  const newest = await store.latestFinishedRunAt(`${to}T23:59:59.999Z`);
  const evidence = newest ? await riskEvidence(config, store, new Date(Math.min(now.getTime(), Date.parse(`${to}T23:59:59.999Z`))), newest.id) : null;
  const strip = <T extends { version: number }>({ version: _version, ...rest }: T) => rest;
  const [risks, nonconformities, history, reviews, samples, exceptions] = await Promise.all([
    allRisks(config, store),
    nonconformitiesInStore(store),
    nonconformityHistory(store),
    reviewRecordsInStore(store),
    auditSamplesInStore(store),
    allExceptions(config, store),
  ]);
  return buildReviewPack(store, config.organization, {
    from,
    to,
    now,
    catalog: ANNEX_A,
    maxEvidenceAgeHours: maxEvidenceAgeHours(config)(""),
    risks: risks.map((risk) => ({ risk, status: evidence ? riskLiveStatus(risk, evidence) : null })),
    nonconformities: nonconformities.map(strip),
    nonconformityHistory: history.map(({ version: _version, ...rest }) => rest),
    reviews: reviews.map(strip),
    samples: samples.map(strip),
    exceptions: exceptions.map((x) => ({ id: x.id, checkId: x.checkId, expires: x.expires })),
    entered,
  });
}
