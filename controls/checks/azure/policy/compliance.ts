import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_ARM_EVIDENCE, policySummaryEvidenceSchema } from "../../../../src/evidence/azure-arm.js";

export default defineCheck({
  id: "azure.policy.compliance",
  title: "Resources comply with the Azure Policy assignments",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.36",
      rationale:
        "“Compliance with the organization's information security policy, topic-specific policies, rules and standards shall be regularly reviewed”: Azure Policy evaluates every resource against the rules assigned to the subscription, and its summary counts what does not comply, per assignment. It shows technical rules only, as far as they are written as policies.",
    },
    {
      control: "A.8.9",
      rationale:
        "Configurations “shall be established, documented, implemented, monitored and reviewed”: each policy assignment is a documented configuration baseline that Azure monitors continuously; a non-compliant resource has drifted from it.",
    },
  ],
  remediation:
    "Open each listed assignment in Azure Policy > Compliance, remediate the non-compliant resources (or record an exemption with its reason and expiry); assign a baseline initiative such as the Microsoft cloud security benchmark where none is assigned.",
  requires: [AZURE_ARM_EVIDENCE.policySummary],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AZURE_ARM_EVIDENCE.policySummary, policySummaryEvidenceSchema);
    const subscription = evidence.scope.account;
    const assignments = data.summaries.flatMap((s) => s.policyAssignments ?? []);
    if (assignments.length === 0) {
      return [
        {
          resourceId: `/subscriptions/${subscription}`,
          status: "fail",
          reason: `Subscription ${subscription} has no Azure Policy assignment, so no rule is evaluated against its resources.`,
        },
      ];
    }
    return assignments.map((a): FindingDraft => {
      const name = `Policy assignment ${a.policyAssignmentId.split("/").at(-1) ?? a.policyAssignmentId}`;
      const resources = a.results.nonCompliantResources;
      if (resources === null || resources === undefined) {
        return {
          resourceId: a.policyAssignmentId,
          status: "error",
          reason: `${name} on subscription ${subscription} has no count of non-compliant resources, so it cannot be judged.`,
        };
      }
      if (resources === 0)
        return { resourceId: a.policyAssignmentId, status: "pass", reason: `${name} on subscription ${subscription} has no non-compliant resources.` };
      const policies = a.results.nonCompliantPolicies;
      return {
        resourceId: a.policyAssignmentId,
        status: "fail",
        reason: `${name} on subscription ${subscription} has ${resources} non-compliant resource${resources === 1 ? "" : "s"}${policies ? ` across ${policies} polic${policies === 1 ? "y" : "ies"}` : ""}.`,
      };
    });
  },
});
