import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, outsideCollaboratorsEvidenceSchema } from "../../../../src/evidence/github.js";
import { outsideAdmins, readRepos } from "../../../lib/github.js";

export default defineCheck({
  id: "github.org.outside-collaborators",
  title: "Outside collaborators hold no admin rights",
  severity: "high",
  sourceType: "github",
  controls: [
    {
      control: "A.5.18",
      rationale:
        "Access rights “shall be provisioned, reviewed, modified and removed”: admin is the widest right, and outsiders hold it outside the organization's usual reviews.",
    },
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: admin lets a collaborator change a repository's code, settings and protections.",
    },
    {
      control: "A.5.19",
      rationale:
        "Risks “associated with the use of supplier's products or services” must be managed: outside collaborators are usually a supplier's staff working in your code.",
    },
    {
      control: "A.8.30",
      rationale:
        "The organization “shall direct, monitor and review the activities related to outsourced system development”: bounding contractors' rights in the repositories is part of that.",
    },
  ],
  remediation: "Lower the listed collaborators to write or read on the repositories, or make them members under your identity provider.",
  requires: [GITHUB_EVIDENCE.outsideCollaborators, GITHUB_EVIDENCE.repos],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const { data } = readEvidence(evidence, GITHUB_EVIDENCE.outsideCollaborators, outsideCollaboratorsEvidenceSchema);
    // Every outside collaborator and, per repository, each one's rights: admin is what fails.
    const repos = readRepos(evidence).map((r) => ({ name: r.name, archived: r.archived, admins: outsideAdmins(r) }));
    if (isUnavailable(data.collaborators)) {
      return [
        {
          resourceId: `org/${org}/outside-collaborators`,
          status: "error",
          reason: `The outside collaborators of ${org} cannot be read: ${data.collaborators.unavailable}.`,
        },
      ];
    }
    const unreadable = repos.filter((r) => !r.archived && isUnavailable(r.admins)).map((r) => r.name);
    return data.collaborators.map(({ login }) => {
      // An archived repository is read-only: rights on it are not judged (its collaborators are not read).
      const adminOn = repos.filter((r) => !r.archived && Array.isArray(r.admins) && r.admins.includes(login)).map((r) => r.name);
      if (adminOn.length > 0)
        return {
          resourceId: `user/${login}`,
          status: "fail" as const,
          reason: `Outside collaborator ${login} has admin on ${adminOn.map((r) => `${org}/${r}`).join(", ")}.`,
        };
      if (unreadable.length > 0)
        return {
          resourceId: `user/${login}`,
          status: "error" as const,
          reason: `Outside collaborator ${login}'s rights on ${unreadable.length} repositories could not be read.`,
        };
      return { resourceId: `user/${login}`, status: "pass" as const, reason: `Outside collaborator ${login} has no admin rights in ${org}.` };
    });
  },
});
