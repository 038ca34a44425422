import { z } from "zod";
import { defineRepoCheck } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.secret-scanning",
  title: "Secret scanning and push protection are on",
  severity: "high",
  controls: [
    {
      control: "A.8.12",
      rationale: "“Data leakage prevention measures shall be applied”: secret scanning detects credentials leaking into code, and push protection stops them.",
    },
    {
      control: "A.8.28",
      rationale:
        "“Secure coding principles shall be applied to software development”: keeping credentials out of source code is one, enforced here at push time.",
    },
    {
      control: "A.5.17",
      rationale:
        "Authentication information is handled “by a management process”: a secret committed to a repository is authentication information out of that process's control.",
    },
  ],
  remediation: "Repository settings > Code security: enable secret scanning and push protection (or enable them for all repositories at organization level).",
  settings: z.object({}).strict(),
  judge(repo, _settings, { org }) {
    const name = `${org}/${repo.name}`;
    const sa = repo.securityAndAnalysis;
    if (!sa) return { status: "error", reason: `Repository ${name} does not show its security settings: reading them needs admin access to the repository.` };
    const scanning = sa["secret_scanning"]?.status === "enabled";
    const push = sa["secret_scanning_push_protection"]?.status === "enabled";
    if (scanning && push) return { status: "pass", reason: `Repository ${name} has secret scanning and push protection enabled.` };
    const off = [scanning ? null : "secret scanning", push ? null : "push protection"].filter(Boolean).join(" and ");
    return { status: "fail", reason: `Repository ${name} has ${off} disabled.` };
  },
});
