import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, orgHooksEvidenceSchema, reposEvidenceSchema } from "../../../../src/evidence/github.js";

export default defineCheck({
  id: "github.org.webhooks-tls",
  title: "Webhooks verify TLS certificates",
  severity: "medium",
  sourceType: "github",
  controls: [
    { control: "A.8.20", rationale: "A webhook without certificate checks can be intercepted on the network." },
    { control: "A.8.24", rationale: "TLS without verification is not effective cryptography." },
  ],
  remediation: "Edit each listed webhook and enable SSL verification; fix the receiver's certificate instead of disabling checks.",
  requires: [GITHUB_EVIDENCE.orgHooks, GITHUB_EVIDENCE.repos],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const findings: FindingDraft[] = [];
    const judge = (where: string, hooks: { id: number; config: { url?: string | undefined; insecure_ssl?: string | number | undefined } }[]) => {
      for (const hook of hooks) {
        const insecure = String(hook.config.insecure_ssl ?? "0") === "1";
        // The hook URL can carry credentials in its query: name the host only.
        const host = hook.config.url ? (URL.canParse(hook.config.url) ? new URL(hook.config.url).host : "an unreadable URL") : "an unknown URL";
        findings.push({
          resourceId: `${where}/hooks/${hook.id}`,
          status: insecure ? "fail" : "pass",
          reason: `Webhook ${hook.id} of ${where} to ${host} ${insecure ? "has SSL verification disabled" : "verifies SSL certificates"}.`,
        });
      }
    };
    const orgHooks = readEvidence(evidence, GITHUB_EVIDENCE.orgHooks, orgHooksEvidenceSchema).data.hooks;
    if (isUnavailable(orgHooks)) findings.push({ resourceId: `org/${org}/hooks`, status: "error", reason: `The webhooks of organization ${org} cannot be read: ${orgHooks.unavailable}.` });
    else judge(org, orgHooks);
    for (const repo of readEvidence(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).data.repos) {
      if (repo.archived) continue;
      if (isUnavailable(repo.hooks)) findings.push({ resourceId: `${org}/${repo.name}/hooks`, status: "error", reason: `The webhooks of ${org}/${repo.name} cannot be read: ${repo.hooks.unavailable}.` });
      else judge(`${org}/${repo.name}`, repo.hooks);
    }
    return findings;
  },
});
