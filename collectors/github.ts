/**
 * The GitHub source as the app registers it (loaded only when a GitHub source is configured): one
 * job per organization.
 */
import type { CollectorJob, SourcePlugin } from "../src/collect.js";
import type { GithubSourceConfig } from "../src/config/schema.js";
import { githubOrgCollector } from "./github/org.js";

export const source: SourcePlugin<GithubSourceConfig> = {
  collectors: [githubOrgCollector],
  plan: (config): CollectorJob => ({
    kind: "collect",
    collector: githubOrgCollector.name,
    scope: { source: config.name, sourceType: "github", account: config.org, region: "global" },
    produces: githubOrgCollector.produces,
    sourceConcurrency: 1,
    run: (context) => githubOrgCollector.collect({ source: config }, context),
  }),
};
