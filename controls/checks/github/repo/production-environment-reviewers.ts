import { z } from "zod";
import { defineRepoCheck, need } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.production-environment-reviewers",
  title: "Production deployment environments require a reviewer",
  severity: "high",
  controls: [
    {
      control: "A.8.31",
      rationale:
        "“Development, testing and production environments shall be separated and secured”: a production environment that only approved deployments reach is kept apart from the code's other environments. Whether the environments' infrastructure is separate is not in this evidence.",
    },
    {
      control: "A.8.32",
      rationale: "Changes “shall be subject to change management procedures”: a required reviewer approves each deployment to production.",
    },
  ],
  remediation: "Repository settings > Environments > the production environment: add required reviewers (and prevent self-review).",
  settings: z
    .object({
      productionPattern: z
        .string()
        .default("^(prod|production|live)([-_. /].*)?$")
        .describe("Environment names that are production (a regular expression, case-insensitive)."),
    })
    .strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    if (repo.environments === undefined) return { status: "error", reason: `The environments of ${name} were not collected.` };
    const pattern = new RegExp(settings.productionPattern, "i");
    const production = need(repo.environments).filter((e) => pattern.test(e.name));
    if (production.length === 0)
      return { status: "not_applicable", reason: `Repository ${name} has no production environment (none named like ${settings.productionPattern}).` };
    const unreviewed = production.filter((e) => !(e.protection_rules ?? []).some((r) => r.type === "required_reviewers" && (r.reviewers?.length ?? 0) > 0));
    const names = (list: typeof production) => list.map((e) => e.name).join(", ");
    return unreviewed.length === 0
      ? { status: "pass", reason: `Repository ${name} requires a reviewer for deployments to ${names(production)}.` }
      : { status: "fail", reason: `Repository ${name} deploys to ${names(unreviewed)} without a required reviewer.` };
  },
});
