import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { definePropertyCheck } from "../../../lib/azure.js";

const ENCRYPTED = new Set(["EncryptionAtRestWithPlatformKey", "EncryptionAtRestWithCustomerKey", "EncryptionAtRestWithPlatformAndCustomerKeys"]);

export default definePropertyCheck({
  id: "azure.compute.disk-encryption",
  title: "Managed disks are encrypted at rest",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: encryption at rest protects disk contents if the storage is ever exposed.",
    },
  ],
  remediation: "Re-create the disk with server-side encryption (platform- or customer-managed keys), or enable Azure Disk Encryption on the VM.",
  kind: AZURE_EVIDENCE.disks,
  noun: "Managed disk",
  problem: (p) => {
    const encryption = p["encryption"] as { type?: string } | undefined;
    const ade = (p["encryptionSettingsCollection"] as { enabled?: boolean } | undefined)?.enabled === true;
    if (ade || (encryption?.type && ENCRYPTED.has(encryption.type))) return null;
    return `reports no encryption at rest (encryption type: ${encryption?.type ?? "none"})`;
  },
  good: "is encrypted at rest",
});
