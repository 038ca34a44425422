import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, membersEvidenceSchema } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.members-2fa",
  title: "Every organization member has two-factor authentication",
  severity: "high",
  sourceType: "github",
  controls: [
    { control: "A.8.5", rationale: "“Secure authentication technologies” per account: a member without 2FA signs in to the code with a password alone." },
    {
      control: "A.5.17",
      rationale: "Authentication information is allocated “by a management process”: this shows which members have a second factor beside their password.",
    },
  ],
  remediation: "Ask the listed members to enable 2FA (Settings > Password and authentication), then require it for the organization.",
  requires: [GITHUB_EVIDENCE.members],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const { data } = readEvidence(evidence, GITHUB_EVIDENCE.members, membersEvidenceSchema);
    if (isUnavailable(data.twoFactorDisabled)) {
      return [
        {
          resourceId: `org/${org}/members`,
          status: "error",
          reason: `The 2FA status of organization ${org}'s members cannot be read: ${data.twoFactorDisabled.unavailable}.`,
        },
      ];
    }
    const without = new Set(data.twoFactorDisabled.map((u) => u.login));
    return data.members.map(({ login }) =>
      without.has(login)
        ? { resourceId: `user/${login}`, status: "fail" as const, reason: `Member ${login} of organization ${org} has no two-factor authentication.` }
        : { resourceId: `user/${login}`, status: "pass" as const, reason: `Member ${login} of organization ${org} has two-factor authentication.` },
    );
  },
});
