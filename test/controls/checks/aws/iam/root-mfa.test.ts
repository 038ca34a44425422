import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/root-mfa.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { ACCOUNT, runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const summary = (summaryMap: Record<string, number>) => [stored(IAM_EVIDENCE.accountSummary, { summaryMap })];

describe("aws.iam.root-mfa", () => {
  it("compliant: AccountMFAEnabled 1 (a real recorded summary)", () => {
    const recorded = JSON.parse(vendorFile("aws/iam/c7n_placebo_test_account_root_mfa__iam.GetAccountSummary_1.json")) as {
      data: { SummaryMap: Record<string, number> };
    };
    expect(runCheck(check, summary(recorded.data.SummaryMap), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "pass", reason: `The root user of account ${ACCOUNT} has MFA enabled.` },
    ]);
  });

  it("non-compliant: AccountMFAEnabled 0", () => {
    expect(runCheck(check, summary({ AccountMFAEnabled: 0, Users: 3 }), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "fail", reason: `The root user of account ${ACCOUNT} has no MFA device.` },
    ]);
  });

  it("error, never pass: the summary lacks AccountMFAEnabled", () => {
    expect(runCheck(check, summary({ Users: 3 }), now)[0]?.status).toBe("error");
  });
});
