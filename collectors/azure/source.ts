/**
 * One configured Azure source: the credential, the subscriptions ("all" = every one the identity
 * can read), and the jobs: ARM resources per subscription, Entra ID once per tenant.
 */
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { CollectContext, CollectJob, CollectorJob, DiscoveryJob } from "../../src/collect.js";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import type { Evidence } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { evidenceFor } from "../types.js";
import { armClientOptions, azureCredentials, describeAzureError } from "./clients.js";
import { azureEntraCollector } from "./entra.js";
import { AZURE_GRAPH_COLLECTORS } from "./graph-collectors.js";
import { azureResourcesCollector } from "./resources.js";
import { AZURE_ARM_COLLECTORS } from "./arm-collectors.js";

export const AZURE_DISCOVERY = "azure.discovery";
export const SUBSCRIPTIONS_EVIDENCE = "azure.subscriptions";

export const azureDiscovery = {
  name: AZURE_DISCOVERY,
  sourceType: "azure",
  permissions: ["Microsoft.Resources/subscriptions/read"],
} as const;

export function planAzureSource(source: AzureSourceConfig): DiscoveryJob {
  return {
    kind: "discover",
    collector: AZURE_DISCOVERY,
    scope: { source: source.name, sourceType: "azure", account: source.tenantId, region: "global" },
    produces: [
      ...azureResourcesCollector.produces,
      ...AZURE_ARM_COLLECTORS.flatMap((c) => c.produces),
      ...azureEntraCollector.produces,
      ...AZURE_GRAPH_COLLECTORS.flatMap((c) => c.produces),
    ],
    sourceConcurrency: source.concurrency,
    discover: (context) => discover(source, context),
  };
}

async function discover(source: AzureSourceConfig, context: CollectContext): Promise<{ evidence: Evidence[]; jobs: CollectorJob[] }> {
  const credentials = azureCredentials(source);
  const evidence: Evidence[] = [];
  let subscriptions: string[];
  if (source.subscriptions === "all") {
    const client = new SubscriptionClient(credentials.arm, armClientOptions(source));
    const found: { id: string; name: string | null; state: string | null }[] = [];
    try {
      for await (const s of client.subscriptions.list({ abortSignal: context.signal })) {
        if (s.subscriptionId) found.push({ id: s.subscriptionId, name: s.displayName ?? null, state: s.state ?? null });
      }
    } catch (error) {
      throw new CollectorError(
        { collector: AZURE_DISCOVERY, source: source.name, account: source.tenantId, region: "global", apiCall: "Subscriptions - List" },
        describeAzureError(error, "Subscriptions - List", source),
        { cause: error },
      );
    }
    evidence.push(
      evidenceFor({ source: source.name, sourceType: "azure", account: source.tenantId, region: "global" }, context)(
        SUBSCRIPTIONS_EVIDENCE,
        "Subscriptions - List",
        { subscriptions: found },
      ),
    );
    // Disabled or deleted subscriptions cannot be read; they are listed in the evidence above.
    subscriptions = found.filter((s) => s.state === null || s.state === "Enabled" || s.state === "PastDue" || s.state === "Warned").map((s) => s.id);
  } else subscriptions = source.subscriptions;

  const jobs: CollectJob[] = subscriptions.map((subscriptionId) => ({
    kind: "collect",
    collector: azureResourcesCollector.name,
    scope: { source: source.name, sourceType: "azure", account: subscriptionId, region: "global" },
    produces: azureResourcesCollector.produces,
    sourceConcurrency: source.concurrency,
    run: (ctx) => azureResourcesCollector.collect({ source, credential: credentials.arm, subscriptionId }, ctx),
  }));
  // RBAC, Defender for Cloud, diagnostic settings and Azure Policy: a job each per subscription, so
  // a refused read fails only the checks it feeds.
  for (const subscriptionId of subscriptions) {
    for (const collector of AZURE_ARM_COLLECTORS) {
      jobs.push({
        kind: "collect",
        collector: collector.name,
        scope: { source: source.name, sourceType: "azure", account: subscriptionId, region: "global" },
        produces: collector.produces,
        sourceConcurrency: source.concurrency,
        run: (ctx) => collector.collect({ source, credential: credentials.arm, subscriptionId }, ctx),
      });
    }
  }
  jobs.push({
    kind: "collect",
    collector: azureEntraCollector.name,
    scope: { source: source.name, sourceType: "azure", account: source.tenantId, region: "global" },
    produces: azureEntraCollector.produces,
    sourceConcurrency: source.concurrency,
    run: (ctx) => azureEntraCollector.collect({ source, credential: credentials.graph }, ctx),
  });
  // Entra ID policies, roles, users, applications and Intune devices: a job each per tenant.
  for (const collector of AZURE_GRAPH_COLLECTORS) {
    jobs.push({
      kind: "collect",
      collector: collector.name,
      scope: { source: source.name, sourceType: "azure", account: source.tenantId, region: "global" },
      produces: collector.produces,
      sourceConcurrency: source.concurrency,
      run: (ctx) => collector.collect({ source, credential: credentials.graph }, ctx),
    });
  }
  return { evidence, jobs };
}
