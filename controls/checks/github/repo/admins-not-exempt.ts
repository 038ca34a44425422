import { z } from "zod";
import { isUnavailable } from "../../../../src/evidence/github.js";
import { classicProtection, defineRepoCheck, isJudgement, need } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.admins-not-exempt",
  title: "Default branch protection applies to administrators too, and rulesets have no bypass list",
  severity: "medium",
  controls: [
    {
      control: "A.8.32",
      rationale:
        "Changes “shall be subject to change management procedures”: protection that administrators or listed bypass actors can skip lets changes reach the branch outside that procedure.",
    },
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: who may write to the default branch without review is part of that access; here, nobody.",
    },
  ],
  remediation:
    "In classic branch protection, enable “Do not allow bypassing the above settings” (enforce_admins); remove bypass actors from the default branch's rulesets, or record an exception for the few that need it.",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    const name = `${org}/${repo.name}`;
    const branch = repo.defaultBranch;
    if (repo.empty || !branch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no default branch to protect.` };
    const rules = need(repo.rules);
    const classic = classicProtection(repo, name);
    if (isJudgement(classic)) return classic;
    if (classic === null && rules.length === 0)
      return { status: "fail", reason: `The default branch ${branch} of ${name} has no branch protection or ruleset, so nothing binds administrators.` };
    const gaps: string[] = [];
    if (classic && classic.enforce_admins?.enabled !== true) gaps.push("its branch protection does not apply to administrators (enforce_admins is off)");
    if (rules.length > 0) {
      if (repo.rulesets === undefined) return { status: "error", reason: `The rulesets of ${name} were not collected, so who may bypass them is unknown.` };
      for (const ruleset of need(repo.rulesets)) {
        const label = `ruleset ${ruleset.name ? `"${ruleset.name}"` : `#${ruleset.id}`}`;
        if (!ruleset.bypass_actors)
          return {
            status: "error",
            reason: `GitHub did not show who may bypass ${label} of ${name}: it shows bypass lists only to a token with write access to the ruleset.`,
          };
        const actors = ruleset.bypass_actors.map(
          (a) => `${a.actor_type}${a.actor_id === null || a.actor_id === undefined ? "" : ` ${a.actor_id}`} (${a.bypass_mode ?? "always"})`,
        );
        if (actors.length > 0) gaps.push(`${label} can be bypassed by ${actors.join(", ")}`);
      }
    }
    if (gaps.length > 0)
      return { status: "fail", reason: `The default branch ${branch} of ${name} can be changed without its protection: ${gaps.join("; ")}.` };
    // Rulesets bind everyone, but classic protection could not be read: it may exempt administrators.
    if (classic === undefined && isUnavailable(repo.protection)) need(repo.protection);
    const via = [classic ? "branch protection (enforced for administrators)" : null, rules.length > 0 ? "rulesets with no bypass list" : null]
      .filter(Boolean)
      .join(" and ");
    return { status: "pass", reason: `The default branch ${branch} of ${name} is protected for everyone, administrators included: ${via}.` };
  },
});
