import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/password-policy.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { ACCOUNT, runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const policy = (passwordPolicy: unknown) => [stored(IAM_EVIDENCE.passwordPolicy, { passwordPolicy })];
const resourceId = `arn:aws:iam::${ACCOUNT}:account-password-policy`;

describe("aws.iam.password-policy", () => {
  it("compliant: a strong policy meets the defaults", () => {
    const strong = {
      MinimumPasswordLength: 16,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      PasswordReusePrevention: 24,
    };
    expect(runCheck(check, policy(strong), now)).toEqual([
      { resourceId, status: "pass", reason: `The password policy of account ${ACCOUNT} meets every configured minimum.` },
    ]);
  });

  it("non-compliant: the real recorded weak policy, every shortfall named", () => {
    const recorded = JSON.parse(vendorFile("aws/iam/c7n_placebo_test_account_password_policy_update__iam.GetAccountPasswordPolicy_1.json")) as {
      data: { PasswordPolicy: unknown };
    };
    expect(runCheck(check, policy(recorded.data.PasswordPolicy), now)).toEqual([
      {
        resourceId,
        status: "fail",
        reason: `The password policy of account ${ACCOUNT} falls short: minimum length is 10 (required 14); symbols are not required; numbers are not required; uppercase letters are not required; lowercase letters are not required; reuse prevention remembers 0 passwords (required 24).`,
      },
    ]);
  });

  it("non-compliant: no password policy at all (NoSuchEntity)", () => {
    expect(runCheck(check, policy(null), now)[0]).toMatchObject({
      status: "fail",
      reason: `Account ${ACCOUNT} has no IAM password policy, so AWS defaults apply (8 characters, no complexity).`,
    });
  });

  it("minimums come from settings: the IAM API Reference sample passes at 12 and 12, fails on a 60-day expiry", () => {
    const sample = {
      MinimumPasswordLength: 12,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      PasswordReusePrevention: 12,
      MaxPasswordAge: 90,
      ExpirePasswords: false,
    };
    expect(runCheck(check, policy(sample), now, { minimumLength: 12, reusePrevention: 12 })[0]?.status).toBe("pass");
    expect(runCheck(check, policy(sample), now, { minimumLength: 12, reusePrevention: 12, maxAgeDays: 60 })[0]?.reason).toContain(
      "passwords expire after 90 days (required within 60)",
    );
  });
});
