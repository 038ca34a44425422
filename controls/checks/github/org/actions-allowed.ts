import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { actionsPolicyEvidenceSchema, GITHUB_EVIDENCE, isUnavailable } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.actions-allowed",
  title: "GitHub Actions runs only local or selected actions, not any third-party action",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.5.21",
      rationale:
        "Processes “shall be defined and implemented to manage the information security risks associated with the ICT products and services supply chain”: third-party actions run with the workflow's access, and the policy limits them to the organization's own or an approved selection. How that selection is reviewed is not in this evidence.",
    },
  ],
  remediation:
    "Organization settings > Actions > General: allow only actions in the organization, or select GitHub-owned, verified-creator and listed actions (pinned to a full commit SHA).",
  requires: [GITHUB_EVIDENCE.actionsPolicy],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const resourceId = `org/${org}/actions`;
    const { permissions } = readEvidence(evidence, GITHUB_EVIDENCE.actionsPolicy, actionsPolicyEvidenceSchema).data;
    if (isUnavailable(permissions))
      return [{ resourceId, status: "error", reason: `The Actions policy of organization ${org} cannot be read: ${permissions.unavailable}.` }];
    const { enabled_repositories: enabled, allowed_actions: allowed } = permissions;
    if (enabled === "none") return [{ resourceId, status: "pass", reason: `Organization ${org} has GitHub Actions disabled for every repository.` }];
    // GitHub documents all, none and selected; anything else is not evidence of a restriction.
    if (enabled !== "all" && enabled !== "selected")
      return [
        { resourceId, status: "error", reason: `Organization ${org} has an Actions setting GitHub does not document (enabled_repositories "${enabled}").` },
      ];
    if (allowed === "local_only")
      return [{ resourceId, status: "pass", reason: `Organization ${org} allows only actions and reusable workflows defined in the organization.` }];
    if (allowed === "selected")
      return [
        {
          resourceId,
          status: "pass",
          reason: `Organization ${org} allows only the actions it selected (GitHub-owned, verified creators or listed patterns, as configured).`,
        },
      ];
    if (allowed === "all") return [{ resourceId, status: "fail", reason: `Organization ${org} allows workflows to run any action, from any author.` }];
    return [
      {
        resourceId,
        status: "error",
        reason: `Organization ${org} has an Actions setting GitHub does not document (allowed_actions ${JSON.stringify(allowed ?? null)}).`,
      },
    ];
  },
});
