import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, securityContactsEvidenceSchema, type SecurityContact } from "../../../../src/evidence/azure-arm.js";

/** Alert severities from the highest; an alert source's minimalSeverity sends that level and above. */
const SEVERITIES = ["High", "Medium", "Low"] as const;

/** null when the contact would be mailed high-severity alerts; otherwise what stops it. */
function problem(contact: SecurityContact): string | null {
  const p = contact.properties;
  if (p.isEnabled === false) return "is turned off";
  const emails = (p.emails ?? "")
    .split(/[;,]/)
    .map((e) => e.trim())
    .filter(Boolean);
  const byRole = p.notificationsByRole?.state === "On" && (p.notificationsByRole.roles ?? []).length > 0;
  if (emails.length === 0 && !byRole) return "names no email address and notifies no role";
  const alerts = (p.notificationsSources ?? []).find((s) => s.sourceType === "Alert");
  if (!alerts) return "is not notified of alerts";
  if (!SEVERITIES.some((s) => s === alerts.minimalSeverity))
    return `has an alert severity ARM does not document (${JSON.stringify(alerts.minimalSeverity ?? null)})`;
  return null;
}

export default defineCheck({
  id: "azure.defender.security-contacts",
  title: "Defender for Cloud mails high-severity alerts to a security contact",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.24",
      rationale:
        "The organization shall “plan and prepare for managing information security incidents by defining, establishing and communicating … roles and responsibilities”: a security contact set to receive high-severity Defender alerts is a defined channel from detection to the people who respond. It does not show the incident process itself.",
    },
  ],
  remediation:
    "In Defender for Cloud > Environment settings > Email notifications, give the security team's address (and/or notify the Owner role) and send alerts of severity High or lower.",
  requires: [AZURE_ARM_EVIDENCE.securityContacts],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.securityContacts, securityContactsEvidenceSchema);
    const subscription = evidence.scope.account;
    const resourceId = `/subscriptions/${subscription}/providers/Microsoft.Security/securityContacts`;
    if (data.contacts.length === 0) {
      return [
        { resourceId, status: "fail", reason: `Subscription ${subscription} has no Defender for Cloud security contact, so its alerts are mailed to no one.` },
      ];
    }
    const judged = data.contacts.map((c) => ({ contact: c, problem: problem(c) }));
    const good = judged.find((j) => j.problem === null);
    if (good) {
      const severity = (good.contact.properties.notificationsSources ?? []).find((s) => s.sourceType === "Alert")?.minimalSeverity ?? "";
      return [
        {
          resourceId,
          status: "pass",
          reason: `Subscription ${subscription} mails Defender alerts of severity ${severity} and above to security contact ${good.contact.name}.`,
        },
      ];
    }
    const unreadable = judged.find((j) => j.problem?.startsWith("has an alert severity"));
    return [
      {
        resourceId,
        status: unreadable ? "error" : "fail",
        reason: `Subscription ${subscription} has no security contact receiving high-severity alerts: ${judged.map((j) => `${j.contact.name} ${j.problem ?? ""}`).join("; ")}.`,
      },
    ];
  },
});
