/**
 * Today's registry as the core and the reports take it: check snapshots and the catalog, and the
 * report context built from config. Reports never import the checks; the app hands them in.
 */
import { ANNEX_A } from "../controls/annex-a.js";
import { CHECKS } from "../controls/registry.js";
import type { ReportContext, ReportRegistry } from "../reports/build.js";
import type { Config } from "../src/config/schema.js";
import type { CheckSnapshot, RiskException } from "../src/domain.js";
import { maxEvidenceAgeHours } from "./daemon/schedule.js";

export function checkSnapshots(): CheckSnapshot[] {
  return CHECKS.map((check) => ({
    id: check.id,
    title: check.title,
    severity: check.severity,
    sourceType: check.sourceType,
    remediation: check.remediation,
    controls: check.controls.map((m) => ({ control: m.control, rationale: m.rationale })),
  }));
}

export const REPORT_REGISTRY: ReportRegistry = { checks: checkSnapshots(), catalog: ANNEX_A };

/** What a report needs from config (evidence age limits, the config's exceptions) and today's registry, for runs stored without a context. */
export function reportContext(config: Config, asOf?: Date): ReportContext {
  return { maxAgeHours: maxEvidenceAgeHours(config), configExceptions: configExceptions(config), registry: REPORT_REGISTRY, ...(asOf ? { asOf } : {}) };
}

export function configExceptions(config: Config): RiskException[] {
  return config.exceptions.map((e) => toRiskException(e, "config", null));
}

/** An exception as config or `exception add` writes it, as the register holds it. */
export function toRiskException(e: Config["exceptions"][number], origin: RiskException["origin"], createdAt: string | null): RiskException {
  return {
    id: e.id,
    checkId: e.check,
    resource: e.resource ?? null,
    source: e.source ?? null,
    account: e.account ?? null,
    reason: e.reason,
    owner: e.owner,
    approvedBy: e.approvedBy,
    expires: e.expires,
    origin,
    createdAt,
  };
}
