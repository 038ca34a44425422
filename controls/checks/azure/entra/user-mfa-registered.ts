import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_EVIDENCE, registrationDetailsEvidenceSchema } from "../../../../src/evidence/azure.js";

export default defineCheck({
  id: "azure.entra.user-mfa-registered",
  title: "Entra ID users are registered for MFA",
  severity: "high",
  sourceType: "azure",
  controls: [
    {
      control: "A.8.5",
      rationale:
        "A second factor is what makes sign-in to Entra ID secure authentication. Registration is evidence that each user has one enrolled, not that sign-ins require it: Conditional Access enforces that.",
    },
    {
      control: "A.5.17",
      rationale:
        "Registering strong methods (authenticator app, FIDO2 key) is part of allocating and managing authentication information: it shows each member has been given more than a password.",
    },
  ],
  remediation:
    "Require MFA registration (Conditional Access or the registration campaign) and follow up with each listed user; administrators first. Registration alone does not make sign-ins use MFA: enforce it with a Conditional Access policy.",
  requires: [AZURE_EVIDENCE.registrationDetails],
  settings: z.object({ includeGuests: z.boolean().default(false).describe("Judge guest users too.") }).strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_EVIDENCE.registrationDetails, registrationDetailsEvidenceSchema);
    return data.users.map((user): FindingDraft => {
      const role = user.isAdmin ? "administrator" : "user";
      // A guest's MFA may come from their home tenant, which this tenant cannot see; shown, not judged.
      if (!settings.includeGuests && (user.userType ?? "member").toLowerCase() === "guest") {
        return {
          resourceId: user.id,
          status: "not_applicable",
          reason: `Guest ${role} ${user.userPrincipalName} is not judged: a guest's MFA may be enforced by their home tenant, which this tenant's registration details do not show (set includeGuests to judge guests).`,
        };
      }
      const who = `${user.isAdmin ? "Administrator" : "User"} ${user.userPrincipalName}`;
      return user.isMfaRegistered === true
        ? {
            resourceId: user.id,
            status: "pass",
            reason: `${who} is registered for MFA; registration shows a second factor is enrolled, not that sign-ins require it (Conditional Access enforces that).`,
          }
        : { resourceId: user.id, status: "fail", reason: `${who} is not registered for MFA.` };
    });
  },
});
