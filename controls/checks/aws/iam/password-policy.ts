import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, passwordPolicyEvidenceSchema } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.password-policy",
  title: "The account password policy meets the minimums",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "Authentication information must be “controlled by a management process”: the password policy is how the account enforces password quality and reuse rules.",
    },
  ],
  remediation:
    "Set the account password policy (IAM console > Account settings > Password policy, or `aws iam update-account-password-policy`) to at least the configured minimums.",
  requires: [IAM_EVIDENCE.passwordPolicy],
  settings: z
    .object({
      minimumLength: z.number().int().min(6).max(128).default(14).describe("Shortest password allowed."),
      requireSymbols: z.boolean().default(true),
      requireNumbers: z.boolean().default(true),
      requireUppercase: z.boolean().default(true),
      requireLowercase: z.boolean().default(true),
      reusePrevention: z.number().int().min(0).max(24).default(24).describe("How many previous passwords may not be reused (0: not required)."),
      maxAgeDays: z.number().int().positive().nullable().default(null).describe("Longest a password may live, in days; null: expiry not required."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.passwordPolicy, passwordPolicyEvidenceSchema);
    const account = evidence.scope.account;
    const resourceId = `arn:aws:iam::${account}:account-password-policy`;
    const policy = data.passwordPolicy;
    if (!policy) {
      return [{ resourceId, status: "fail", reason: `Account ${account} has no IAM password policy, so AWS defaults apply (8 characters, no complexity).` }];
    }
    const gaps: string[] = [];
    const length = policy.MinimumPasswordLength ?? 8;
    if (length < settings.minimumLength) gaps.push(`minimum length is ${length} (required ${settings.minimumLength})`);
    if (settings.requireSymbols && !policy.RequireSymbols) gaps.push("symbols are not required");
    if (settings.requireNumbers && !policy.RequireNumbers) gaps.push("numbers are not required");
    if (settings.requireUppercase && !policy.RequireUppercaseCharacters) gaps.push("uppercase letters are not required");
    if (settings.requireLowercase && !policy.RequireLowercaseCharacters) gaps.push("lowercase letters are not required");
    const reuse = policy.PasswordReusePrevention ?? 0;
    if (reuse < settings.reusePrevention) gaps.push(`reuse prevention remembers ${reuse} passwords (required ${settings.reusePrevention})`);
    if (settings.maxAgeDays !== null) {
      // MaxPasswordAge absent or 0 means passwords never expire (ExpirePasswords mirrors it).
      const maxAge = policy.MaxPasswordAge && policy.MaxPasswordAge > 0 ? policy.MaxPasswordAge : undefined;
      if (maxAge === undefined) gaps.push(`passwords never expire (required within ${settings.maxAgeDays} days)`);
      else if (maxAge > settings.maxAgeDays) gaps.push(`passwords expire after ${maxAge} days (required within ${settings.maxAgeDays})`);
    }
    return gaps.length === 0
      ? [{ resourceId, status: "pass", reason: `The password policy of account ${account} meets every configured minimum.` }]
      : [{ resourceId, status: "fail", reason: `The password policy of account ${account} falls short: ${gaps.join("; ")}.` }];
  },
});
