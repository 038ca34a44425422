import { z } from "zod";
import { defineRepoCheck, judgeBranchRequirement, ruleFlag } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.stale-reviews-dismissed",
  title: "Approvals are dismissed when new commits are pushed",
  severity: "medium",
  controls: [
    {
      control: "A.8.32",
      rationale:
        "Changes “shall be subject to change management procedures”: dismissing stale approvals means the approval covers the change that is merged, not an earlier version of it.",
    },
    {
      control: "A.5.3",
      rationale: "“Conflicting duties … shall be segregated”: without it, an author can add commits after another person approved and merge them unreviewed.",
    },
  ],
  remediation: "In the default branch's ruleset (or classic protection), dismiss stale pull request approvals when new commits are pushed.",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    return judgeBranchRequirement(repo, org, {
      what: "stale approvals to be dismissed when new commits are pushed",
      byClassic: (p) => p.required_pull_request_reviews?.dismiss_stale_reviews === true,
      byRule: (r) => ruleFlag(r, "pull_request", "dismiss_stale_reviews_on_push"),
    });
  },
});
