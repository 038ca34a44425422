/**
 * Config of the registers that close the PDCA loop: the risk register and its scale, the
 * nonconformity SLAs per severity, and what proves a corrective action effective. Cross-field
 * rules (a likelihood above the scale, an objective that does not exist) are checked by
 * `checkRegisterConfig`, each naming its field.
 */
import { z } from "zod";
import { RISK_TREATMENTS } from "../registers.js";
import { controlId, name, type ConfigVocabulary } from "./fields.js";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "expected a real calendar date");

export const riskScaleSchema = z
  .object({
    likelihood: z.number().int().min(2).max(10).default(5).describe("Likelihood is rated 1 to this."),
    impact: z.number().int().min(2).max(10).default(5).describe("Impact is rated 1 to this."),
  })
  .strict()
  .prefault({})
  .describe("The risk assessment's scale (clause 6.1.2): a risk's score is likelihood × impact.");

export function riskConfigSchemaFor(vocabulary: ConfigVocabulary) {
  return z
    .object({
      id: name.describe("Stable id of the risk, e.g. R-3."),
      title: z.string().min(1),
      asset: z.string().min(1).describe("The asset or scope at risk."),
      threat: z.string().min(1),
      likelihood: z.number().int().min(1),
      impact: z.number().int().min(1),
      owner: z.string().min(1).describe("The risk owner (clause 6.1.2 c 2)."),
      treatment: z.enum(RISK_TREATMENTS).describe("treat (with controls), accept (with exceptions), transfer or avoid."),
      controls: z.array(controlId(vocabulary, "A.8.5")).default([]).describe("The Annex A controls that treat it; their results make its live status."),
      objectives: z.array(name).default([]).describe("Objectives (by id) that measure the treatment."),
      exceptions: z.array(name).default([]).describe("For treatment accept: the exceptions the acceptance rests on."),
      residualTarget: z.number().int().min(1).optional().describe("The residual score (likelihood × impact) the treatment aims for."),
      reviewDate: day.optional(),
    })
    .strict();
}
export type RiskConfig = z.output<ReturnType<typeof riskConfigSchemaFor>>;

export const nonconformityPolicySchema = z
  .object({
    slaDays: z
      .object({
        critical: z.number().positive().default(3),
        high: z.number().positive().default(14),
        medium: z.number().positive().default(30),
        low: z.number().positive().default(90),
      })
      .strict()
      .prefault({})
      .describe("Days a check of each severity may fail before a nonconformity opens."),
    staleEvidenceDays: z.number().min(0).default(7).describe("Days a control's evidence may stay stale before a nonconformity opens."),
    dueDays: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe("A nonconformity the agent opens is due this many days later, unless `nc update --due` says otherwise."),
    effectiveness: z
      .object({
        runs: z.number().int().min(1).default(3).describe("Consecutive passing runs that prove a corrective action effective ..."),
        days: z.number().min(0).default(14).describe("... spanning at least this many days."),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})
  .describe("When nonconformities open by themselves (clause 10.2), and what closes them.");

interface RegisterConfigView {
  riskScale: { likelihood: number; impact: number };
  risks: readonly RiskConfig[];
  objectives: readonly { id: string }[];
  exceptions: readonly { id: string }[];
}

/** The rules across fields, each issue naming its field. */
export function checkRegisterConfig(config: RegisterConfigView, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  const objectives = new Set(config.objectives.map((o) => o.id));
  const exceptions = new Set(config.exceptions.map((e) => e.id));
  config.risks.forEach((risk, index) => {
    const at = (...path: (string | number)[]) => ["risks", index, ...path];
    if (ids.has(risk.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate risk id "${risk.id}"` });
    ids.add(risk.id);
    for (const axis of ["likelihood", "impact"] as const) {
      if (risk[axis] > config.riskScale[axis])
        ctx.addIssue({ code: "custom", path: at(axis), message: `expected 1 to ${config.riskScale[axis]} (riskScale.${axis}); got ${risk[axis]}` });
    }
    if (risk.residualTarget !== undefined && risk.residualTarget > config.riskScale.likelihood * config.riskScale.impact)
      ctx.addIssue({
        code: "custom",
        path: at("residualTarget"),
        message: `expected at most ${config.riskScale.likelihood * config.riskScale.impact}, the highest score on the scale`,
      });
    risk.objectives.forEach((o, i) => {
      if (!objectives.has(o))
        ctx.addIssue({ code: "custom", path: at("objectives", i), message: `expected the id of an objective in \`objectives\`; there is no "${o}"` });
    });
    if (risk.treatment === "accept") {
      risk.exceptions.forEach((e, i) => {
        if (!exceptions.has(e))
          ctx.addIssue({ code: "custom", path: at("exceptions", i), message: `expected the id of an exception in \`exceptions\`; there is no "${e}"` });
      });
    } else if (risk.exceptions.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: at("exceptions"),
        message: `only a risk with treatment accept rests on exceptions; this one is "${risk.treatment}"`,
      });
    }
    if ((risk.treatment === "treat" || risk.treatment === "transfer") && risk.controls.length === 0 && risk.objectives.length === 0)
      ctx.addIssue({
        code: "custom",
        path: at("controls"),
        message: `a risk treated by "${risk.treatment}" needs the controls or objectives that treat it, or its status can never be judged`,
      });
  });
}
