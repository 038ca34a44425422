/**
 * The GitHub source as the app registers it (loaded only when a GitHub source is configured): one
 * job per organization.
 */
import type { CollectorJob, SourcePlugin } from "../src/collect.js";
import type { GithubSourceConfig } from "../src/config/schema.js";
import { githubOrgCollector, type GithubOrgOptions } from "./github/org.js";

/** Planning options (tests record the rate-limit and retry waits instead of sleeping them). */
export type GithubPlanOptions = Pick<GithubOrgOptions, "sleep">;

export const source: SourcePlugin<GithubSourceConfig, GithubPlanOptions> = {
  collectors: [githubOrgCollector],
  plan: (config, options): CollectorJob => ({
    kind: "collect",
    collector: githubOrgCollector.name,
    scope: { source: config.name, sourceType: "github", account: config.org, region: "global" },
    produces: githubOrgCollector.produces,
    sourceConcurrency: 1,
    run: (context) => githubOrgCollector.collect({ source: config, sleep: options?.sleep }, context),
  }),
};
