/**
 * Azure Monitor diagnostic settings, one subscription: where the subscription's activity log is
 * sent, and where each Key Vault's resource logs are sent.
 *
 * Diagnostic settings are extension resources: ARM lists them only per resource (there is no
 * subscription-wide list, and Azure Resource Graph does not index them), so this reads the vault
 * list once and then one small GET per vault, as many at once as the source's request limiter lets.
 */
import { armResourceSchema } from "../../src/evidence/azure.js";
import { AZURE_ARM_API_VERSIONS, AZURE_ARM_EVIDENCE, diagnosticSettingSchema } from "../../src/evidence/azure-arm.js";
import type { CollectorDefinition } from "../types.js";
import { armReader, type ArmCall, type AzureArmOptions } from "./arm-read.js";

export const AZURE_MONITOR_COLLECTOR = "azure.monitor";

const SUBSCRIPTION_SETTINGS: ArmCall = {
  operation: "Subscription Diagnostic Settings - List",
  permission: "Microsoft.Insights/diagnosticSettings/read",
};
const VAULTS: ArmCall = { operation: "Vaults - List By Subscription", permission: "Microsoft.KeyVault/vaults/read" };
const VAULT_SETTINGS: ArmCall = { operation: "Diagnostic Settings - List (Key Vault)", permission: "Microsoft.Insights/diagnosticSettings/read" };

export const azureMonitorCollector: CollectorDefinition<AzureArmOptions> = {
  name: AZURE_MONITOR_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_ARM_EVIDENCE.activityLogDiagnostics, AZURE_ARM_EVIDENCE.keyVaultDiagnostics],
  permissions: [SUBSCRIPTION_SETTINGS.permission, VAULTS.permission],
  async collect(options, context) {
    const arm = armReader(AZURE_MONITOR_COLLECTOR, options, context);
    const version = AZURE_ARM_API_VERSIONS.diagnosticSettings;
    const activityLog = arm.list(
      SUBSCRIPTION_SETTINGS,
      `${arm.base}/providers/Microsoft.Insights/diagnosticSettings?api-version=${version}`,
      diagnosticSettingSchema,
    );
    const vaults = arm
      .list(VAULTS, `${arm.base}/providers/Microsoft.KeyVault/vaults?api-version=${AZURE_ARM_API_VERSIONS.keyVaults}`, armResourceSchema)
      .then(async (listed) => {
        return Promise.all(
          listed.map(async (item) => {
            const vault = armResourceSchema.parse(item);
            const settings = await arm.list(
              VAULT_SETTINGS,
              `${arm.endpoint}${vault.id}/providers/Microsoft.Insights/diagnosticSettings?api-version=${version}`,
              diagnosticSettingSchema,
            );
            return { id: vault.id, name: vault.name, settings };
          }),
        );
      });
    const [subscription, perVault] = await Promise.allSettled([activityLog, vaults]);
    if (subscription.status === "rejected") throw subscription.reason;
    if (perVault.status === "rejected") throw perVault.reason;
    return [
      arm.evidence(AZURE_ARM_EVIDENCE.activityLogDiagnostics, SUBSCRIPTION_SETTINGS.operation, { settings: subscription.value }),
      arm.evidence(AZURE_ARM_EVIDENCE.keyVaultDiagnostics, `${VAULTS.operation}; ${VAULT_SETTINGS.operation}`, { vaults: perVault.value }),
    ];
  },
};
