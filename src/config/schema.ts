/**
 * The config file's one zod schema. It is also exported as JSON Schema
 * (config/isms-agent.schema.json) so editors can complete and check it.
 *
 * Contract: later versions add keys, never rename these.
 */
import { Cron } from "croner";
import { z } from "zod";
import { ANNEX_A } from "../../controls/annex-a.js";
import { CHECKS } from "../../controls/registry.js";
import { BUILT_IN_METRICS } from "../engine/objectives.js";

const CONTROL_IDS = new Set(ANNEX_A.map((c) => c.id));
const CHECK_IDS = new Set(CHECKS.map((c) => c.id));
export const METRIC_IDS = [...BUILT_IN_METRICS.map((m) => m.id), "check_pass_rate"] as const;

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "expected a name of letters, digits, '.', '_' or '-' (at most 63 characters)");

const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected an AWS region name such as eu-west-1");

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), "expected an http(s) URL such as https://iam.amazonaws.com");

/** A cron expression croner accepts (5 or 6 fields), checked by parsing it. */
export const cronExpression = z.string().superRefine((value, ctx) => {
  try {
    new Cron(value, { paused: true });
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected a cron expression such as "0 2 * * *" (${error instanceof Error ? error.message : String(error)})` });
  }
});

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "expected an IANA time zone such as Europe/Berlin or UTC");

export const scheduleSchema = z
  .object({
    cron: cronExpression.describe('When to run, e.g. "0 2 * * *" for 02:00 every day.'),
    timezone: timezone.optional().describe("Time zone of the cron expression; default: the top-level schedule's, else UTC."),
  })
  .strict();

const sourceSchedule = scheduleSchema
  .optional()
  .describe("This source's own schedule in the daemon; without it the source runs on the top-level schedule.");

/** The bound on one API answer, per source: a runaway or hostile endpoint fails its collector instead of filling memory. */
const maxResponseMiB = z
  .number()
  .positive()
  .max(4096)
  .default(64)
  .describe("Largest API answer (one response body) this source's collectors accept, in MiB; a larger one fails the collector with the call named.");

const awsAccountId = z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id (quote it in YAML)");

export const awsSourceSchema = z
  .object({
    name: name.describe("Your name for this source; it appears in every finding."),
    schedule: sourceSchedule,
    regions: z
      .union([z.literal("all"), z.array(awsRegion).min(1, "expected at least one region")], {
        error: 'expected "all" or a list of regions such as [eu-west-1]',
      })
      .describe('Regions to collect from, or "all" for every region enabled in each account. IAM is global and is collected once per account.'),
    globalRegion: awsRegion
      .default("us-east-1")
      .describe("Region for global services (IAM, STS, Organizations) and for listing regions: us-gov-west-1 in GovCloud, cn-north-1 in China."),
    profile: z.string().min(1).optional().describe("A named profile from ~/.aws/config; the SDK's default credential chain otherwise."),
    endpoint: httpUrl.optional().describe("Endpoint override for every AWS client of this source (GovCloud, VPC endpoints, tests)."),
    organization: z
      .object({
        roleName: z.string().min(1).describe("The read-only role in every member account, e.g. IsmsAgentReadOnly."),
        externalId: z.string().min(1).optional().describe("The role's external id; read it from the environment."),
      })
      .strict()
      .optional()
      .describe("Collect every ACTIVE account of the AWS Organization, assuming this role in each."),
    accounts: z
      .array(
        z
          .object({
            id: awsAccountId,
            roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN").optional(),
            externalId: z.string().min(1).optional(),
          })
          .strict(),
      )
      .min(1)
      .optional()
      .describe("An explicit list of accounts, each with the role to assume (none: use the source's own credentials)."),
    configRules: z
      .record(z.string().min(1), z.array(z.string().refine((id) => CONTROL_IDS.has(id), { message: "expected an Annex A 2022 control id such as A.8.24" })))
      .default({})
      .describe("Your own AWS Config rules, by name, mapped to the Annex A controls they support."),
    concurrency: z.number().int().min(1).max(64).default(4).describe("How many collectors of this source run at once."),
    maxResponseMiB,
  })
  .strict()
  .superRefine((source, ctx) => {
    if (source.organization && source.accounts) {
      ctx.addIssue({ code: "custom", path: ["accounts"], message: "give either organization or accounts, not both" });
    }
    source.accounts?.forEach((account, index) => {
      const arnAccount = account.roleArn ? /::(\d{12}):role\//.exec(account.roleArn)?.[1] : undefined;
      if (arnAccount && arnAccount !== account.id) {
        ctx.addIssue({ code: "custom", path: ["accounts", index, "roleArn"], message: `the role ARN is in account ${arnAccount}, not ${account.id}` });
      }
    });
  });

const uuid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "expected a GUID such as 00000000-0000-0000-0000-000000000000");
const httpsUrl = z.string().refine((v) => /^https:\/\/[^\s/]+/.test(v) && URL.canParse(v), "expected an https URL");

export const azureCredentialSchema = z
  .union(
    [
      z.literal("default"),
      z.object({ type: z.literal("client-secret"), clientId: uuid, clientSecret: z.string().min(1) }).strict(),
      z.object({ type: z.literal("certificate"), clientId: uuid, certificatePath: z.string().min(1) }).strict(),
      // Entra issues a token for one audience: ARM and Microsoft Graph each need their own.
      z
        .object({
          type: z.literal("access-token"),
          armToken: z.string().min(1).optional().describe("A token for Azure Resource Manager, e.g. `az account get-access-token --resource https://management.azure.com`."),
          graphToken: z
            .string()
            .min(1)
            .optional()
            .describe("A token for Microsoft Graph, e.g. `az account get-access-token --resource-type ms-graph`; without it Entra ID evidence is not collected (its checks report error)."),
          token: z.string().min(1).optional().describe("Deprecated alias of armToken. It is also tried on Microsoft Graph, which refuses a token issued for ARM: give graphToken."),
        })
        .strict(),
    ],
    { error: 'expected "default", or { type: client-secret | certificate | access-token, ... }' },
  )
  .default("default");

export const azureSourceSchema = z
  .object({
    name: name.describe("Your name for this source; it appears in every finding."),
    schedule: sourceSchedule,
    tenantId: uuid.describe("The Microsoft Entra tenant."),
    subscriptions: z
      .union([z.literal("all"), z.array(uuid).min(1)], { error: 'expected "all" or a list of subscription ids' })
      .default("all")
      .describe('Subscriptions to collect, or "all" that the identity can read.'),
    credential: azureCredentialSchema.describe("DefaultAzureCredential, a service principal, or a pre-obtained token; secrets from ${ENV} only."),
    endpoint: httpsUrl.default("https://management.azure.com").describe("Azure Resource Manager endpoint (sovereign clouds: https://management.usgovcloudapi.net, ...)."),
    graphEndpoint: httpsUrl.default("https://graph.microsoft.com").describe("Microsoft Graph endpoint for Entra ID evidence."),
    authorityHost: httpsUrl.default("https://login.microsoftonline.com").describe("Entra ID authority host."),
    caFile: z.string().min(1).optional().describe("Extra CA certificates (PEM) to trust for these endpoints, e.g. a TLS-inspecting proxy's."),
    concurrency: z.number().int().min(1).max(64).default(4).describe("How many collectors of this source run at once (one per subscription, plus Entra ID); each subscription reads up to 3 lists at a time."),
    maxResponseMiB,
  })
  .strict()
  .superRefine((source, ctx) => {
    const credential = source.credential;
    if (credential === "default" || credential.type !== "access-token") return;
    if (credential.token && credential.armToken) ctx.addIssue({ code: "custom", path: ["credential", "token"], message: "give armToken or its deprecated alias token, not both" });
    if (!credential.token && !credential.armToken) ctx.addIssue({ code: "custom", path: ["credential", "armToken"], message: "an access-token credential needs armToken, a token for Azure Resource Manager" });
  });

export const githubSourceSchema = z
  .object({
    name: name.describe("Your name for this source; it appears in every finding."),
    schedule: sourceSchedule,
    org: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, "expected a GitHub organization login").describe("The organization to collect."),
    baseUrl: httpUrl.default("https://api.github.com").describe("API root; GitHub Enterprise Server: https://HOST/api/v3."),
    token: z.string().min(1).optional().describe("A token from the environment: ${GITHUB_TOKEN}."),
    app: z
      .object({
        appId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
        installationId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]),
        privateKey: z.string().min(1).optional().describe("The PEM itself, from the environment."),
        privateKeyPath: z.string().min(1).optional(),
      })
      .strict()
      .optional()
      .describe("Authenticate as a GitHub App installation instead of a token."),
    maxRateLimitWaitSeconds: z.number().int().min(0).max(3600).default(900).describe("Longest the collector waits out a rate limit before it fails."),
    concurrency: z.number().int().min(1).max(32).default(4).describe("How many repositories are read at once."),
    maxResponseMiB,
  })
  .strict()
  .superRefine((source, ctx) => {
    if (!source.token === !source.app) ctx.addIssue({ code: "custom", path: ["token"], message: "give exactly one of token or app" });
    if (source.app && !source.app.privateKey === !source.app.privateKeyPath) {
      ctx.addIssue({ code: "custom", path: ["app"], message: "give exactly one of privateKey or privateKeyPath" });
    }
  });

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  // Only judged when the shape is right, so a bad date gets one message, not two.
  .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isCalendarDay(v), "expected a real calendar date");

function isCalendarDay(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

export const objectiveSchema = z
  .object({
    id: name.describe("Stable id; measurements are stored under it."),
    title: z.string().min(1),
    metric: z.enum(METRIC_IDS).describe("A built-in metric, or check_pass_rate with `checks`."),
    checks: z
      .array(z.string().refine((id) => CHECK_IDS.has(id), { message: "expected the id of a known check (see `isms-agent controls`)" }))
      .min(1)
      .optional()
      .describe("For metric check_pass_rate: the % of findings passing across these checks."),
    target: z.number().min(0).max(100).describe("Target, in percent."),
    baseline: z.number().min(0).max(100).optional().describe("Where the metric stood when the objective was set, in percent."),
    deadline: isoDay,
    owner: z.string().min(1),
    controls: z
      .array(z.string().refine((id) => CONTROL_IDS.has(id), { message: "expected an Annex A 2022 control id such as A.8.5" }))
      .default([]),
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

const severity = z.enum(["low", "medium", "high", "critical"]);
export const ALERT_EVENTS = ["regression", "resolved", "objective", "control", "collector_failure", "stale_evidence"] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

const channelCommon = {
  name: name.describe("Your name for the channel; deliveries are recorded under it."),
  events: z
    .array(z.enum(ALERT_EVENTS))
    .min(1)
    .default(["regression", "objective", "collector_failure", "stale_evidence"])
    .describe("Which kinds of change to send: regression (a finding started failing or an exception expired), resolved, objective, control, collector_failure, stale_evidence."),
  minSeverity: severity.default("low").describe("Send only alerts of this severity or above."),
};

export const alertChannelSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("webhook"),
      ...channelCommon,
      url: httpUrl.describe("Receives a JSON POST per batch of alerts."),
      secret: z.string().min(16, "expected a shared secret of at least 16 characters; read it from the environment").describe("HMAC-SHA256 key; the signature is sent as X-Isms-Signature: sha256=<hex>."),
    })
    .strict(),
  z.object({ type: z.literal("slack"), ...channelCommon, webhookUrl: httpUrl.describe("A Slack incoming-webhook URL; read it from the environment.") }).strict(),
  z.object({ type: z.literal("teams"), ...channelCommon, webhookUrl: httpUrl.describe("A Microsoft Teams incoming-webhook (Workflows) URL; read it from the environment.") }).strict(),
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

export const exceptionSchema = z
  .object({
    id: name.describe("Stable id of the exception, e.g. EXC-2026-004."),
    check: z.string().refine((id) => CHECK_IDS.has(id), { message: "expected the id of a known check (see `isms-agent controls`)" }),
    resource: z.string().min(1).optional().describe("The resource id it covers; * matches any characters (e.g. */erin.contractor). Without it, every resource of the check."),
    source: name.optional(),
    account: z.string().min(1).optional(),
    reason: z.string().min(1),
    owner: z.string().min(1),
    approvedBy: z.string().min(1),
    expires: isoDay.describe("Last day the risk acceptance holds; after it the finding fails again and an alert is raised."),
  })
  .strict();

/** `checks.<check id>`: each check's own settings schema, with its defaults. */
const checkSettingsSchema = z
  .object(Object.fromEntries(CHECKS.map((check) => [check.id, check.settings.prefault({})])))
  .strict()
  .prefault({})
  .describe("Thresholds per check, e.g. aws.iam.access-key-rotation: { maxAgeDays: 90 }.");

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    organization: z.string().min(1).describe("Your organisation's name, as reports should show it."),
    database: z.string().min(1).default("./data/evidence.db").describe("The SQLite evidence store."),
    databaseBusyTimeoutSeconds: z.number().min(0).max(600).default(5).describe("How long a write waits while another process holds the database's write lock."),
    output: z.string().min(1).default("./out").describe("Where run reports are written."),
    // SQLite holds at most 1e9 bytes in one value, so the limit stays below it.
    manualEvidenceMaxMiB: z.number().positive().max(900).default(100).describe("Largest file `isms-agent evidence add` stores, in MiB."),
    sources: z
      .object({
        aws: z.array(awsSourceSchema).default([]),
        azure: z.array(azureSourceSchema).default([]),
        github: z.array(githubSourceSchema).default([]),
      })
      .strict()
      .prefault({}),
    checks: checkSettingsSchema,
    objectives: z.array(objectiveSchema).default([]),
    schedule: scheduleSchema.optional().describe("When `isms-agent daemon` runs every source without a schedule of its own."),
    daemon: z
      .object({
        host: z.string().min(1).default("127.0.0.1").describe("Address of /healthz and /metrics; loopback only unless you say otherwise."),
        port: z.number().int().min(0).max(65535).default(9464),
        staleAfterHours: z.number().positive().optional().describe("/healthz fails when the last successful run is older; default twice the schedule interval."),
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
        maxAgeHours: z.number().positive().optional().describe("Evidence older than this makes its control stale; default twice the schedule interval (48 h without a schedule)."),
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
                control: z.string().refine((id) => CONTROL_IDS.has(id), { message: "expected an Annex A 2022 control id such as A.7.1" }),
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
                inclusion: z.string().trim().min(1, "write the justification, or leave the field out").optional().describe("Why the control is necessary (clause 6.1.3 d): the risks it treats, a legal or contractual requirement."),
                implementation: z
                  .enum(["implemented", "partially_implemented", "planned", "not_implemented"])
                  .optional()
                  .describe("Whether the control is implemented, as the ISMS owner states it. Left out: \"not stated\" (evidence alone does not say a control is implemented)."),
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
        days: z.number().int().min(1).describe("Evidence, findings and collector outcomes of runs older than this are deleted after each run; run headers, hashes, control results and objective measurements stay, and the chain still verifies."),
      })
      .strict()
      .optional(),
    runner: z
      .object({
        collectorTimeoutSeconds: z.number().int().min(1).max(86_400).default(600).describe("A collector still running after this is stopped and recorded as failed."),
        concurrency: z.number().int().min(1).max(64).default(4).describe("How many collectors run at once across all sources."),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, string>();
    for (const kind of ["aws", "azure", "github"] as const) {
      config.sources[kind].forEach((source, index) => {
        const first = seen.get(source.name);
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path: ["sources", kind, index, "name"], message: `duplicate source name "${source.name}" (also ${first})` });
        } else seen.set(source.name, `sources.${kind}[${index}]`);
      });
    }
    const channels = new Set<string>();
    config.alerts.channels.forEach((channel, index) => {
      if (channels.has(channel.name)) ctx.addIssue({ code: "custom", path: ["alerts", "channels", index, "name"], message: `duplicate channel name "${channel.name}"` });
      channels.add(channel.name);
    });
    const exceptionIds = new Set<string>();
    config.exceptions.forEach((exception, index) => {
      if (exceptionIds.has(exception.id)) ctx.addIssue({ code: "custom", path: ["exceptions", index, "id"], message: `duplicate exception id "${exception.id}"` });
      exceptionIds.add(exception.id);
    });
    const excluded = new Set<string>();
    config.statementOfApplicability.excluded.forEach((entry, index) => {
      if (excluded.has(entry.control)) ctx.addIssue({ code: "custom", path: ["statementOfApplicability", "excluded", index, "control"], message: `${entry.control} is excluded twice` });
      excluded.add(entry.control);
    });
    for (const control of Object.keys(config.statementOfApplicability.controls)) {
      if (!CONTROL_IDS.has(control)) {
        ctx.addIssue({ code: "custom", path: ["statementOfApplicability", "controls", control], message: "expected an Annex A 2022 control id such as A.8.5" });
      } else if (excluded.has(control)) {
        ctx.addIssue({ code: "custom", path: ["statementOfApplicability", "controls", control], message: `${control} is excluded, so it has no justification for inclusion or implementation status; remove one of the two entries` });
      }
    }
    for (const checkId of Object.keys(config.freshness.checks)) {
      if (!CHECK_IDS.has(checkId)) ctx.addIssue({ code: "custom", path: ["freshness", "checks", checkId], message: "expected the id of a known check (see `isms-agent controls`)" });
    }
    const ids = new Set<string>();
    config.objectives.forEach((objective, index) => {
      if (ids.has(objective.id)) ctx.addIssue({ code: "custom", path: ["objectives", index, "id"], message: `duplicate objective id "${objective.id}"` });
      ids.add(objective.id);
    });
  });

export type Config = z.output<typeof configSchema>;
export type AwsSourceConfig = z.output<typeof awsSourceSchema>;
export type AzureSourceConfig = z.output<typeof azureSourceSchema>;
export type GithubSourceConfig = z.output<typeof githubSourceSchema>;
export type ObjectiveConfig = z.output<typeof objectiveSchema>;

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
}
