/**
 * `sources.github[]`: one GitHub organization. Read by collectors/github/.
 */
import { z } from "zod";
import { collectorSelection, httpUrl, maxResponseMiB, name, sourceSchedule, type ConfigVocabulary } from "../fields.js";

export const githubSourceSchema = z
  .object({
    name: name.describe("Your name for this source; it appears in every finding."),
    schedule: sourceSchedule,
    org: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, "expected a GitHub organization login")
      .describe("The organization to collect."),
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
    collectors: collectorSelection,
  })
  .strict()
  .superRefine((source, ctx) => {
    if (!source.token === !source.app) ctx.addIssue({ code: "custom", path: ["token"], message: "give exactly one of token or app" });
    if (source.app && !source.app.privateKey === !source.app.privateKeyPath) {
      ctx.addIssue({ code: "custom", path: ["app"], message: "give exactly one of privateKey or privateKeyPath" });
    }
  });

export function githubSource(_vocabulary: ConfigVocabulary) {
  return githubSourceSchema;
}
export type GithubSourceConfig = z.output<typeof githubSourceSchema>;
