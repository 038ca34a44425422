import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, orgEvidenceSchema } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.two-factor-required",
  title: "The organization requires two-factor authentication",
  severity: "high",
  sourceType: "github",
  controls: [
    {
      control: "A.8.5",
      rationale: "“Secure authentication technologies … shall be implemented”: an organization-wide 2FA requirement enforces them for access to the code.",
    },
    {
      control: "A.5.17",
      rationale:
        "Authentication information is managed “by a management process”: requiring 2FA makes a second factor part of every member's authentication information.",
    },
  ],
  remediation: "Organization settings > Authentication security > Require two-factor authentication (members without 2FA are removed: warn them first).",
  requires: [GITHUB_EVIDENCE.org],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, GITHUB_EVIDENCE.org, orgEvidenceSchema);
    const resourceId = `org/${data.login}`;
    if (data.two_factor_requirement_enabled === true)
      return [{ resourceId, status: "pass", reason: `Organization ${data.login} requires two-factor authentication.` }];
    if (data.two_factor_requirement_enabled === false)
      return [{ resourceId, status: "fail", reason: `Organization ${data.login} does not require two-factor authentication.` }];
    return [
      {
        resourceId,
        status: "error",
        reason: `GitHub did not say whether organization ${data.login} requires 2FA: the token must belong to an organization owner.`,
      },
    ];
  },
});
