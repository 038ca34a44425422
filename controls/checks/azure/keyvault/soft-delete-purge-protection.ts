import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.keyvault.soft-delete-purge-protection",
  title: "Key Vaults have soft delete and purge protection",
  severity: "high",
  controls: [
    { control: "A.8.13", rationale: "Soft delete with purge protection is the recovery copy of keys and secrets." },
    { control: "A.8.24", rationale: "Losing a key destroys the data it encrypts; key management must prevent that." },
  ],
  remediation: "Enable purge protection on the vault (it cannot be turned off again); soft delete is on for all vaults created since 2020.",
  kind: AZURE_EVIDENCE.keyVaults,
  noun: "Key Vault",
  problem: (p) => {
    // New vaults get soft delete by default and ARM then returns true; a vault whose GET lacks the
    // property predates that default and never turned it on.
    const softDelete = p["enableSoftDelete"] === true;
    const purge = p["enablePurgeProtection"] === true;
    if (softDelete && purge) return null;
    return [!softDelete ? "has soft delete turned off" : null, !purge ? "has no purge protection" : null].filter(Boolean).join(" and ");
  },
  good: "has soft delete and purge protection",
});
