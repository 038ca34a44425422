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

/** Conditions that leave some sign-ins of the user without the policy. */
function narrowing(policy: ConditionalAccessPolicy): string | undefined {
  const c = policy.conditions as Record<string, unknown> & { clientAppTypes: string[] };
  if (!c.clientAppTypes.includes("all")) return `applies only to the client apps ${c.clientAppTypes.join(", ")}`;
  if (c["platforms"]) return "applies only to some device platforms";
  const locations = c["locations"] as { includeLocations?: string[]; excludeLocations?: string[] } | null | undefined;
  if (locations && ((locations.excludeLocations ?? []).length > 0 || !(locations.includeLocations ?? ["All"]).includes("All")))
    return "applies only from some locations";
  for (const risk of ["userRiskLevels", "signInRiskLevels"]) if (((c[risk] as unknown[] | undefined) ?? []).length > 0) return "applies only to risky sign-ins";
  return undefined;
}

export default defineCheck({
  id: "azure.entra.mfa-enforced",
  title: "Entra ID sign-ins require MFA for every user",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.5",
      rationale:
        "“Secure authentication technologies and procedures shall be implemented”: security defaults, or an enabled Conditional Access policy requiring MFA for all cloud apps, make every sign-in of the user use a second factor. It shows enforcement at Entra ID, not the strength of each method or sign-in to apps outside Entra.",
    },
  ],
  remediation:
    "Turn on security defaults, or create an enabled Conditional Access policy for All users and All cloud apps granting access only with MFA (or an authentication strength), excluding only the break-glass accounts listed in this check's breakGlassAccounts setting.",
  requires: [ENTRA_EVIDENCE.conditionalAccess, ENTRA_EVIDENCE.users],
  settings: z
    .object({
      breakGlassAccounts: z
        .array(z.string())
        .default([])
        .describe("Object ids of emergency-access users (or a group holding them) that policies may exclude; such users are shown, not judged."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data: access } = readEvidence(evidence, ENTRA_EVIDENCE.conditionalAccess, conditionalAccessEvidenceSchema);
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.users, usersEvidenceSchema);
    const breakGlass = new Set(settings.breakGlassAccounts);
    return data.users.map((user): FindingDraft => {
      const unjudged = unjudgedUser(user, breakGlass, "MFA policies");
      if (unjudged) return unjudged;
      const who = userLabel(user);
      if (access.securityDefaults.isEnabled)
        return { resourceId: user.id, status: "pass", reason: `${who} must use MFA: the tenant's security defaults are on.` };
      if (isUnlicensed(access.policies))
        return {
          resourceId: user.id,
          status: "error",
          reason: `Whether ${who} must use MFA cannot be told: security defaults are off and Conditional Access could not be read (${access.policies.unlicensed}).`,
        };
      const coverage = coverageOf(user, access.policies, (p) => grantRequires(p, ["mfa"]), narrowing, breakGlass);
      if (coverage.by)
        return {
          resourceId: user.id,
          status: "pass",
          reason: `${who} must use MFA to sign in to all cloud apps: Conditional Access policy "${coverage.by}" requires it.`,
        };
      return {
        resourceId: user.id,
        status: "fail",
        reason: `${who} is not shown to need MFA to sign in: security defaults are off and no enabled Conditional Access policy requires MFA for this user on all cloud apps${coverage.gaps.length > 0 ? ` (${coverage.gaps.join("; ")})` : ""}.`,
      };
    });
  },
});
