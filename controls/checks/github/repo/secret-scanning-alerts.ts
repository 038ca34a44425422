import { z } from "zod";
import { isoDay } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, secretScanningAlertsEvidenceSchema } from "../../../../src/evidence/github.js";
import { defineRepoCheck, githubDate, need, readOrgEvidence } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.secret-scanning-alerts",
  title: "No secret scanning alert is left open",
  severity: "high",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "Authentication information is managed “by a management process”: an open alert is a credential found in code and not yet revoked and resolved. Secrets the scanner does not recognise are not in this evidence.",
    },
    {
      control: "A.8.12",
      rationale:
        "“Data leakage prevention measures shall be applied”: detecting a leaked secret is only half; the alert shows whether the leak was dealt with.",
    },
  ],
  remediation: "Revoke and rotate each exposed secret, then close its alert in the repository's Security tab with the resolution.",
  alsoRequires: [GITHUB_EVIDENCE.secretScanningAlerts],
  settings: z.object({}).strict(),
  judge(repo, _settings, { org, evidence }) {
    const name = `${org}/${repo.name}`;
    const { alerts } = readOrgEvidence(evidence, GITHUB_EVIDENCE.secretScanningAlerts, secretScanningAlertsEvidenceSchema);
    // Asked for open alerts; one that says it is resolved (as GitHub writes it) does not count, one of any other state does.
    const open = need(alerts).filter((a) => a.repository.name === repo.name && (a.state ?? "open") !== "resolved");
    if (open.length === 0) return { status: "pass", reason: `Repository ${name} has no open secret scanning alert.` };
    const list = open
      .map((a) => {
        const created = githubDate(a.created_at);
        return `#${a.number} ${a.secret_type_display_name ?? a.secret_type ?? "secret"}${created ? ` open since ${isoDay(created)}` : ""}`;
      })
      .join(", ");
    return { status: "fail", reason: `Repository ${name} has open secret scanning alerts: ${list}.` };
  },
});
