import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.storage.https-only",
  title: "Storage accounts accept HTTPS only",
  severity: "high",
  controls: [
    {
      control: "A.8.24",
      rationale: "“Rules for the effective use of cryptography … shall be defined and implemented”: refusing plain HTTP enforces encryption in transit.",
    },
    {
      control: "A.5.14",
      rationale:
        "Transfer rules must be “in place for all types of transfer facilities”: a storage account is one, and this enforces that transfers through it are encrypted.",
    },
  ],
  remediation: "Set 'Secure transfer required' on the storage account (supportsHttpsTrafficOnly: true).",
  kind: AZURE_EVIDENCE.storageAccounts,
  noun: "Storage account",
  problem: (p) => (p["supportsHttpsTrafficOnly"] === true ? null : "accepts plain HTTP (secure transfer is not required)"),
  good: "accepts HTTPS only",
});
