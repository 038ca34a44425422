/**
 * Plans the collector jobs for a config: one discovery job per source, which plans the rest.
 */
import type { CollectorJob } from "../src/collect.js";
import type { Config } from "../src/config/schema.js";
import { awsConfigCollector } from "./aws/config.js";
import { awsIamCollector } from "./aws/iam.js";
import { awsDiscovery, planAwsSource, type AwsPlanOptions } from "./aws/source.js";
import { azureEntraCollector } from "./azure/entra.js";
import { azureResourcesCollector } from "./azure/resources.js";
import { azureDiscovery, planAzureSource } from "./azure/source.js";
import { githubOrgCollector } from "./github/org.js";

/** Every collector (and discovery step) with the permissions it uses, for policy documents and their tests. */
export const COLLECTORS: readonly { name: string; sourceType: string; permissions: readonly string[] }[] = [
  awsDiscovery,
  awsIamCollector,
  awsConfigCollector,
  azureDiscovery,
  azureResourcesCollector,
  azureEntraCollector,
  githubOrgCollector,
];

export interface PlanOptions {
  aws?: AwsPlanOptions;
}

export function planCollectorJobs(config: Config, options: PlanOptions = {}): CollectorJob[] {
  return [
    ...config.sources.aws.map((source) => planAwsSource(source, options.aws)),
    ...config.sources.azure.map((source) => planAzureSource(source)),
    ...config.sources.github.map(
      (source): CollectorJob => ({
        kind: "collect",
        collector: githubOrgCollector.name,
        scope: { source: source.name, sourceType: "github", account: source.org, region: "global" },
        produces: githubOrgCollector.produces,
        sourceConcurrency: 1,
        run: (context) => githubOrgCollector.collect({ source }, context),
      }),
    ),
  ];
}
