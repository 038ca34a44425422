import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/unused-credentials.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { credentialReportRow, renderCredentialReport } from "../../../../../demo/estates/demo.js";
import { ACCOUNT, reportFromCsv, runCheck, stored, vendorFile } from "../../../../helpers.js";

const report = (csv: string) => [stored(IAM_EVIDENCE.credentialReport, reportFromCsv(csv))];
const now = new Date("2026-11-01T00:00:00Z");
const csv = renderCredentialReport([
  credentialReportRow(
    {
      name: "active",
      createdDaysAgo: 400,
      password: { lastUsedDaysAgo: 2, changedDaysAgo: 30 },
      mfa: true,
      keys: [{ rotatedDaysAgo: 30, lastUsedDaysAgo: 3 }],
    },
    ACCOUNT,
    now,
  ),
  credentialReportRow({ name: "newstarter", createdDaysAgo: 5, password: { lastUsedDaysAgo: null, changedDaysAgo: 5 }, mfa: true }, ACCOUNT, now),
  credentialReportRow({ name: "leaver", createdDaysAgo: 900, password: { lastUsedDaysAgo: 200, changedDaysAgo: 400 }, mfa: true }, ACCOUNT, now),
  credentialReportRow({ name: "idle-key", createdDaysAgo: 300, mfa: false, keys: [{ rotatedDaysAgo: 150, lastUsedDaysAgo: null }] }, ACCOUNT, now),
  credentialReportRow({ name: "nothing", createdDaysAgo: 300, mfa: false }, ACCOUNT, now),
]);
const byUser = (name: string) => runCheck(check, report(csv), now).find((f) => f.resourceId.endsWith(`/${name}`));

describe("aws.iam.unused-credentials", () => {
  it("compliant: password and key used recently", () => {
    expect(byUser("active")).toEqual({
      resourceId: `arn:aws:iam::${ACCOUNT}:user/active`,
      status: "pass",
      reason: "Every credential of user active was used within the last 90 days.",
    });
  });

  it("compliant: a new user's password never used yet (no_information) counts from when it was set", () => {
    expect(byUser("newstarter")?.status).toBe("pass");
  });

  it("non-compliant: a password last used 200 days ago", () => {
    expect(byUser("leaver")).toMatchObject({
      status: "fail",
      reason: "User leaver has unused credentials: the console password was last used on 2026-04-14 (200 days ago) (limit 90 days).",
    });
  });

  it("non-compliant: an active key never used since it was created 150 days ago", () => {
    expect(byUser("idle-key")?.reason).toBe(
      "User idle-key has unused credentials: access key 1 has not been used since it was created on 2026-06-03 (150 days ago) (limit 90 days).",
    );
  });

  it("not applicable: a user with no password and no active key", () => {
    expect(byUser("nothing")?.status).toBe("not_applicable");
  });

  it("non-compliant on a real recorded report: no_information passwords and keys never used", () => {
    const findings = runCheck(check, report(vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv")), new Date("2016-11-26T00:00:00Z"));
    const failing = findings.filter((f) => f.status === "fail").map((f) => f.resourceId.split("/")[1]);
    expect(failing).toEqual(["charmworld", "Hazmat", "kaleb", "kapilt"]);
    expect(findings.find((f) => f.resourceId.endsWith("/kaleb"))?.reason).toContain("the console password has not been used since it was set on 2016-07-05");
  });
});
