import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, keyVaultDiagnosticsEvidenceSchema, type DiagnosticSetting } from "../../../../src/evidence/azure-arm.js";
import { shortName } from "../../../lib/azure.js";

function destinations(setting: DiagnosticSetting): boolean {
  const p = setting.properties;
  return Boolean(p.workspaceId || p.storageAccountId || p.eventHubAuthorizationRuleId || p.marketplacePartnerId);
}

/** AuditEvent is Key Vault's access log; the "audit" and "allLogs" category groups include it. */
const auditsAccess = (s: DiagnosticSetting) =>
  (s.properties.logs ?? []).some((l) => l.enabled && (l.category === "AuditEvent" || ["audit", "alllogs"].includes(l.categoryGroup?.toLowerCase() ?? "")));

export default defineCheck({
  id: "azure.monitor.keyvault-diagnostics",
  title: "Key Vault access is logged to a workspace or storage",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "“Logs that record activities … shall be produced, stored”: a Key Vault diagnostic setting sending AuditEvent logs records every read of a key, secret or certificate and stores it outside the vault. It does not show how long the logs are kept or that anyone reviews them.",
    },
  ],
  remediation: "Add a diagnostic setting to each listed vault sending the audit category group (AuditEvent) to a Log Analytics workspace or storage account.",
  requires: [AZURE_ARM_EVIDENCE.keyVaultDiagnostics],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.keyVaultDiagnostics, keyVaultDiagnosticsEvidenceSchema);
    return data.vaults.map((vault): FindingDraft => {
      const name = `Key Vault ${shortName(vault)}`;
      const good = vault.settings.find((s) => destinations(s) && auditsAccess(s));
      if (good) return { resourceId: vault.id, status: "pass", reason: `${name} sends its AuditEvent logs out of the vault (setting ${good.name}).` };
      if (vault.settings.length === 0)
        return { resourceId: vault.id, status: "fail", reason: `${name} has no diagnostic setting, so access to its keys and secrets is not logged.` };
      return { resourceId: vault.id, status: "fail", reason: `${name} has diagnostic settings, but none sends AuditEvent logs to a destination.` };
    });
  },
});
