import { z } from "zod";
import { defineRepoCheck, judgeBranchRequirement, ruleFlag } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.code-owner-review",
  title: "Default branches require review from code owners",
  severity: "medium",
  controls: [
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: with code-owner review, a change to code reaches the branch only with the approval of the people named as its owners. Whether a CODEOWNERS file names the right people is not in this evidence.",
    },
  ],
  remediation: "Add a CODEOWNERS file and, in the default branch's ruleset (or classic protection), require review from code owners.",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    return judgeBranchRequirement(repo, org, {
      what: "review from code owners",
      byClassic: (p) => p.required_pull_request_reviews?.require_code_owner_reviews === true,
      byRule: (r) => ruleFlag(r, "pull_request", "require_code_owner_review"),
    });
  },
});
