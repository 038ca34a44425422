/**
 * The config file's one zod schema, assembled from the source fragments (src/config/sources/) and
 * a vocabulary of the checks and controls that exist, which app/config.ts gives from the registry:
 * the core knows the config's shape, never the plugins. Exported as JSON Schema
 * (config/isms-agent.schema.json) so editors can complete and check it.
 *
 * Contract: later versions add keys, never rename these.
 */
import { z } from "zod";
import { SOURCE_TYPES, type SourceType } from "../domain.js";
import { BUILT_IN_METRICS } from "../engine/objectives.js";
import { checkId, controlId, httpUrl, name, reportsSchema, scheduleSchema, type ConfigVocabulary } from "./fields.js";
import { SOURCE_CONFIG_FRAGMENTS, type SourceConfigOf } from "./sources/index.js";
import { checkRegisterConfig, nonconformityPolicySchema, riskConfigSchemaFor, riskScaleSchema } from "./registers.js";

export { cronExpression, scheduleSchema, type ConfigVocabulary } from "./fields.js";
export { awsSourceSchema, type AwsSourceConfig } from "./sources/aws.js";
export { azureCredentialSchema, azureSourceSchema, type AzureSourceConfig } from "./sources/azure.js";
export { githubSourceSchema, type GithubSourceConfig } from "./sources/github.js";
export type { SourceConfigOf } from "./sources/index.js";

export const METRIC_IDS = [...BUILT_IN_METRICS.map((m) => m.id), "check_pass_rate"] as const;

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  // Only judged when the shape is right, so a bad date gets one message, not two.
  .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isCalendarDay(v), "expected a real calendar date");

function isCalendarDay(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

export function objectiveSchemaFor(vocabulary: ConfigVocabulary) {
  return z
    .object({
      id: name.describe("Stable id; measurements are stored under it."),
      title: z.string().min(1),
      metric: z.enum(METRIC_IDS).describe("A built-in metric, or check_pass_rate with `checks`."),
      checks: z.array(checkId(vocabulary)).min(1).optional().describe("For metric check_pass_rate: the % of findings passing across these checks."),
      target: z.number().min(0).max(100).describe("Target, in percent."),
      baseline: z.number().min(0).max(100).optional().describe("Where the metric stood when the objective was set, in percent."),
      deadline: isoDay,
      owner: z.string().min(1),
      controls: z.array(controlId(vocabulary, "A.8.5")).default([]),
    })
    .strict()
    .superRefine((objective, ctx) => {
      if (objective.metric === "check_pass_rate" && !objective.checks) {
        ctx.addIssue({ code: "custom", path: ["checks"], message: "metric check_pass_rate needs a list of check ids" });
      }
      if (objective.metric !== "check_pass_rate" && objective.checks) {
        ctx.addIssue({ code: "custom", path: ["checks"], message: `metric ${objective.metric} is built in; \`checks\` is only for check_pass_rate` });
      }
    });
}

const severity = z.enum(["low", "medium", "high", "critical"]);
export const ALERT_EVENTS = ["regression", "resolved", "objective", "control", "collector_failure", "stale_evidence", "nonconformity"] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

const channelCommon = {
  name: name.describe("Your name for the channel; deliveries are recorded under it."),
  events: z
    .array(z.enum(ALERT_EVENTS))
    .min(1)
    .default(["regression", "objective", "collector_failure", "stale_evidence", "nonconformity"])
    .describe(
      "Which kinds of change to send: regression (a finding started failing or an exception expired), resolved, objective, control, collector_failure, stale_evidence, nonconformity (one opened, an action overdue, a recurrence).",
    ),
  minSeverity: severity.default("low").describe("Send only alerts of this severity or above."),
};

export const alertChannelSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("webhook"),
      ...channelCommon,
      url: httpUrl.describe("Receives a JSON POST per batch of alerts."),
      secret: z
        .string()
        .min(16, "expected a shared secret of at least 16 characters; read it from the environment")
        .describe("HMAC-SHA256 key; the signature is sent as X-Isms-Signature: sha256=<hex>."),
    })
    .strict(),
  z
    .object({ type: z.literal("slack"), ...channelCommon, webhookUrl: httpUrl.describe("A Slack incoming-webhook URL; read it from the environment.") })
    .strict(),
  z
    .object({
      type: z.literal("teams"),
      ...channelCommon,
      webhookUrl: httpUrl.describe("A Microsoft Teams incoming-webhook (Workflows) URL; read it from the environment."),
    })
    .strict(),
  z
    .object({
      type: z.literal("email"),
      ...channelCommon,
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      starttls: z.boolean().default(true).describe("Require STARTTLS before sending (port 587). false only for a trusted local relay."),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      caFile: z.string().min(1).optional().describe("A PEM file of extra CA certificates to trust for the SMTP server."),
      from: z.email(),
      to: z.array(z.email()).min(1),
    })
    .strict(),
]);
export type AlertChannelConfig = z.output<typeof alertChannelSchema>;

export function exceptionSchemaFor(vocabulary: ConfigVocabulary) {
  return z
    .object({
      id: name.describe("Stable id of the exception, e.g. EXC-2026-004."),
      check: checkId(vocabulary),
      resource: z
        .string()
        .min(1)
        .optional()
        .describe("The resource id it covers; * matches any characters (e.g. */erin.contractor). Without it, every resource of the check."),
      source: name.optional(),
      account: z.string().min(1).optional(),
      reason: z.string().min(1),
      owner: z.string().min(1),
      approvedBy: z.string().min(1),
      expires: isoDay.describe("Last day the risk acceptance holds; after it the finding fails again and an alert is raised."),
    })
    .strict();
}

/** `checks.<check id>`: each check's own settings schema, with its defaults. */
function checkSettingsSchema(vocabulary: ConfigVocabulary) {
  return z
    .object(Object.fromEntries(Object.entries(vocabulary.checkSettings).map(([id, settings]) => [id, settings.prefault({})])))
    .strict()
    .prefault({})
    .describe("Thresholds per check, e.g. aws.iam.access-key-rotation: { maxAgeDays: 90 }.");
}

type SourcesShape = { [K in SourceType]: z.ZodDefault<z.ZodArray<ReturnType<(typeof SOURCE_CONFIG_FRAGMENTS)[K]>>> };

/** `sources`: a list per source type, each of its fragment. */
function sourcesSchema(vocabulary: ConfigVocabulary) {
  const shape = Object.fromEntries(SOURCE_TYPES.map((type) => [type, z.array(SOURCE_CONFIG_FRAGMENTS[type](vocabulary)).default([])])) as SourcesShape;
  return z.object(shape).strict().prefault({});
}

/** The whole config schema for a vocabulary (app/config.ts builds it from the registry). */
export function configSchemaFor(vocabulary: ConfigVocabulary) {
  const exceptionSchema = exceptionSchemaFor(vocabulary);
  return z
    .object({
      $schema: z.string().optional(),
      organization: z.string().min(1).describe("Your organisation's name, as reports should show it."),
      database: z.string().min(1).default("./data/evidence.db").describe("The SQLite evidence store."),
      databaseBusyTimeoutSeconds: z
        .number()
        .min(0)
        .max(600)
        .default(5)
        .describe("How long a write waits while another process holds the database's write lock."),
      output: z.string().min(1).default("./out").describe("Where run reports are written."),
      reports: reportsSchema.describe("Which report formats each run writes into `output`."),
      // SQLite holds at most 1e9 bytes in one value, so the limit stays below it.
      manualEvidenceMaxMiB: z.number().positive().max(900).default(100).describe("Largest file `isms-agent evidence add` stores, in MiB."),
      sources: sourcesSchema(vocabulary),
      checks: checkSettingsSchema(vocabulary),
      objectives: z.array(objectiveSchemaFor(vocabulary)).default([]),
      schedule: scheduleSchema.optional().describe("When `isms-agent daemon` runs every source without a schedule of its own."),
      daemon: z
        .object({
          host: z.string().min(1).default("127.0.0.1").describe("Address of /healthz and /metrics; loopback only unless you say otherwise."),
          port: z.number().int().min(0).max(65535).default(9464),
          staleAfterHours: z
            .number()
            .positive()
            .optional()
            .describe("/healthz fails when the last successful run is older; default twice the schedule interval."),
        })
        .strict()
        .prefault({}),
      alerts: z
        .object({
          channels: z.array(alertChannelSchema).default([]),
          reminderHours: z.number().positive().default(24).describe("A condition that stays open is sent again after this long."),
          flapping: z
            .object({
              changes: z.number().int().min(2).default(3).describe("This many opens/closes of one thing ..."),
              withinHours: z.number().positive().default(72).describe("... within this window make it flapping: one summary instead of each change."),
            })
            .strict()
            .prefault({}),
          retries: z.number().int().min(0).max(10).default(3).describe("Delivery attempts after the first, with exponential backoff."),
          backoffMs: z.number().int().min(1).default(2000),
        })
        .strict()
        .prefault({}),
      exceptions: z.array(exceptionSchema).default([]).describe("The exceptions register (accepted risks); more can be added with `isms-agent exception add`."),
      freshness: z
        .object({
          maxAgeHours: z
            .number()
            .positive()
            .optional()
            .describe("Evidence older than this makes its control stale; default twice the schedule interval (48 h without a schedule)."),
          checks: z.record(z.string(), z.number().positive()).default({}).describe("Per-check maximum evidence age in hours."),
        })
        .strict()
        .prefault({}),
      statementOfApplicability: z
        .object({
          excluded: z
            .array(
              z
                .object({
                  control: controlId(vocabulary, "A.7.1"),
                  justification: z.string().trim().min(1, "a control may only be excluded with a written justification"),
                })
                .strict(),
            )
            .default([]),
          controls: z
            .record(
              z.string(),
              z
                .object({
                  inclusion: z
                    .string()
                    .trim()
                    .min(1, "write the justification, or leave the field out")
                    .optional()
                    .describe("Why the control is necessary (clause 6.1.3 d): the risks it treats, a legal or contractual requirement."),
                  implementation: z
                    .enum(["implemented", "partially_implemented", "planned", "not_implemented"])
                    .optional()
                    .describe(
                      'Whether the control is implemented, as the ISMS owner states it. Left out: "not stated" (evidence alone does not say a control is implemented).',
                    ),
                })
                .strict(),
            )
            .default({})
            .describe("Per applicable control: the justification for inclusion and the implementation status the Statement of Applicability records."),
        })
        .strict()
        .prefault({}),
      retention: z
        .object({
          days: z
            .number()
            .int()
            .min(1)
            .describe(
              "Evidence, findings and collector outcomes of runs older than this are deleted after each run; run headers, hashes, control results and objective measurements stay, and the chain still verifies.",
            ),
        })
        .strict()
        .optional(),
      riskScale: riskScaleSchema,
      risks: z.array(riskConfigSchemaFor(vocabulary)).default([]).describe("The risk register (clause 6.1.2); more can be added with `isms-agent risk add`."),
      nonconformities: nonconformityPolicySchema,
      runner: z
        .object({
          collectorTimeoutSeconds: z
            .number()
            .int()
            .min(1)
            .max(86_400)
            .default(600)
            .describe("A collector still running after this is stopped and recorded as failed."),
          concurrency: z.number().int().min(1).max(64).default(4).describe("How many collectors run at once across all sources."),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .superRefine((config, ctx) => {
      const seen = new Map<string, string>();
      for (const kind of SOURCE_TYPES) {
        config.sources[kind].forEach((source: { name: string }, index: number) => {
          const first = seen.get(source.name);
          if (first !== undefined) {
            ctx.addIssue({ code: "custom", path: ["sources", kind, index, "name"], message: `duplicate source name "${source.name}" (also ${first})` });
          } else seen.set(source.name, `sources.${kind}[${index}]`);
        });
      }
      const channels = new Set<string>();
      config.alerts.channels.forEach((channel, index) => {
        if (channels.has(channel.name))
          ctx.addIssue({ code: "custom", path: ["alerts", "channels", index, "name"], message: `duplicate channel name "${channel.name}"` });
        channels.add(channel.name);
      });
      const exceptionIds = new Set<string>();
      config.exceptions.forEach((exception, index) => {
        if (exceptionIds.has(exception.id))
          ctx.addIssue({ code: "custom", path: ["exceptions", index, "id"], message: `duplicate exception id "${exception.id}"` });
        exceptionIds.add(exception.id);
      });
      const excluded = new Set<string>();
      config.statementOfApplicability.excluded.forEach((entry, index) => {
        if (excluded.has(entry.control))
          ctx.addIssue({ code: "custom", path: ["statementOfApplicability", "excluded", index, "control"], message: `${entry.control} is excluded twice` });
        excluded.add(entry.control);
      });
      for (const control of Object.keys(config.statementOfApplicability.controls)) {
        if (!vocabulary.controlIds.has(control)) {
          ctx.addIssue({
            code: "custom",
            path: ["statementOfApplicability", "controls", control],
            message: "expected an Annex A 2022 control id such as A.8.5",
          });
        } else if (excluded.has(control)) {
          ctx.addIssue({
            code: "custom",
            path: ["statementOfApplicability", "controls", control],
            message: `${control} is excluded, so it has no justification for inclusion or implementation status; remove one of the two entries`,
          });
        }
      }
      for (const id of Object.keys(config.freshness.checks)) {
        if (!vocabulary.checkIds.has(id))
          ctx.addIssue({ code: "custom", path: ["freshness", "checks", id], message: "expected the id of a known check (see `isms-agent controls`)" });
      }
      const ids = new Set<string>();
      config.objectives.forEach((objective, index) => {
        if (ids.has(objective.id)) ctx.addIssue({ code: "custom", path: ["objectives", index, "id"], message: `duplicate objective id "${objective.id}"` });
        ids.add(objective.id);
      });
      checkRegisterConfig(config, ctx);
    });
}

export type ConfigSchema = ReturnType<typeof configSchemaFor>;
export type Config = z.output<ConfigSchema>;
export type ObjectiveConfig = z.output<ReturnType<typeof objectiveSchemaFor>>;

/** The configured sources of every type, each with its type. */
export function configuredSources(
  config: Config,
): { type: SourceType; name: string; schedule?: { cron: string; timezone?: string | undefined } | undefined }[] {
  return SOURCE_TYPES.flatMap((type) =>
    (config.sources[type] as readonly SourceConfigOf<typeof type>[]).map((source) => ({ type, name: source.name, schedule: source.schedule })),
  );
}

/** Every configured source's name, sorted: a run's default scope. */
export function allSourceNames(config: Config): string[] {
  return configuredSources(config)
    .map((s) => s.name)
    .sort();
}

export function configJsonSchema(schema: ConfigSchema): unknown {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}
