import { z } from "zod";
import { defineRepoCheck, judgeBranchRequirement, ruleFlag } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.last-push-approval",
  title: "The most recent push to a pull request must be approved by someone else",
  severity: "medium",
  controls: [
    {
      control: "A.5.3",
      rationale:
        "“Conflicting duties and conflicting areas of responsibility shall be segregated”: the person who pushed the last change cannot be the one who approves it, so writing and approving code stay with two people.",
    },
  ],
  remediation: "In the default branch's ruleset (or classic protection), require approval of the most recent reviewable push.",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    return judgeBranchRequirement(repo, org, {
      what: "approval of the most recent push by someone other than its author",
      byClassic: (p) => p.required_pull_request_reviews?.require_last_push_approval === true,
      byRule: (r) => ruleFlag(r, "pull_request", "require_last_push_approval"),
    });
  },
});
