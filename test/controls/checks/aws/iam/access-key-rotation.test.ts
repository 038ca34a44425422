import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/iam/access-key-rotation.js";
import { IAM_EVIDENCE } from "../../../../../src/evidence/aws-iam.js";
import { credentialReportRow, renderCredentialReport } from "../../../../../demo/estates/demo.js";
import { ACCOUNT, reportFromCsv, runCheck, stored, vendorFile } from "../../../../helpers.js";

const report = (csv: string) => [stored(IAM_EVIDENCE.credentialReport, reportFromCsv(csv))];

describe("aws.iam.access-key-rotation", () => {
  const now = new Date("2026-11-01T00:00:00Z");
  const csv = renderCredentialReport([
    credentialReportRow({ name: "fresh", createdDaysAgo: 400, mfa: false, keys: [{ rotatedDaysAgo: 10, lastUsedDaysAgo: 1 }] }, ACCOUNT, now),
    credentialReportRow(
      {
        name: "stale",
        createdDaysAgo: 400,
        mfa: false,
        keys: [
          { rotatedDaysAgo: 5, lastUsedDaysAgo: 1 },
          { rotatedDaysAgo: 120, lastUsedDaysAgo: 1 },
        ],
      },
      ACCOUNT,
      now,
    ),
  ]);

  it("compliant: every active key younger than 90 days", () => {
    const findings = runCheck(check, report(csv), now).filter((f) => f.resourceId.includes("/fresh/"));
    expect(findings).toEqual([
      {
        resourceId: `arn:aws:iam::${ACCOUNT}:user/fresh/access-key-1`,
        status: "pass",
        reason: "Access key 1 of user fresh was last rotated on 2026-10-21, 10 days ago (limit 90).",
      },
    ]);
  });

  it("non-compliant: key 2 is 120 days old, judged per key", () => {
    const findings = runCheck(check, report(csv), now).filter((f) => f.resourceId.includes("/stale/"));
    expect(findings.map((f) => [f.resourceId.split("/").at(-1), f.status])).toEqual([
      ["access-key-1", "pass"],
      ["access-key-2", "fail"],
    ]);
    expect(findings[1]?.reason).toBe("Access key 2 of user stale was last rotated on 2026-07-03, 120 days ago (limit 90).");
  });

  it("the threshold comes from settings", () => {
    const findings = runCheck(check, report(csv), now, { maxAgeDays: 200 });
    expect(findings.every((f) => f.status === "pass")).toBe(true);
  });

  it("not applicable: no user has an active key; root's keys are another check's", () => {
    const findings = runCheck(
      check,
      report(vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv").split("\n").slice(0, 2).join("\n")),
      now,
    );
    expect(findings).toEqual([
      { resourceId: `arn:aws:iam::${ACCOUNT}:root`, status: "not_applicable", reason: `No IAM user of account ${ACCOUNT} has an active access key.` },
    ]);
  });
});
