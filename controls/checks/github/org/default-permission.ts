import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, orgEvidenceSchema } from "../../../../src/evidence/github.js";

const RANK: Record<string, number> = { none: 0, read: 1, write: 2, admin: 3 };

export default defineCheck({
  id: "github.org.default-permission",
  title: "The organization's base permission is read or none",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.5.15",
      rationale:
        "Rules to control logical access “shall be established and implemented”: the base permission is the organization-wide access rule for every repository.",
    },
    {
      control: "A.8.3",
      rationale:
        "Access “shall be restricted in accordance with the established topic-specific policy on access control”: the base permission is what every member gets everywhere.",
    },
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: a write or admin base permission lets every member change every repository.",
    },
  ],
  remediation: "Organization settings > Member privileges > Base permissions: set to Read or No permission, and grant write through teams.",
  requires: [GITHUB_EVIDENCE.org],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, GITHUB_EVIDENCE.org, orgEvidenceSchema);
    const resourceId = `org/${data.login}`;
    const permission = data.default_repository_permission;
    if (!permission || RANK[permission] === undefined) {
      return [
        {
          resourceId,
          status: "error",
          reason: `GitHub did not give organization ${data.login}'s base permission: the token must belong to an organization owner.`,
        },
      ];
    }
    return (RANK[permission] ?? 0) <= 1
      ? [{ resourceId, status: "pass", reason: `Organization ${data.login}'s base permission is ${permission}.` }]
      : [
          {
            resourceId,
            status: "fail",
            reason: `Organization ${data.login}'s base permission is ${permission}: every member can ${permission === "admin" ? "administer" : "push to"} every repository.`,
          },
        ];
  },
});
