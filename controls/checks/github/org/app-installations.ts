import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { GITHUB_EVIDENCE, installationsEvidenceSchema, isUnavailable } from "../../../../src/evidence/github.js";

/** Permissions that administer the organization or its repositories, or manage its people. */
const SENSITIVE = ["administration", "members", "organization_administration"];
const LEVELS = new Set(["read", "write", "admin"]);

export default defineCheck({
  id: "github.org.app-installations",
  title: "GitHub Apps with administrative rights or access to every repository are approved",
  severity: "medium",
  sourceType: "github",
  controls: [
    {
      control: "A.5.19",
      rationale:
        "Processes “shall be defined and implemented to manage the information security risks associated with the use of supplier's products or services”: an installed app is a supplier's product holding access; broad access must be approved (the allow list). The supplier's own security is not in this evidence.",
    },
    {
      control: "A.5.21",
      rationale:
        "Risks “associated with the ICT products and services supply chain” are managed: an app with write access to administration or members, or to every repository, is a supply-chain path into all the code.",
    },
  ],
  remediation:
    "Review each listed app: reduce its permissions or limit it to selected repositories, uninstall it if unused, or add its slug to checks.github.org.app-installations.allow once approved.",
  requires: [GITHUB_EVIDENCE.installations],
  settings: z.object({ allow: z.array(z.string()).default([]).describe("App slugs approved to hold broad access.") }).strict(),
  evaluate({ evidence, settings }) {
    const org = evidence.scope.account;
    const { installations } = readEvidence(evidence, GITHUB_EVIDENCE.installations, installationsEvidenceSchema).data;
    if (isUnavailable(installations))
      return [
        {
          resourceId: `org/${org}/installations`,
          status: "error",
          reason: `The GitHub Apps installed in organization ${org} cannot be read: ${installations.unavailable}.`,
        },
      ];
    if (installations.length === 0)
      return [{ resourceId: `org/${org}/installations`, status: "pass", reason: `Organization ${org} has no GitHub App installed.` }];
    return installations.map((app): FindingDraft => {
      const resourceId = `org/${org}/installations/${app.app_slug}`;
      const label = `GitHub App ${app.app_slug} (installation ${app.id}) in organization ${org}`;
      const unknown = Object.entries(app.permissions).filter(([, level]) => !LEVELS.has(level));
      // GitHub documents all and selected; a level other than read, write or admin cannot be judged.
      if ((app.repository_selection !== "all" && app.repository_selection !== "selected") || unknown.length > 0)
        return {
          resourceId,
          status: "error",
          reason: `${label} has access GitHub does not document (${JSON.stringify({ repository_selection: app.repository_selection, ...Object.fromEntries(unknown) })}).`,
        };
      const broad = [
        ...SENSITIVE.filter((p) => app.permissions[p] === "write" || app.permissions[p] === "admin").map((p) => `${p}: ${app.permissions[p] ?? ""}`),
        app.repository_selection === "all" ? "access to all repositories" : null,
      ].filter((x): x is string => x !== null);
      if (broad.length === 0)
        return { resourceId, status: "pass", reason: `${label} has access to selected repositories only and no write access to administration or members.` };
      return settings.allow.includes(app.app_slug)
        ? { resourceId, status: "pass", reason: `${label} has ${broad.join(", ")}, as approved in the allow list.` }
        : { resourceId, status: "fail", reason: `${label} has ${broad.join(", ")} and is not in the allow list.` };
    });
  },
});
