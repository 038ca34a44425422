import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck, tlsVersion } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.storage.min-tls-1-2",
  title: "Storage accounts require TLS 1.2 or later",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale: "Cryptography must be used “effectively”: TLS 1.0 and 1.1 are deprecated, so accepting them weakens every connection to the account.",
    },
    {
      control: "A.5.14",
      rationale:
        "Transfer rules must be “in place for all types of transfer facilities”: an account accepting TLS 1.0 lets transfers through it fall back to a broken protocol.",
    },
  ],
  remediation: "Set the storage account's minimum TLS version to TLS 1.2 (minimumTlsVersion: TLS1_2).",
  kind: AZURE_EVIDENCE.storageAccounts,
  noun: "Storage account",
  problem: (p) => {
    const version = tlsVersion(p["minimumTlsVersion"]);
    // An account created before the setting existed has none: Azure then accepts TLS 1.0.
    if (version === null && p["minimumTlsVersion"] != null) return `has a minimum TLS version that cannot be read (${JSON.stringify(p["minimumTlsVersion"])})`;
    if (version === null) return "has no minimum TLS version set, so TLS 1.0 is accepted";
    return version >= 1.2 ? null : `accepts TLS ${version.toFixed(1)}`;
  },
  good: "requires TLS 1.2 or later",
});
