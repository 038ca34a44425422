import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.keyvault.soft-delete-purge-protection",
  title: "Key Vaults have soft delete and purge protection",
  severity: "high",
  // Not A.8.13: soft delete keeps a deleted vault recoverable for a few days in the same place; it is
  // no backup copy, and nothing here is ever restored to test it.
  controls: [
    {
      control: "A.8.24",
      rationale:
        "Cryptography rules include “cryptographic key management”: purge protection keeps a key from being destroyed, with the data it encrypts, by one deletion.",
    },
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
