import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, orgHooksEvidenceSchema } from "../../../../src/evidence/github.js";
import { readRepos } from "../../../lib/github.js";

export default defineCheck({
  id: "github.org.webhooks-tls",
  title: "Webhooks verify TLS certificates",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.5.14",
      rationale:
        "Transfer rules must be “in place for all types of transfer facilities”: webhooks send the organization's events to other systems, and must do so over verified TLS.",
    },
    { control: "A.8.24", rationale: "Cryptography must be used “effectively”: TLS without certificate verification can be intercepted by anyone on the path." },
  ],
  remediation: "Edit each listed webhook and enable SSL verification; fix the receiver's certificate instead of disabling checks.",
  requires: [GITHUB_EVIDENCE.orgHooks, GITHUB_EVIDENCE.repos],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const org = evidence.scope.account;
    const findings: FindingDraft[] = [];
    const judge = (where: string, hooks: { id: number; config: { url?: string | undefined; insecure_ssl?: string | number | undefined } }[]) => {
      for (const hook of hooks) {
        const setting = String(hook.config.insecure_ssl ?? "0");
        const insecure = setting === "1";
        // The hook URL can carry credentials in its query: name the host only.
        const host = hook.config.url ? (URL.canParse(hook.config.url) ? new URL(hook.config.url).host : "an unreadable URL") : "an unknown URL";
        // GitHub documents "0" and "1" only; anything else is not evidence that SSL is verified.
        if (setting !== "0" && !insecure) {
          findings.push({
            resourceId: `${where}/hooks/${hook.id}`,
            status: "error",
            reason: `Webhook ${hook.id} of ${where} to ${host} has an insecure_ssl setting GitHub does not document (${JSON.stringify(hook.config.insecure_ssl)}), so it cannot be judged.`,
          });
          continue;
        }
        findings.push({
          resourceId: `${where}/hooks/${hook.id}`,
          status: insecure ? "fail" : "pass",
          reason: `Webhook ${hook.id} of ${where} to ${host} ${insecure ? "has SSL verification disabled" : "verifies SSL certificates"}.`,
        });
      }
    };
    const orgHooks = readEvidence(evidence, GITHUB_EVIDENCE.orgHooks, orgHooksEvidenceSchema).data.hooks;
    if (isUnavailable(orgHooks))
      findings.push({
        resourceId: `org/${org}/hooks`,
        status: "error",
        reason: `The webhooks of organization ${org} cannot be read: ${orgHooks.unavailable}.`,
      });
    else judge(org, orgHooks);
    for (const repo of readRepos(evidence)) {
      if (repo.archived) continue;
      if (isUnavailable(repo.hooks))
        findings.push({
          resourceId: `${org}/${repo.name}/hooks`,
          status: "error",
          reason: `The webhooks of ${org}/${repo.name} cannot be read: ${repo.hooks.unavailable}.`,
        });
      else judge(`${org}/${repo.name}`, repo.hooks);
    }
    return findings;
  },
});
