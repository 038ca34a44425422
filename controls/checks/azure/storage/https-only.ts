import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.storage.https-only",
  title: "Storage accounts accept HTTPS only",
  severity: "high",
  controls: [
    { control: "A.8.24", rationale: "Refusing plain HTTP is how the account enforces encryption in transit." },
    { control: "A.8.3", rationale: "Data sent over plain HTTP can be read by anyone on the path." },
  ],
  remediation: "Set 'Secure transfer required' on the storage account (supportsHttpsTrafficOnly: true).",
  kind: AZURE_EVIDENCE.storageAccounts,
  noun: "Storage account",
  problem: (p) => (p["supportsHttpsTrafficOnly"] === true ? null : "accepts plain HTTP (secure transfer is not required)"),
  good: "accepts HTTPS only",
});
