import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/root-access-keys.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { reportFromCsv, runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2016-11-25T00:00:00Z");
const report = (csv: string) => [stored(IAM_EVIDENCE.credentialReport, reportFromCsv(csv))];

describe("aws.iam.root-access-keys", () => {
  it("compliant: root has no active key (real recorded report)", () => {
    expect(runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv")), now)).toEqual([
      { resourceId: "arn:aws:iam::644160558196:root", status: "pass", reason: "The root user of account 123456789012 has no active access keys." },
    ]);
  });

  it("non-compliant: root has an active key from 2011 (real recorded report)", () => {
    expect(runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv")), now)).toEqual([
      {
        resourceId: "arn:aws:iam::619193117841:root",
        status: "fail",
        reason: "The root user of account 123456789012 has an active access key 1 (created 2011-08-19).",
      },
    ]);
  });

  it("error, never pass: the report has no root row", () => {
    const csv = vendorFile("aws/iam/credential_report_cartography_pr1150.csv")
      .split("\n")
      .filter((l) => !l.startsWith("<root_account>"))
      .join("\n");
    expect(runCheck(check, report(csv), now)[0]?.status).toBe("error");
  });
});
