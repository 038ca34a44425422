import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.storage.no-public-blob-access",
  title: "Storage accounts do not allow anonymous blob access",
  severity: "high",
  controls: [
    { control: "A.8.3", rationale: "Anonymous blob access gives anyone on the internet the data in public containers." },
    { control: "A.8.24", rationale: "Public containers bypass every protection the account's keys and identities give." },
  ],
  remediation: "Disallow blob public access on the storage account (allowBlobPublicAccess: false) and serve public content through a CDN.",
  kind: AZURE_EVIDENCE.storageAccounts,
  noun: "Storage account",
  problem: (p) =>
    p["allowBlobPublicAccess"] === false
      ? null
      : p["allowBlobPublicAccess"] === true
        ? "allows anonymous public access to blobs"
        : "does not set allowBlobPublicAccess, and accounts that predate the setting allow public access",
  good: "does not allow anonymous blob access",
});
