/**
 * `risk add|list`: the risk register (clauses 6.1.2, 6.1.3). A risk added here is kept in the
 * store like an exception, chained in the ledger; `list` shows each risk's live status from the
 * latest run.
 */
import { z } from "zod";
import type { LoadedConfig } from "../../src/config/load.js";
import { checkRegisterConfig, riskConfigSchemaFor } from "../../src/config/registers.js";
import { EXIT, UsageError } from "../../src/errors.js";
import { riskLiveStatus } from "../../src/engine/risks.js";
import { recordRisk } from "../../src/store/registers.js";
import { CONFIG_VOCABULARY } from "../config.js";
import { allExceptions, allRisks, listOption, riskEvidence } from "../registers-data.js";
import type { Output } from "./output.js";
import { storeFile, withStore } from "./store.js";

export interface RiskAddOptions {
  id: string;
  title: string;
  asset: string;
  threat: string;
  likelihood: string;
  impact: string;
  owner: string;
  treatment: string;
  controls?: string | undefined;
  objectives?: string | undefined;
  exceptions?: string | undefined;
  residualTarget?: string | undefined;
  reviewDate?: string | undefined;
  now?: () => Date;
}

const optionName = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const integer = (value: string | undefined) => (value === undefined ? undefined : /^-?\d+$/.test(value.trim()) ? Number(value) : value);

export async function riskAddCommand(loaded: LoadedConfig, options: RiskAddOptions, io: Output): Promise<number> {
  const { config } = loaded;
  const now = (options.now ?? (() => new Date()))();
  return withStore(loaded, "write", async (store) => {
    const exceptions = await allExceptions(config, store);
    // The same rules as a risk written in config, so both registers hold the same shape.
    const parsed = z
      .array(riskConfigSchemaFor(CONFIG_VOCABULARY))
      .superRefine((risks, ctx) => checkRegisterConfig({ ...config, exceptions, risks }, ctx))
      .safeParse([
        {
          id: options.id,
          title: options.title,
          asset: options.asset,
          threat: options.threat,
          likelihood: integer(options.likelihood),
          impact: integer(options.impact),
          owner: options.owner,
          treatment: options.treatment,
          controls: listOption(options.controls),
          objectives: listOption(options.objectives),
          exceptions: listOption(options.exceptions),
          ...(options.residualTarget !== undefined ? { residualTarget: integer(options.residualTarget) } : {}),
          ...(options.reviewDate !== undefined ? { reviewDate: options.reviewDate } : {}),
        },
      ]);
    if (!parsed.success) {
      throw new UsageError(
        parsed.error.issues
          .map((issue) => {
            // Schema issues are at [0, field, item]; the cross-field rules speak of config paths, [risks, 0, field, item].
            const [, field, item] = issue.path[0] === "risks" ? issue.path.slice(1) : issue.path;
            return `${optionName(String(field ?? ""))}${item !== undefined ? ` (item ${Number(item) + 1})` : ""}: ${issue.message}`;
          })
          .join("; "),
      );
    }
    const r = parsed.data[0];
    if (!r) throw new UsageError("no risk was given");
    if ((await allRisks(config, store)).some((existing) => existing.id === r.id))
      throw new UsageError(`risk ${r.id} is already in the register; choose another id`);
    await recordRisk(
      store,
      { ...r, residualTarget: r.residualTarget ?? null, reviewDate: r.reviewDate ?? null, origin: "register", createdAt: now.toISOString() },
      now.toISOString(),
    );
    io.out(
      `Risk ${r.id} recorded: ${r.title} (likelihood ${r.likelihood} × impact ${r.impact} = ${r.likelihood * r.impact}), owner ${r.owner}, treatment ${r.treatment}${r.controls.length > 0 ? ` by ${r.controls.join(", ")}` : ""}. Its live status is judged from the next run.`,
    );
    return EXIT.ok;
  });
}

export async function riskListCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  const { config } = loaded;
  const where = storeFile(loaded);
  const now = new Date();
  const list = async (store: Parameters<typeof allRisks>[1]) => {
    const risks = await allRisks(config, store);
    const evidence = store ? await riskEvidence(config, store, now) : null;
    if (risks.length === 0) io.out("The risk register is empty.");
    for (const r of risks) {
      const status = evidence ? riskLiveStatus(r, evidence) : null;
      io.out(
        `${r.id} [${r.origin}] ${r.title} — ${r.asset}; threat: ${r.threat}; score ${r.likelihood * r.impact} (L${r.likelihood} × I${r.impact})${r.residualTarget !== null ? `, residual target ${r.residualTarget}` : ""}; owner ${r.owner}; ${r.treatment}. ${status ? `${status.status.replace(/_/g, " ")} (run ${evidence?.runId ?? ""}): ${status.reason}` : "No run yet: status not judged."}`,
      );
    }
    return EXIT.ok;
  };
  if (!where.exists) {
    io.out(`No evidence store at ${where.path} yet: listing the config's risks only.`);
    return list(null);
  }
  return withStore(loaded, "read", list);
}
