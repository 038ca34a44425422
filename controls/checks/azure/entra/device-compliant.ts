import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, managedDevicesEvidenceSchema } from "../../../../src/evidence/azure-graph.js";

/** complianceState values (Graph v1.0 complianceState) and what each says. */
const STATES: Readonly<Record<string, { status: "pass" | "fail" | "not_applicable"; says: string }>> = {
  compliant: { status: "pass", says: "is compliant with its Intune compliance policies" },
  noncompliant: { status: "fail", says: "is not compliant with its Intune compliance policies" },
  inGracePeriod: { status: "fail", says: "is not compliant (still in its grace period)" },
  conflict: { status: "fail", says: "has conflicting compliance policies, so its compliance is not established" },
  error: { status: "fail", says: "could not be evaluated for compliance (error)" },
  unknown: { status: "fail", says: "has an unknown compliance state (no policy evaluated it)" },
  configManager: { status: "not_applicable", says: "has its compliance managed by Configuration Manager, not shown here" },
};

export default defineCheck({
  id: "azure.entra.device-compliant",
  title: "Intune-managed devices are compliant",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.1",
      rationale:
        "“Information stored on, processed by or accessible via user end point devices shall be protected”: Intune's compliance state says whether each managed device meets the organisation's device rules (OS version, passcode, encryption, threat level as configured). It covers enrolled devices only, and is as strong as the compliance policies.",
    },
  ],
  remediation: "Bring each listed device into compliance (update, set a passcode, encrypt) or retire it; block non-compliant devices with Conditional Access.",
  requires: [ENTRA_EVIDENCE.managedDevices],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.managedDevices, managedDevicesEvidenceSchema);
    return data.devices.map((device): FindingDraft => {
      const state = STATES[device.complianceState];
      if (!state) throw new Error(`device ${device.deviceName ?? device.id} has the undocumented complianceState "${device.complianceState}"`);
      return {
        resourceId: device.id,
        status: state.status,
        reason: `Device ${device.deviceName ?? device.id} (${device.operatingSystem ?? "unknown OS"}) ${state.says}.`,
      };
    });
  },
});
