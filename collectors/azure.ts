/**
 * The Azure source as the app registers it (loaded only when an Azure source is configured): one
 * discovery job per tenant, which plans a job per subscription and one for Entra ID.
 */
import type { SourcePlugin } from "../src/collect.js";
import type { AzureSourceConfig } from "../src/config/schema.js";
import { azureEntraCollector } from "./azure/entra.js";
import { AZURE_GRAPH_COLLECTORS } from "./azure/graph-collectors.js";
import { azureResourcesCollector } from "./azure/resources.js";
import { AZURE_ARM_COLLECTORS } from "./azure/arm-collectors.js";
import { azureDiscovery, planAzureSource } from "./azure/source.js";

export const source: SourcePlugin<AzureSourceConfig> = {
  collectors: [azureDiscovery, azureResourcesCollector, ...AZURE_ARM_COLLECTORS, azureEntraCollector, ...AZURE_GRAPH_COLLECTORS],
  plan: (config) => planAzureSource(config),
};
