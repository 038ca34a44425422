import { z } from "zod";
import { daysBetween, isoDay } from "../../../../src/engine/check.js";
import { defineRepoCheck, githubDate, need } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.code-scanning-enabled",
  title: "Code scanning analyses the repository regularly",
  severity: "medium",
  controls: [
    {
      control: "A.8.29",
      rationale:
        "“Security testing processes shall be defined and implemented in the development life cycle”: a recent code scanning analysis shows static security testing runs on the code. Other testing (dynamic, penetration) is not in this evidence.",
    },
    {
      control: "A.8.28",
      rationale: "“Secure coding principles shall be applied to software development”: code scanning checks the code against known insecure patterns.",
    },
  ],
  remediation: "Enable code scanning (default setup, or a CodeQL or third-party SARIF workflow) and keep it running on pushes and on a schedule.",
  settings: z
    .object({ maxAgeDays: z.number().int().min(1).default(30).describe("Days since the latest analysis after which scanning counts as stopped.") })
    .strict(),
  judge(repo, settings, { org, now }) {
    const name = `${org}/${repo.name}`;
    if (repo.empty || !repo.defaultBranch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no code to scan.` };
    if (repo.codeScanningAnalyses === undefined) return { status: "error", reason: `The code scanning analyses of ${name} were not collected.` };
    const latest = need(repo.codeScanningAnalyses)[0];
    if (!latest) return { status: "fail", reason: `Repository ${name} has never been analysed by code scanning.` };
    const created = githubDate(latest.created_at);
    if (!created)
      return { status: "error", reason: `Repository ${name}'s latest code scanning analysis has a date that cannot be read ("${latest.created_at}").` };
    const age = daysBetween(created, now);
    const tool = latest.tool?.name ? ` by ${latest.tool.name}` : "";
    return age <= settings.maxAgeDays
      ? { status: "pass", reason: `Repository ${name} was last analysed by code scanning${tool} on ${isoDay(created)}.` }
      : {
          status: "fail",
          reason: `Repository ${name} was last analysed by code scanning${tool} on ${isoDay(created)}, more than ${settings.maxAgeDays} days ago.`,
        };
  },
});
