import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { daysBetween, defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { applicationsEvidenceSchema, ENTRA_EVIDENCE } from "../../../../src/evidence/azure-graph.js";
import { credentialsOf } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.app-credential-lifetime",
  title: "Entra ID application secrets and certificates are short-lived",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "“Allocation and management of authentication information shall be controlled by a management process”: a secret or certificate valid for years is authentication information that is never renewed, so a leaked one stays useful. It shows the validity period set, not how the credential is stored.",
    },
  ],
  remediation:
    "Replace each listed long-lived secret or certificate with one valid at most the configured maximum (or a managed identity), and set an app management policy limiting credential lifetimes.",
  requires: [ENTRA_EVIDENCE.applications],
  settings: z
    .object({ maxLifetimeDays: z.number().int().min(1).default(365).describe("Longest validity (start to end) allowed for a secret or certificate.") })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.applications, applicationsEvidenceSchema);
    return data.applications.map((app): FindingDraft => {
      const credentials = credentialsOf(app);
      const name = `Application ${app.displayName} (${app.appId})`;
      if (credentials.length === 0) return { resourceId: app.id, status: "not_applicable", reason: `${name} has no secret or certificate.` };
      const long = credentials.filter((c) => daysBetween(c.start, c.end) > settings.maxLifetimeDays);
      return long.length === 0
        ? { resourceId: app.id, status: "pass", reason: `${name}: every secret and certificate is valid for ${settings.maxLifetimeDays} days or less.` }
        : {
            resourceId: app.id,
            status: "fail",
            reason: `${name}: ${long.map((c) => `${c.label} is valid for ${daysBetween(c.start, c.end)} days`).join("; ")}, more than ${settings.maxLifetimeDays}.`,
          };
    });
  },
});
