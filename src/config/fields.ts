/**
 * The config's building blocks, shared by the top-level schema and each source's fragment
 * (src/config/sources/). Nothing here knows which checks or controls exist: those arrive as a
 * ConfigVocabulary from whoever assembles the schema (app/config.ts, from the registry).
 */
import { Cron } from "croner";
import { z } from "zod";

/** What the config may name: the catalog's control ids, the checks' ids and each check's settings schema. */
export interface ConfigVocabulary {
  controlIds: ReadonlySet<string>;
  checkIds: ReadonlySet<string>;
  /** `checks.<check id>`: the check's own settings schema, with its defaults. */
  checkSettings: Readonly<Record<string, z.ZodType>>;
}

/** A control id of the vocabulary's catalog; `example` goes into the message. */
export function controlId(vocabulary: ConfigVocabulary, example: string) {
  return z.string().refine((id) => vocabulary.controlIds.has(id), { message: `expected an Annex A 2022 control id such as ${example}` });
}

/** The id of a check the vocabulary knows. */
export function checkId(vocabulary: ConfigVocabulary) {
  return z.string().refine((id) => vocabulary.checkIds.has(id), { message: "expected the id of a known check (see `isms-agent controls`)" });
}

export const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "expected a name of letters, digits, '.', '_' or '-' (at most 63 characters)");

export const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "expected an AWS region name such as eu-west-1");

export const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), "expected an http(s) URL such as https://iam.amazonaws.com");

/** A cron expression croner accepts (5 or 6 fields), checked by parsing it. */
export const cronExpression = z.string().superRefine((value, ctx) => {
  try {
    new Cron(value, { paused: true });
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `expected a cron expression such as "0 2 * * *" (${error instanceof Error ? error.message : String(error)})` });
  }
});

export const timezone = z.string().refine((tz) => {
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

export const sourceSchedule = scheduleSchema
  .optional()
  .describe("This source's own schedule in the daemon; without it the source runs on the top-level schedule.");

/** The bound on one API answer, per source: a runaway or hostile endpoint fails its collector instead of filling memory. */
export const maxResponseMiB = z
  .number()
  .positive()
  .max(4096)
  .default(64)
  .describe("Largest API answer (one response body) this source's collectors accept, in MiB; a larger one fails the collector with the call named.");

/** The bound on a source's API requests in flight, shared by all of its collectors (collectors/request-limit.ts). */
export const requestConcurrency = z
  .number()
  .int()
  .min(1)
  .max(64)
  .default(8)
  .describe("How many API requests of this source are in flight at once, across all of its collectors; the others wait their turn.");

/**
 * Which of the source type's collectors a run of this source uses (default: all). Names are
 * checked against the source type's collectors when the run is planned (the config knows no
 * collector), e.g. `[aws.iam]` for an IAM-only run.
 */
export const collectorSelection = z
  .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9.-]+$/, "expected a collector name such as aws.iam"))
  .min(1, "expected at least one collector; leave the field out to use every collector")
  .refine((names) => new Set(names).size === names.length, "expected each collector once")
  .optional()
  .describe("The collectors this source runs, by name (e.g. [aws.iam]); all of the source type's collectors when left out.");

/**
 * The report formats a run can write, by the names `reports.formats` and `report --format` take.
 * Spelled here because the config knows no renderer; reports/write.ts maps each to its file.
 */
export const REPORT_FORMAT_NAMES = ["json", "md", "html", "csv", "soa", "oscal", "ocsf"] as const;
export type ReportFormatName = (typeof REPORT_FORMAT_NAMES)[number];

export const reportsSchema = z
  .object({
    formats: z
      .array(z.enum(REPORT_FORMAT_NAMES))
      .default([...REPORT_FORMAT_NAMES])
      .refine((formats) => new Set(formats).size === formats.length, "expected each format at most once")
      .describe(
        "Which reports `run` and the daemon write after each run: json (report.json), md (report.md), html (report.html), csv (findings.csv), soa (soa.csv), oscal (assessment-results.oscal.json), ocsf (findings.ocsf.json). Default all seven; [] writes none (`isms-agent report` still writes any later).",
      ),
  })
  .strict()
  .prefault({});
