import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/root-mfa.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { ACCOUNT, reportFromCsv, runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2016-11-25T00:00:00Z");
// Root MFA is read from the credential report's <root_account> row (mfa_active), the report the
// other IAM checks read: no GetAccountSummary call is needed for it.
const report = (csv: string) => [stored(IAM_EVIDENCE.credentialReport, reportFromCsv(csv))];

describe("aws.iam.root-mfa", () => {
  it("compliant: the root row's mfa_active is true (a real recorded report)", () => {
    expect(check.requires).toEqual([IAM_EVIDENCE.credentialReport]);
    expect(runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv")), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "pass", reason: `The root user of account ${ACCOUNT} has MFA enabled.` },
    ]);
  });

  it("non-compliant: the root row's mfa_active is false (a real recorded report)", () => {
    expect(runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv")), now)).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "fail", reason: `The root user of account ${ACCOUNT} has no MFA device.` },
    ]);
  });

  it("error, never pass: the report has no root row", () => {
    const csv = vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv")
      .split("\n")
      .filter((l) => !l.startsWith("<root_account>"))
      .join("\n");
    expect(runCheck(check, report(csv), now)).toEqual([
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:root`,
        status: "error",
        reason: `The credential report of account ${ACCOUNT} has no root user row, so root MFA cannot be judged.`,
      },
    ]);
  });

  it("error, never pass: the root row's mfa_active is neither true nor false", () => {
    const csv = vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv")
      .split("\n")
      .map((l) =>
        l.startsWith("<root_account>")
          ? l
              .split(",")
              .map((field, i) => (i === 7 ? "not_supported" : field))
              .join(",")
          : l,
      )
      .join("\n");
    expect(runCheck(check, report(csv), now)).toEqual([
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:root`,
        status: "error",
        reason: `The credential report of account ${ACCOUNT} gives the root user's mfa_active as not_supported, so root MFA cannot be judged.`,
      },
    ]);
  });
});
