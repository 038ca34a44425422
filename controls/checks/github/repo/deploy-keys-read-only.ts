import { z } from "zod";
import { defineRepoCheck, need } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.deploy-keys-read-only",
  title: "Deploy keys are read-only",
  severity: "medium",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "Privileged access rights “shall be restricted and managed”: a read-write deploy key is a standing credential that can push with no person behind it.",
    },
    {
      control: "A.8.4",
      rationale:
        "“Read and write access to source code … shall be appropriately managed”: a read-write deploy key can push code, outside review where branches are not protected.",
    },
  ],
  remediation: "Replace read-write deploy keys with read-only ones, or with a GitHub App whose permissions are reviewed; allow-list the few that must write.",
  settings: z.object({ allow: z.array(z.string()).default([]).describe("Deploy key titles allowed to write.") }).strict(),
  judge(repo, settings, { org }) {
    const name = `${org}/${repo.name}`;
    const writable = need(repo.deployKeys).filter((k) => !k.read_only && !settings.allow.includes(k.title ?? ""));
    return writable.length === 0
      ? { status: "pass", reason: `Repository ${name} has no read-write deploy key outside the allow list.` }
      : { status: "fail", reason: `Repository ${name} has read-write deploy keys: ${writable.map((k) => k.title ?? `#${k.id}`).join(", ")}.` };
  },
});
