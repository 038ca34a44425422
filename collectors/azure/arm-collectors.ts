/** The ARM collectors run once per subscription besides azure.resources, in the order they are planned. */
import type { CollectorDefinition } from "../types.js";
import { azureAuthorizationCollector } from "./arm-authorization.js";
import { azureMonitorCollector } from "./arm-monitor.js";
import { azurePolicyCollector } from "./arm-policy.js";
import type { AzureArmOptions } from "./arm-read.js";
import { azureSecurityCollector } from "./arm-security.js";

export const AZURE_ARM_COLLECTORS: readonly CollectorDefinition<AzureArmOptions>[] = [
  azureAuthorizationCollector,
  azureSecurityCollector,
  azureMonitorCollector,
  azurePolicyCollector,
];
