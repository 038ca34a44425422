import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import {
  conditionalAccessEvidenceSchema,
  ENTRA_EVIDENCE,
  isUnlicensed,
  usersEvidenceSchema,
  type ConditionalAccessPolicy,
} from "../../../../src/evidence/azure-graph.js";
import { coverageOf, grantRequires, unjudgedUser, userLabel } from "../../../lib/entra.js";

/** Legacy authentication in Conditional Access: Exchange ActiveSync and "other" clients (IMAP, POP, SMTP AUTH…). */
const LEGACY = ["exchangeActiveSync", "other"];

export default defineCheck({
  id: "azure.entra.legacy-auth-blocked",
  title: "Entra ID blocks legacy authentication for every user",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.5",
      rationale:
        "“Secure authentication technologies and procedures shall be implemented”: legacy protocols (IMAP, POP, SMTP AUTH, ActiveSync basic auth) cannot do MFA, so blocking them (security defaults, or an enabled Conditional Access policy blocking those client apps) closes the way around it. It does not show which legacy clients still try.",
    },
  ],
  remediation:
    "Turn on security defaults, or create an enabled Conditional Access policy for All users and All cloud apps with the client apps Exchange ActiveSync and Other clients and the grant Block access, excluding only break-glass accounts.",
  requires: [ENTRA_EVIDENCE.conditionalAccess, ENTRA_EVIDENCE.users],
  settings: z
    .object({
      breakGlassAccounts: z.array(z.string()).default([]).describe("Object ids of emergency-access users (or a group holding them) that policies may exclude."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data: access } = readEvidence(evidence, ENTRA_EVIDENCE.conditionalAccess, conditionalAccessEvidenceSchema);
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.users, usersEvidenceSchema);
    const breakGlass = new Set(settings.breakGlassAccounts);
    const blocksLegacy = (p: ConditionalAccessPolicy) => grantRequires(p, ["block"]) && LEGACY.every((t) => p.conditions.clientAppTypes.includes(t));
    return data.users.map((user): FindingDraft => {
      const unjudged = unjudgedUser(user, breakGlass, "policies");
      if (unjudged) return unjudged;
      const who = userLabel(user);
      if (access.securityDefaults.isEnabled)
        return { resourceId: user.id, status: "pass", reason: `${who} cannot use legacy authentication: the tenant's security defaults block it.` };
      if (isUnlicensed(access.policies))
        return {
          resourceId: user.id,
          status: "error",
          reason: `Whether ${who} can use legacy authentication cannot be told: security defaults are off and Conditional Access could not be read (${access.policies.unlicensed}).`,
        };
      // Client apps are the condition here, so no other narrowing is accepted.
      const coverage = coverageOf(
        user,
        access.policies,
        blocksLegacy,
        (p) => ((p.conditions as Record<string, unknown>)["platforms"] ? "applies only to some device platforms" : undefined),
        breakGlass,
      );
      if (coverage.by)
        return {
          resourceId: user.id,
          status: "pass",
          reason: `${who} cannot use legacy authentication: Conditional Access policy "${coverage.by}" blocks Exchange ActiveSync and other clients.`,
        };
      return {
        resourceId: user.id,
        status: "fail",
        reason: `${who} may still sign in with legacy authentication: security defaults are off and no enabled Conditional Access policy blocks Exchange ActiveSync and other clients for this user${coverage.gaps.length > 0 ? ` (${coverage.gaps.join("; ")})` : ""}.`,
      };
    });
  },
});
