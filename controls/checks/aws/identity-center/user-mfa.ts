import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import type { FindingDraft } from "../../../../src/domain.js";
import { IDENTITY_CENTER_EVIDENCE, identityCenterEvidenceSchema, instanceLabel } from "../../../../src/evidence/aws-identity-center.js";

/**
 * A gap shown as a gap: no public AWS API (sso-admin, identitystore) returns an Identity Center
 * user's MFA devices or the instance's MFA settings. So this check never passes and never guesses:
 * an instance with users who can sign in is one `error` finding saying how many cannot be judged.
 */
export default defineCheck({
  id: "aws.identity-center.user-mfa",
  title: "MFA of IAM Identity Center users can be shown (no AWS API exposes it)",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.5",
      rationale:
        "“Secure authentication technologies … shall be implemented”: people signing in through Identity Center are outside the IAM credential report, and no AWS API shows their MFA, so this names how many users' authentication cannot be judged from evidence. It never shows that MFA is in place.",
    },
  ],
  remediation:
    "Require MFA in the Identity Center console (Settings > Authentication > Multi-factor authentication: every time they sign in) or in the external identity provider, and file a screenshot or export of that setting with `isms-agent evidence add --control A.8.5`.",
  requires: [IDENTITY_CENTER_EVIDENCE.users],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IDENTITY_CENTER_EVIDENCE.users, identityCenterEvidenceSchema);
    const account = evidence.scope.account;
    return data.instances.flatMap((instance): FindingDraft[] => {
      const label = instanceLabel(instance);
      if (instance.notListed !== null) return [];
      if (instance.users === null) {
        return [
          {
            resourceId: instance.instanceArn,
            status: "error",
            reason: `The users of Identity Center instance ${label} in account ${account} were not listed.`,
          },
        ];
      }
      // Disabled users cannot sign in; any other status (or none) may.
      const canSignIn = instance.users.filter((u) => u.userStatus !== "DISABLED").length;
      if (canSignIn === 0) {
        return [
          {
            resourceId: instance.instanceArn,
            status: "not_applicable",
            reason: `Identity Center instance ${label} in account ${account} has no user who can sign in.`,
          },
        ];
      }
      return [
        {
          resourceId: instance.instanceArn,
          status: "error",
          reason: `The MFA of ${canSignIn} ${canSignIn === 1 ? "user" : "users"} of Identity Center instance ${label} in account ${account} cannot be read: no AWS API returns an Identity Center user's MFA devices or the instance's MFA settings, so they are counted neither with nor without MFA.`,
        },
      ];
    });
  },
});
