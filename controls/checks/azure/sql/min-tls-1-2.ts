import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck, tlsVersion } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.sql.min-tls-1-2",
  title: "Azure SQL servers require TLS 1.2 or later",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale: "Cryptography must be used “effectively”: TLS 1.0 and 1.1 are deprecated, so connections to the data must use TLS 1.2 or later.",
    },
  ],
  remediation: "Set the server's minimal TLS version to 1.2 (minimalTlsVersion: '1.2').",
  kind: AZURE_EVIDENCE.sqlServers,
  noun: "SQL server",
  problem: (p) => {
    const version = tlsVersion(p["minimalTlsVersion"]);
    if (version === null && p["minimalTlsVersion"] != null && p["minimalTlsVersion"] !== "None")
      return `has a minimal TLS version that cannot be read (${JSON.stringify(p["minimalTlsVersion"])})`;
    if (version === null) return "has no minimal TLS version set";
    return version >= 1.2 ? null : `accepts TLS ${version.toFixed(1)}`;
  },
  good: "requires TLS 1.2 or later",
});
