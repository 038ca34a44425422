import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import {
  conditionalAccessEvidenceSchema,
  ENTRA_EVIDENCE,
  isUnlicensed,
  usersEvidenceSchema,
  type ConditionalAccessPolicy,
} from "../../../../src/evidence/azure-graph.js";
import { coverageOf, grantRequires, unjudgedUser, userLabel } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.compliant-device-required",
  title: "Entra ID sign-ins require a compliant or hybrid-joined device",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.6.7",
      rationale:
        "“Security measures shall be implemented when personnel are working remotely”: an enabled Conditional Access policy granting access to all cloud apps only from a compliant (Intune) or hybrid-joined device keeps remote access to managed devices. Trusted-location exclusions are accepted, since they leave remote sign-ins covered; it does not show the rest of the remote-working rules.",
    },
    {
      control: "A.8.1",
      rationale:
        "“Information stored on, processed by or accessible via user end point devices shall be protected”: requiring a compliant or hybrid-joined device means the organisation's information is reached only from devices under its management and compliance policies.",
    },
  ],
  remediation:
    "Create an enabled Conditional Access policy for All users and All cloud apps whose grant requires a device marked as compliant (or hybrid Microsoft Entra joined), excluding only break-glass accounts; enrol devices in Intune first (report-only mode shows the impact).",
  requires: [ENTRA_EVIDENCE.conditionalAccess, ENTRA_EVIDENCE.users],
  settings: z
    .object({
      breakGlassAccounts: z.array(z.string()).default([]).describe("Object ids of emergency-access users (or a group holding them) that policies may exclude."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data: access } = readEvidence(evidence, ENTRA_EVIDENCE.conditionalAccess, conditionalAccessEvidenceSchema);
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.users, usersEvidenceSchema);
    const breakGlass = new Set(settings.breakGlassAccounts);
    const requiresDevice = (p: ConditionalAccessPolicy) => grantRequires(p, ["compliantDevice", "domainJoinedDevice"]);
    const narrowing = (p: ConditionalAccessPolicy) => {
      const c = p.conditions as Record<string, unknown> & { clientAppTypes: string[] };
      return c.clientAppTypes.includes("all") ? undefined : `applies only to the client apps ${c.clientAppTypes.join(", ")}`;
    };
    return data.users.map((user): FindingDraft => {
      const unjudged = unjudgedUser(user, breakGlass, "policies");
      if (unjudged) return unjudged;
      const who = userLabel(user);
      if (isUnlicensed(access.policies))
        return {
          resourceId: user.id,
          status: "error",
          reason: `Whether ${who} needs a managed device cannot be told: Conditional Access could not be read (${access.policies.unlicensed}).`,
        };
      const coverage = coverageOf(user, access.policies, requiresDevice, narrowing, breakGlass);
      if (coverage.by)
        return {
          resourceId: user.id,
          status: "pass",
          reason: `${who} can reach cloud apps only from a compliant or hybrid-joined device: Conditional Access policy "${coverage.by}" requires it.`,
        };
      return {
        resourceId: user.id,
        status: "fail",
        reason: `${who} can sign in from an unmanaged device: no enabled Conditional Access policy requires a compliant or hybrid-joined device for this user on all cloud apps${coverage.gaps.length > 0 ? ` (${coverage.gaps.join("; ")})` : ""}.`,
      };
    });
  },
});
