import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

export default definePropertyCheck({
  id: "azure.storage.no-public-blob-access",
  title: "Storage accounts do not allow anonymous blob access",
  severity: "high",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “shall be restricted in accordance with the established topic-specific policy on access control”: anonymous blob access opens public containers to anyone.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied to systems … that process, store or transmit sensitive information”: anonymous containers are the commonest storage leak.",
    },
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
