/**
 * The AWS source as the app registers it (app/sources.ts loads this module only when an AWS
 * source is configured): one discovery job per source, which plans accounts and regions.
 */
import type { SourcePlugin } from "../src/collect.js";
import type { AwsSourceConfig } from "../src/config/schema.js";
import { awsConfigCollector } from "./aws/config.js";
import { awsIamCollector } from "./aws/iam.js";
import { awsDiscovery, planAwsSource, type AwsPlanOptions } from "./aws/source.js";

export const source: SourcePlugin<AwsSourceConfig, AwsPlanOptions> = {
  collectors: [awsDiscovery, awsIamCollector, awsConfigCollector],
  plan: (config, options) => planAwsSource(config, options),
};
