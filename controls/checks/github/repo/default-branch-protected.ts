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
    { control: "A.8.32", rationale: "Changes “shall be subject to change management procedures”: a reviewed pull request is that procedure for code." },
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: protection decides who can change the code that ships, and keeps its history from being rewritten.",
    },
    {
      control: "A.8.25",
      rationale:
        "“Rules for the secure development of software and systems shall be established and applied”: required review is such a rule, applied by the platform.",
    },
  ],
  remediation:
    "Add a branch ruleset (or classic branch protection) on the default branch: require a pull request with the configured number of approvals, block force pushes, restrict deletions.",
  settings: z.object({ minApprovals: z.number().int().min(0).default(1).describe("Approving reviews a pull request needs.") }).strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    if (repo.empty || !repo.defaultBranch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no default branch to protect.` };
    const rules = need(repo.rules);
    const classic = isUnavailable(repo.protection) ? undefined : repo.protection === null ? null : classicSchema.parse(repo.protection);
    const ruleCounts = rules.filter((r) => r.type === "pull_request").map((r) => r.parameters?.["required_approving_review_count"] ?? 0);
    // A count that is not a whole number (a string, 1.5) cannot be compared honestly: Number() would make NaN or guess.
    const unreadable = ruleCounts.find((n) => typeof n !== "number" || !Number.isInteger(n) || n < 0);
    if (unreadable !== undefined) {
      return {
        status: "error",
        reason: `The default branch ${repo.defaultBranch} of ${name} has a pull request ruleset whose required approvals cannot be read (${JSON.stringify(unreadable)}).`,
      };
    }
    const ruleApprovals = Math.max(-1, ...ruleCounts.filter((n): n is number => typeof n === "number"));
    const classicApprovals = classic?.required_pull_request_reviews ? (classic.required_pull_request_reviews.required_approving_review_count ?? 0) : -1;
    const approvals = Math.max(ruleApprovals, classicApprovals);
    const forcePushBlocked = rules.some((r) => r.type === "non_fast_forward") || (classic ? classic.allow_force_pushes?.enabled !== true : false);
    const deletionBlocked = rules.some((r) => r.type === "deletion") || (classic ? classic.allow_deletions?.enabled !== true : false);
    const gaps = [
      approvals < 0
        ? "no pull request is required"
        : approvals < settings.minApprovals
          ? `pull requests need ${approvals} approvals (required ${settings.minApprovals})`
          : null,
      forcePushBlocked ? null : "force pushes are allowed",
      deletionBlocked ? null : "the branch can be deleted",
    ].filter((g): g is string => g !== null);
    const via = [classic ? "branch protection" : null, rules.length > 0 ? "rulesets" : null].filter(Boolean).join(" and ") || "nothing";
    if (gaps.length === 0)
      return {
        status: "pass",
        reason: `The default branch ${repo.defaultBranch} of ${name} is protected by ${via}: reviewed pull requests, no force pushes, no deletion.`,
      };
    // Classic protection could not be read: what rulesets show is not the whole picture.
    if (classic === undefined) need(repo.protection);
    return via === "nothing"
      ? { status: "fail", reason: `The default branch ${repo.defaultBranch} of ${name} has no branch protection or ruleset: ${gaps.join("; ")}.` }
      : { status: "fail", reason: `The default branch ${repo.defaultBranch} of ${name} is not protected enough (${via}): ${gaps.join("; ")}.` };
  },
});
