import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/console-user-mfa.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { credentialReportRow, renderCredentialReport } from "../../../../../demo/estates/demo.js";
import { ACCOUNT, reportFromCsv, runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2016-11-25T00:00:00Z");
const report = (csv: string) => [stored(IAM_EVIDENCE.credentialReport, reportFromCsv(csv))];

describe("aws.iam.console-user-mfa", () => {
  it("compliant: every console user has MFA", () => {
    const csv = renderCredentialReport([
      credentialReportRow({ name: "<root_account>", createdDaysAgo: 900, mfa: true }, ACCOUNT, now),
      credentialReportRow({ name: "alice", createdDaysAgo: 100, password: { lastUsedDaysAgo: 1, changedDaysAgo: 10 }, mfa: true }, ACCOUNT, now),
      credentialReportRow({ name: "robot", createdDaysAgo: 100, mfa: false, keys: [{ rotatedDaysAgo: 5, lastUsedDaysAgo: 1 }] }, ACCOUNT, now),
    ]);
    const findings = runCheck(check, report(csv), now);
    expect(findings).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:user/alice`, status: "pass", reason: "User alice has a console password and an MFA device." },
    ]);
  });

  it("non-compliant: a real recorded report with console users lacking MFA, a duplicated user counted once", () => {
    const findings = runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv")), now);
    const failing = findings.filter((f) => f.status === "fail").map((f) => f.resourceId.split("/")[1]);
    expect(failing).toEqual(["andrew", "christopher", "jeff", "Jennifer", "kapil", "kit", "scot", "steven"]);
    expect(findings.filter((f) => f.status === "pass")).toHaveLength(9);
    expect(findings.find((f) => f.resourceId.endsWith("/kit"))?.reason).toBe("User kit has a console password but no MFA device.");
    // Users without a password (programmatic only) and root are not console users.
    expect(findings.some((f) => f.resourceId.endsWith("/c7n-test") || f.resourceId.endsWith(":root"))).toBe(false);
  });

  it("not applicable: no IAM user has a console password", () => {
    const findings = runCheck(
      check,
      report(
        vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv").replace(
          "kaleb,arn:aws:iam::619193117841:user/kaleb,2016-07-05T23:57:09+00:00,true",
          "kaleb,arn:aws:iam::619193117841:user/kaleb,2016-07-05T23:57:09+00:00,false",
        ),
      ),
      now,
    );
    expect(findings).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "not_applicable", reason: `Account ${ACCOUNT} has no IAM users with a console password.` },
    ]);
  });

  it("maps to A.8.5 (secure authentication) first; A.5.17 only for the MFA device as allocated authentication information", () => {
    expect(check.controls.map((c) => c.control)).toEqual(["A.8.5", "A.5.17"]);
    expect(check.controls[1]?.rationale).toMatch(/authentication information allocated/);
  });

  it("reads the old 16-column report format", () => {
    const findings = runCheck(check, report(vendorFile("aws/iam/credential_report_aws_docs_powershell_example_normalized.csv")), now);
    expect(findings).toEqual([
      { resourceId: "arn:aws:iam::123456789012:user/Administrator", status: "fail", reason: "User Administrator has a console password but no MFA device." },
    ]);
  });
});
