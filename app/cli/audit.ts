/**
 * `audit sample`: a reproducible sample for the internal audit (clause 9.2). The population is
 * every resource a finished run judged for the control's checks (users, repositories, security
 * groups, …); the seed, the population's size and sha256 and the run's hash are recorded in the
 * register, chained in the ledger, so an external auditor can redraw the same sample.
 */
import { findControl } from "../../controls/mapping.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { auditProgramme, type ProgrammeControl } from "../../src/engine/audit-programme.js";
import { newNonconformity } from "../../src/engine/nonconformities.js";
import { riskScore } from "../../src/engine/risks.js";
import { drawSample } from "../../src/engine/sampling.js";
import { EXIT, UsageError } from "../../src/errors.js";
import { SEVERITIES, type Severity } from "../../src/domain.js";
import type { AuditSample } from "../../src/registers.js";
import {
  auditSamplesInStore,
  nonconformitiesInStore,
  recordAuditSample,
  recordNonconformity,
  registersAfterRun,
  runSummariesSince,
} from "../../src/store/registers.js";
import type { Store } from "../../src/store/store.js";
import type { Output } from "./output.js";
import { ANNEX_A } from "../../controls/annex-a.js";
import { addDays, allRisks, listOption, nextNonconformityId } from "../registers-data.js";
import { withStore } from "./store.js";

export interface AuditSampleOptions {
  control: string;
  size: string;
  seed: string;
  run?: string | undefined;
  auditor?: string | undefined;
  now?: () => Date;
}

/** The resources a run judged for a control's checks, as `source/account/region: resource`; findings in error were not judged. */
export async function samplePopulation(store: Store, runId: number, controlId: string): Promise<string[]> {
  const result = (await store.controlResults(runId)).find((c) => c.controlId === controlId);
  const items = new Set<string>();
  for (const checkId of result?.checks ?? []) {
    for (const f of await store.findingsOfCheck(runId, checkId)) {
      if (f.status !== "error") items.add(`${f.source}/${f.account}/${f.region}: ${f.resourceId}`);
    }
  }
  return [...items];
}

export async function auditSampleCommand(loaded: LoadedConfig, options: AuditSampleOptions, io: Output): Promise<number> {
  const control = findControl(options.control);
  if (!control) throw new UsageError(`--control expects an Annex A 2022 control id such as A.8.5; got "${options.control}"`);
  if (!/^\d+$/.test(options.size) || Number(options.size) < 1) throw new UsageError(`--size expects a positive whole number; got "${options.size}"`);
  if (options.seed.trim() === "") throw new UsageError("--seed expects a non-empty text, such as the audit's reference");
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const run =
      options.run === undefined || options.run === "latest"
        ? await store.latestFinishedRun()
        : /^\d+$/.test(options.run)
          ? await store.getRun(Number(options.run))
          : undefined;
    if (!run || run.hash === null)
      throw new UsageError(
        options.run && options.run !== "latest"
          ? `--run: run ${options.run} is not a finished run in ${store.location}`
          : "there is no finished run yet; run `isms-agent run` first",
      );
    const population = await samplePopulation(store, run.id, control.id);
    if (population.length === 0)
      throw new UsageError(`run ${run.id} judged no resource for ${control.id}: it has no automated population to sample (audit its manual evidence instead)`);
    const drawn = drawSample(population, Number(options.size), options.seed);
    const existing = await auditSamplesInStore(store);
    const sample: AuditSample = {
      id: `SAMPLE-${String(existing.length + 1).padStart(4, "0")}`,
      control: control.id,
      run: { runId: run.id, hash: run.hash, startedAt: run.startedAt },
      seed: options.seed,
      size: Number(options.size),
      populationSize: drawn.populationSize,
      populationSha256: drawn.populationSha256,
      items: drawn.items,
      drawnAt: now.toISOString(),
      auditor: options.auditor ?? null,
      results: [],
    };
    await recordAuditSample(store, sample, sample.drawnAt);
    io.out(
      `Sample ${sample.id} for ${control.id} ${control.title}: ${drawn.items.length} of ${drawn.populationSize} resources judged by run ${run.id} (hash ${run.hash}), seed "${options.seed}", population sha256 ${drawn.populationSha256}. Redraw it with the same seed over the same population to get the same items in the same order.`,
    );
    drawn.items.forEach((item, i) => io.out(`${String(i + 1).padStart(3, " ")}. ${item}`));
    return EXIT.ok;
  });
}

export interface AuditPlanOptions {
  years?: string | undefined;
  auditors?: string | undefined;
}

/** `audit plan`: the programme over the certification cycle, from the latest run, the risks and their owners. */
export async function auditPlanCommand(loaded: LoadedConfig, options: AuditPlanOptions, io: Output): Promise<number> {
  const years = options.years === undefined ? 3 : Number(options.years);
  if (!Number.isInteger(years) || years < 1 || years > 5)
    throw new UsageError(`--years expects the certification cycle in whole years, 1 to 5; got "${options.years ?? ""}"`);
  const { config } = loaded;
  return withStore(loaded, "read", async (store) => {
    const run = await store.latestFinishedRun();
    if (!run) throw new UsageError("there is no finished run yet; run `isms-agent run` first");
    const [results, summaries, registers] = await Promise.all([
      store.controlResults(run.id),
      runSummariesSince(store, run.startedAt),
      registersAfterRun(store, run.id),
    ]);
    const risks = registers?.risks.map((r) => r.risk) ?? (await allRisks(config, store));
    const stale = new Set(summaries.find((s) => s.runId === run.id)?.staleControls ?? []);
    const byId = new Map(results.map((r) => [r.controlId, r]));
    const controls: ProgrammeControl[] = ANNEX_A.map((c) => {
      const result = byId.get(c.id);
      const treating = risks.filter((r) => r.controls.includes(c.id));
      return {
        id: c.id,
        title: c.title,
        applicable: result?.status !== "not_applicable",
        status: result?.status ?? null,
        stale: stale.has(c.id),
        manualOnly: (result?.checks.length ?? 0) === 0,
        riskScore: Math.max(0, ...treating.map(riskScore)),
        owners: [...new Set([...treating.map((r) => r.owner), ...config.objectives.filter((o) => o.controls.includes(c.id)).map((o) => o.owner)])],
      };
    });
    const plan = auditProgramme(controls, { cycleYears: years, auditors: listOption(options.auditors), highRisk: 15 });
    io.out(
      `Internal audit programme over ${years} year${years === 1 ? "" : "s"} (${years * 4} quarters), from run ${run.id}: ${plan.length} applicable controls, each audited at least once.`,
    );
    for (const p of plan) {
      io.out(`${p.control} ${p.title}: ${p.frequency}, quarters ${p.quarters.join(", ")}${p.auditor ? `, auditor ${p.auditor}` : ""}. ${p.reasons.join(" ")}`);
    }
    return EXIT.ok;
  });
}

export interface AuditResultOptions {
  sample: string;
  /** The item as listed (its text), or its number in the draw (1-based). */
  item: string;
  result: string;
  note: string;
  severity?: string | undefined;
  now?: () => Date;
}

/** `audit result`: what the auditor found for one sampled item; a nonconforming item opens a nonconformity (10.2). */
export async function auditResultCommand(loaded: LoadedConfig, options: AuditResultOptions, io: Output): Promise<number> {
  const result = options.result;
  if (result !== "conforming" && result !== "nonconforming") throw new UsageError(`--result expects conforming or nonconforming; got "${result}"`);
  const verdict: AuditSample["results"][number]["result"] = result;
  const severity = options.severity ?? "medium";
  if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`--severity expects one of ${SEVERITIES.join(", ")}; got "${severity}"`);
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const found = (await auditSamplesInStore(store)).find((s) => s.id === options.sample);
    if (!found) throw new UsageError(`there is no audit sample ${options.sample} (\`audit sample\` draws one)`);
    const { version: _version, ...sample } = found;
    const item = /^\d+$/.test(options.item) ? sample.items[Number(options.item) - 1] : sample.items.find((i) => i === options.item);
    if (item === undefined)
      throw new UsageError(`--item: ${options.item} is not in sample ${sample.id} (give its number, 1 to ${sample.items.length}, or its text)`);
    let nonconformity: string | null = null;
    if (options.result === "nonconforming") {
      const existing = await nonconformitiesInStore(store);
      const at = now.toISOString();
      const checks = (await store.controlResults(sample.run.runId)).find((c) => c.controlId === sample.control)?.checks ?? [];
      const nc = newNonconformity({
        id: nextNonconformityId(existing),
        key: null,
        origin: "manual",
        title: `Internal audit sample ${sample.id} of ${sample.control}: ${item} does not conform. ${options.note}`,
        severity: severity as Severity,
        controls: [sample.control],
        checks,
        objectives: [],
        detectedAt: at,
        detectedRun: sample.run,
        owner: null,
        dueDate: addDays(now, loaded.config.nonconformities.dueDays),
        similar: [],
      });
      await recordNonconformity(store, nc, at);
      nonconformity = nc.id;
    }
    const results = [
      ...sample.results.filter((r) => r.item !== item),
      { item, result: verdict, note: options.note, recordedAt: now.toISOString(), nonconformity },
    ];
    await recordAuditSample(store, { ...sample, results }, now.toISOString());
    io.out(
      `Sample ${sample.id}, ${item}: ${options.result}.${nonconformity ? ` Nonconformity ${nonconformity} opened (${severity}); record its action with \`isms-agent nc update --id ${nonconformity}\`.` : ""} ${results.length} of ${sample.items.length} items audited.`,
    );
    return EXIT.ok;
  });
}
