import { z } from "zod";
import { isUnavailable } from "../../../../src/evidence/github.js";
import { defineRepoCheck, need } from "../../../lib/github.js";

const classicSchema = z
  .object({
    required_pull_request_reviews: z.object({ required_approving_review_count: z.number().optional() }).passthrough().optional(),
    allow_force_pushes: z.object({ enabled: z.boolean() }).optional(),
    allow_deletions: z.object({ enabled: z.boolean() }).optional(),
  })
  .passthrough();

export default defineRepoCheck({
  id: "github.repo.default-branch-protected",
  title: "Default branches require reviewed pull requests and refuse force pushes and deletion",
  severity: "high",
  controls: [
    { control: "A.8.32", rationale: "Reviewed pull requests are the change-management gate for code." },
    { control: "A.8.4", rationale: "Protection decides who can change the code that ships." },
    { control: "A.8.25", rationale: "Peer review is part of a secure development life cycle." },
  ],
  remediation:
    "Add a branch ruleset (or classic branch protection) on the default branch: require a pull request with the configured number of approvals, block force pushes, restrict deletions.",
  settings: z.object({ minApprovals: z.number().int().min(0).default(1).describe("Approving reviews a pull request needs.") }).strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    if (repo.empty || !repo.defaultBranch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no default branch to protect.` };
    const rules = need(repo.rules);
    const classic = isUnavailable(repo.protection) ? undefined : repo.protection === null ? null : classicSchema.parse(repo.protection);
    const ruleApprovals = Math.max(
      -1,
      ...rules.filter((r) => r.type === "pull_request").map((r) => Number((r.parameters as { required_approving_review_count?: number } | undefined)?.required_approving_review_count ?? 0)),
    );
    const classicApprovals = classic?.required_pull_request_reviews ? (classic.required_pull_request_reviews.required_approving_review_count ?? 0) : -1;
    const approvals = Math.max(ruleApprovals, classicApprovals);
    const forcePushBlocked = rules.some((r) => r.type === "non_fast_forward") || (classic ? classic.allow_force_pushes?.enabled !== true : false);
    const deletionBlocked = rules.some((r) => r.type === "deletion") || (classic ? classic.allow_deletions?.enabled !== true : false);
    const gaps = [
      approvals < 0 ? "no pull request is required" : approvals < settings.minApprovals ? `pull requests need ${approvals} approvals (required ${settings.minApprovals})` : null,
      forcePushBlocked ? null : "force pushes are allowed",
      deletionBlocked ? null : "the branch can be deleted",
    ].filter((g): g is string => g !== null);
    const via = [classic ? "branch protection" : null, rules.length > 0 ? "rulesets" : null].filter(Boolean).join(" and ") || "nothing";
    if (gaps.length === 0) return { status: "pass", reason: `The default branch ${repo.defaultBranch} of ${name} is protected by ${via}: reviewed pull requests, no force pushes, no deletion.` };
    // Classic protection could not be read: what rulesets show is not the whole picture.
    if (classic === undefined) need(repo.protection);
    return via === "nothing"
      ? { status: "fail", reason: `The default branch ${repo.defaultBranch} of ${name} has no branch protection or ruleset: ${gaps.join("; ")}.` }
      : { status: "fail", reason: `The default branch ${repo.defaultBranch} of ${name} is not protected enough (${via}): ${gaps.join("; ")}.` };
  },
});
