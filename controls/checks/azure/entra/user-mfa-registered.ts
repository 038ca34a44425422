import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { AZURE_EVIDENCE, registrationDetailsEvidenceSchema } from "../../../../src/evidence/azure.js";

export default defineCheck({
  id: "azure.entra.user-mfa-registered",
  title: "Entra ID users are registered for MFA",
  severity: "high",
  sourceType: "azure",
  controls: [
    { control: "A.5.17", rationale: "MFA protects the password, the authentication information the control is about." },
    { control: "A.8.5", rationale: "A second factor is what makes sign-in to Entra ID secure authentication." },
  ],
  remediation:
    "Require MFA registration (Conditional Access or the registration campaign) and follow up with each listed user; administrators first.",
  requires: [AZURE_EVIDENCE.registrationDetails],
  settings: z.object({ includeGuests: z.boolean().default(false).describe("Judge guest users too.") }).strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AZURE_EVIDENCE.registrationDetails, registrationDetailsEvidenceSchema);
    return data.users
      .filter((u) => settings.includeGuests || (u.userType ?? "member").toLowerCase() !== "guest")
      .map((user) => {
        const who = `${user.isAdmin ? "Administrator" : "User"} ${user.userPrincipalName}`;
        return user.isMfaRegistered === true
          ? { resourceId: user.id, status: "pass" as const, reason: `${who} is registered for MFA.` }
          : { resourceId: user.id, status: "fail" as const, reason: `${who} is not registered for MFA.` };
      });
  },
});
