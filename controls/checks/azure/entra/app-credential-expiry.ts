import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { daysBetween, defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import { applicationsEvidenceSchema, ENTRA_EVIDENCE } from "../../../../src/evidence/azure-graph.js";
import { credentialsOf } from "../../../lib/entra.js";

export default defineCheck({
  id: "azure.entra.app-credential-expiry",
  title: "Entra ID application secrets and certificates are not expired or about to expire",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "“Allocation and management of authentication information shall be controlled by a management process”: an application's secrets and certificates left expired, or about to expire unnoticed, show their renewal and removal are not managed. It shows validity dates, not where the secrets are kept.",
    },
  ],
  remediation:
    "Remove expired secrets and certificates from each listed application; renew those about to expire (prefer certificates or managed identities / workload identity federation to client secrets).",
  requires: [ENTRA_EVIDENCE.applications],
  settings: z
    .object({
      warnDays: z.number().int().min(0).default(30).describe("Days before expiry from which a credential fails as about to expire (0: only expired ones)."),
    })
    .strict(),
  evaluate({ evidence, now, settings }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.applications, applicationsEvidenceSchema);
    return data.applications.map((app): FindingDraft => {
      const credentials = credentialsOf(app);
      const name = `Application ${app.displayName} (${app.appId})`;
      if (credentials.length === 0) return { resourceId: app.id, status: "not_applicable", reason: `${name} has no secret or certificate.` };
      const expired = credentials.filter((c) => c.end.getTime() <= now.getTime());
      const soon = credentials.filter((c) => c.end.getTime() > now.getTime() && daysBetween(now, c.end) < settings.warnDays);
      if (expired.length === 0 && soon.length === 0)
        return {
          resourceId: app.id,
          status: "pass",
          reason: `${name}: all ${credentials.length} secrets and certificates are valid for ${settings.warnDays} days or more.`,
        };
      const parts = [
        ...expired.map((c) => `${c.label} expired on ${isoDay(c.end)}`),
        ...soon.map((c) => `${c.label} expires on ${isoDay(c.end)} (in ${daysBetween(now, c.end)} days)`),
      ];
      return { resourceId: app.id, status: "fail", reason: `${name}: ${parts.join("; ")}.` };
    });
  },
});
