/**
 * The Microsoft Graph collectors planned once per tenant beside azure.entra. Each is its own job,
 * so a refusal of one API (a missing permission or licence) makes only its checks `error`.
 */
import { azureEntraApplicationsCollector, azureEntraUsersCollector, azureIntuneDevicesCollector } from "./graph-directory.js";
import { azureEntraAccessCollector, azureEntraAuthorizationCollector } from "./graph-policies.js";
import { azureEntraPimCollector, azureEntraRolesCollector } from "./graph-roles.js";

export const AZURE_GRAPH_COLLECTORS = [
  azureEntraAccessCollector,
  azureEntraAuthorizationCollector,
  azureEntraRolesCollector,
  azureEntraPimCollector,
  azureEntraUsersCollector,
  azureEntraApplicationsCollector,
  azureIntuneDevicesCollector,
] as const;
