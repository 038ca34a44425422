import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { actionsPolicyEvidenceSchema, GITHUB_EVIDENCE, isUnavailable } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.workflow-token-read-only",
  title: "Workflow tokens are read-only by default",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.8.25",
      rationale:
        "“Rules for the secure development of software and systems shall be established and applied”: least privilege for the build pipeline is such a rule; a workflow asks for write access explicitly instead of every job holding it.",
    },
    {
      control: "A.5.21",
      rationale:
        "Risks “associated with the ICT products and services supply chain” are managed: a third-party action running in a workflow gets the token's rights, read-only unless the workflow grants more.",
    },
  ],
  remediation:
    "Organization settings > Actions > General > Workflow permissions: choose “Read repository contents and packages permissions”; grant write per job with `permissions:`.",
  requires: [GITHUB_EVIDENCE.actionsPolicy],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const resourceId = `org/${org}/actions/workflow-permissions`;
    const { workflow } = readEvidence(evidence, GITHUB_EVIDENCE.actionsPolicy, actionsPolicyEvidenceSchema).data;
    if (isUnavailable(workflow))
      return [{ resourceId, status: "error", reason: `The workflow permissions of organization ${org} cannot be read: ${workflow.unavailable}.` }];
    const value = workflow.default_workflow_permissions;
    if (value === "read") return [{ resourceId, status: "pass", reason: `Organization ${org} gives workflows a read-only GITHUB_TOKEN by default.` }];
    if (value === "write") return [{ resourceId, status: "fail", reason: `Organization ${org} gives workflows a GITHUB_TOKEN with write access by default.` }];
    return [{ resourceId, status: "error", reason: `Organization ${org} has a default workflow permission GitHub does not document ("${value}").` }];
  },
});
