import { z } from "zod";
import { defineRepoCheck } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.public-visibility",
  title: "Only allow-listed repositories are public",
  severity: "high",
  controls: [
    { control: "A.5.12", rationale: "Publishing a repository is a classification decision that must be deliberate." },
    { control: "A.8.3", rationale: "A public repository gives everyone access to its code and history." },
  ],
  remediation: "Make the repository private or internal, or add it to checks.github.repo.public-visibility.allow once its publication is approved.",
  settings: z.object({ allow: z.array(z.string()).default([]).describe("Repositories approved to be public (names).") }).strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    if (repo.visibility !== "public") return { status: "pass", reason: `Repository ${name} is ${repo.visibility}.` };
    return settings.allow.includes(repo.name)
      ? { status: "pass", reason: `Repository ${name} is public, as approved in the allow list.` }
      : { status: "fail", reason: `Repository ${name} is public and not in the allow list of approved public repositories.` };
  },
});
