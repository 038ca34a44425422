import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { actionsPolicyEvidenceSchema, GITHUB_EVIDENCE, isUnavailable } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.workflows-cannot-approve",
  title: "Workflows cannot create or approve pull requests",
  severity: "high",
  sourceType: "github",
  controls: [
    {
      control: "A.5.3",
      rationale:
        "“Conflicting duties and conflicting areas of responsibility shall be segregated”: a workflow that can approve pull requests lets whoever changes the workflow approve their own change.",
    },
    {
      control: "A.8.25",
      rationale:
        "“Rules for the secure development of software and systems shall be established and applied”: review by a person, not by the pipeline, is such a rule.",
    },
  ],
  remediation: "Organization settings > Actions > General > Workflow permissions: clear “Allow GitHub Actions to create and approve pull requests”.",
  requires: [GITHUB_EVIDENCE.actionsPolicy],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const resourceId = `org/${org}/actions/pull-request-approval`;
    const { workflow } = readEvidence(evidence, GITHUB_EVIDENCE.actionsPolicy, actionsPolicyEvidenceSchema).data;
    if (isUnavailable(workflow))
      return [{ resourceId, status: "error", reason: `The workflow permissions of organization ${org} cannot be read: ${workflow.unavailable}.` }];
    return workflow.can_approve_pull_request_reviews
      ? [{ resourceId, status: "fail", reason: `Organization ${org} allows GitHub Actions workflows to create and approve pull requests.` }]
      : [{ resourceId, status: "pass", reason: `Organization ${org} does not allow GitHub Actions workflows to create or approve pull requests.` }];
  },
});
