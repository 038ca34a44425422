import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, activityLogDiagnosticsEvidenceSchema, type DiagnosticSetting } from "../../../../src/evidence/azure-arm.js";

/** The destinations a diagnostic setting names (an empty string is none). */
function destinations(setting: DiagnosticSetting): string[] {
  const p = setting.properties;
  return [
    p.workspaceId ? "a Log Analytics workspace" : null,
    p.storageAccountId ? "a storage account" : null,
    p.eventHubAuthorizationRuleId ? "an event hub" : null,
    p.marketplacePartnerId ? "a partner solution" : null,
  ].filter((d): d is string => d !== null);
}

const REQUIRED = ["Administrative", "Security"];

export default defineCheck({
  id: "azure.monitor.activity-log-exported",
  title: "Each subscription's activity log is kept beyond 90 days",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "“Logs that record activities … shall be produced, stored, protected and analysed”: a diagnostic setting sending the activity log's Administrative and Security events to a workspace, storage account or event hub stores every control-plane change beyond Azure's own 90 days. It does not show retention length, protection or review there.",
    },
  ],
  remediation:
    "Add a diagnostic setting to the subscription's activity log (Monitor > Activity log > Export Activity Logs) sending at least Administrative and Security (or all logs) to a Log Analytics workspace or storage account.",
  requires: [AZURE_ARM_EVIDENCE.activityLogDiagnostics],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.activityLogDiagnostics, activityLogDiagnosticsEvidenceSchema);
    const subscription = evidence.scope.account;
    const resourceId = `/subscriptions/${subscription}/providers/Microsoft.Insights/diagnosticSettings`;
    const exporting = data.settings.filter((s) => destinations(s).length > 0);
    const covers = (s: DiagnosticSetting, category: string) =>
      (s.properties.logs ?? []).some((l) => l.enabled && (l.category === category || l.categoryGroup?.toLowerCase() === "alllogs"));
    const good = exporting.find((s) => REQUIRED.every((c) => covers(s, c)));
    if (good) {
      return [
        {
          resourceId,
          status: "pass",
          reason: `Subscription ${subscription} sends its activity log (Administrative and Security events) to ${destinations(good).join(" and ")} (setting ${good.name}).`,
        },
      ];
    }
    if (exporting.length === 0) {
      return [{ resourceId, status: "fail", reason: `Subscription ${subscription} sends its activity log nowhere, so its events are kept only 90 days.` }];
    }
    const missing = REQUIRED.filter((c) => !exporting.some((s) => covers(s, c)));
    return [{ resourceId, status: "fail", reason: `Subscription ${subscription} exports its activity log without the ${missing.join(" and ")} events.` }];
  },
});
