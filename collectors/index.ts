/**
 * Plans the collector jobs for a config: every collector of every configured source.
 */
import type { Config } from "../src/config/schema.js";
import { awsIamCollector, type AwsIamOptions } from "./aws/iam.js";
import type { CollectorDefinition, CollectorJob } from "./types.js";

/** Every collector, so permission documents and tests can walk them. */
export const COLLECTORS: readonly CollectorDefinition<never>[] = [awsIamCollector];

export interface PlanOptions {
  /** Tuning for the IAM credential-report poll (tests shorten it). */
  awsIam?: Pick<AwsIamOptions, "pollIntervalMs" | "maxWaitMs">;
}

export function planCollectorJobs(config: Config, options: PlanOptions = {}): CollectorJob[] {
  const jobs: CollectorJob[] = [];
  for (const source of config.sources.aws) {
    jobs.push({
      collector: awsIamCollector.name,
      scope: { source: source.name, sourceType: "aws", account: "unknown", region: "global" },
      produces: awsIamCollector.produces,
      sourceConcurrency: source.concurrency,
      run: (context) => awsIamCollector.collect({ source, ...options.awsIam }, context),
    });
  }
  return jobs;
}
