import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, managedDevicesEvidenceSchema } from "../../../../src/evidence/azure-graph.js";

export default defineCheck({
  id: "azure.entra.device-encrypted",
  title: "Intune-managed devices are encrypted",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.1",
      rationale:
        "“Information stored on, processed by or accessible via user end point devices shall be protected”: storage encryption (BitLocker, FileVault, Android/iOS encryption) protects the device's information if it is lost or stolen. It covers Intune-enrolled devices only.",
    },
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: Intune's encryption state shows the rule that endpoint storage is encrypted is implemented on each managed device; it does not show key escrow or algorithm choice.",
    },
  ],
  remediation:
    "Turn on device encryption (an Intune disk-encryption policy: BitLocker or FileVault with key escrow) for each listed device, and require encryption in the compliance policy.",
  requires: [ENTRA_EVIDENCE.managedDevices],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.managedDevices, managedDevicesEvidenceSchema);
    return data.devices.map((device): FindingDraft => {
      const name = `Device ${device.deviceName ?? device.id} (${device.operatingSystem ?? "unknown OS"})`;
      if (device.isEncrypted === true) return { resourceId: device.id, status: "pass", reason: `${name} has its storage encrypted.` };
      if (device.isEncrypted === false) return { resourceId: device.id, status: "fail", reason: `${name} does not have its storage encrypted.` };
      return { resourceId: device.id, status: "error", reason: `${name} has no encryption state in Intune, so whether it is encrypted cannot be told.` };
    });
  },
});
