import { z } from "zod";
import { defineRepoCheck, judgeBranchRequirement } from "../../../lib/github.js";

const nonEmpty = (value: unknown) => Array.isArray(value) && value.length > 0;

export default defineRepoCheck({
  id: "github.repo.required-status-checks",
  title: "Default branches require status checks to pass before merging",
  severity: "medium",
  controls: [
    {
      control: "A.8.29",
      rationale:
        "“Security testing processes shall be defined and implemented in the development life cycle”: required status checks make the configured tests a gate every change passes; which tests they run (and whether they test security) is not in this evidence.",
    },
  ],
  remediation:
    "In the default branch's ruleset (or classic protection), require status checks to pass, naming the CI and security-testing jobs (tests, code scanning, dependency review).",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    return judgeBranchRequirement(repo, org, {
      what: "status checks to pass before merging",
      byClassic: (p) => nonEmpty(p.required_status_checks?.contexts) || nonEmpty(p.required_status_checks?.checks),
      byRule: (r) => r.type === "required_status_checks" && nonEmpty(r.parameters?.["required_status_checks"]),
    });
  },
});
