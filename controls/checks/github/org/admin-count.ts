import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, membersEvidenceSchema } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.admin-count",
  title: "Organization owners are few",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.8.2",
      rationale: "Privileged access rights “shall be restricted and managed”: owners hold every privilege over the organization's repositories and settings.",
    },
  ],
  remediation: "Review the owners list and demote those who do not need to administer the organization to members.",
  requires: [GITHUB_EVIDENCE.members],
  settings: z.object({ maxOwners: z.number().int().min(1).default(3).describe("Most organization owners allowed.") }).strict(),
  evaluate({ evidence, settings }) {
    const org = evidence.scope.account;
    const resourceId = `org/${org}/owners`;
    const { data } = readEvidence(evidence, GITHUB_EVIDENCE.members, membersEvidenceSchema);
    if (isUnavailable(data.owners))
      return [{ resourceId, status: "error", reason: `The owners of organization ${org} cannot be read: ${data.owners.unavailable}.` }];
    const owners = data.owners.map((u) => u.login);
    const n = owners.length;
    return n <= settings.maxOwners
      ? [
          {
            resourceId,
            status: "pass",
            reason: `Organization ${org} has ${n} owner${n === 1 ? "" : "s"} (at most ${settings.maxOwners}): ${owners.join(", ")}.`,
          },
        ]
      : [{ resourceId, status: "fail", reason: `Organization ${org} has ${n} owners, more than ${settings.maxOwners}: ${owners.join(", ")}.` }];
  },
});
