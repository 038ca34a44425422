import { z } from "zod";
import { defineRepoCheck } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.public-visibility",
  title: "Only allow-listed repositories are public",
  severity: "high",
  controls: [
    {
      control: "A.5.12",
      rationale:
        "Information “shall be classified according to the information security needs of the organization”: the allow list records which repositories were classified public.",
    },
    {
      control: "A.8.3",
      rationale:
        "Access “shall be restricted in accordance with the established topic-specific policy on access control”: a public repository gives everyone its code and history.",
    },
    {
      control: "A.8.4",
      rationale: "“Read and write access to source code … shall be appropriately managed”: making a repository public grants read access to the world.",
    },
  ],
  remediation: "Make the repository private or internal, or add it to checks.github.repo.public-visibility.allow once its publication is approved.",
  settings: z.object({ allow: z.array(z.string()).default([]).describe("Repositories approved to be public (names).") }).strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    // Only what GitHub documents: an unknown visibility is not evidence of a private repository.
    if (repo.visibility === "private" || repo.visibility === "internal") return { status: "pass", reason: `Repository ${name} is ${repo.visibility}.` };
    if (repo.visibility !== "public")
      return { status: "error", reason: `Repository ${name} has a visibility GitHub does not document ("${repo.visibility}"), so it cannot be judged.` };
    return settings.allow.includes(repo.name)
      ? { status: "pass", reason: `Repository ${name} is public, as approved in the allow list.` }
      : { status: "fail", reason: `Repository ${name} is public and not in the allow list of approved public repositories.` };
  },
});
