import { describe, expect, it } from "vitest";
import { csvCell, renderFindingsCsv } from "../../reports/csv.js";
import { parseCsv } from "../../collectors/aws/csv.js";
import type { Report } from "../../reports/schema.js";

describe("findings.csv", () => {
  it("quotes commas, quotes and newlines, and defuses spreadsheet formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("-1")).toBe("'-1");
  });

  it("one row per finding, every column, and it reads back as the same table", () => {
    const finding = {
      checkId: "aws.iam.console-user-mfa",
      title: "IAM users with a console password have MFA",
      severity: "high" as const,
      source: "prod",
      sourceType: "aws" as const,
      account: "123456789012",
      region: "global",
      resourceId: "arn:aws:iam::123456789012:user/carol",
      status: "fail" as const,
      reason: "User carol has a console password but no MFA device.",
      controls: ["A.5.17", "A.8.5"],
      remediation: "Enable MFA, or remove the password.",
      evidenceSha256: "ab".repeat(32),
      exception: null,
    };
    const csv = renderFindingsCsv({ findings: [finding, { ...finding, resourceId: "r2", reason: "Line one,\nline two" }] } as unknown as Report);
    const table = parseCsv(csv.trimEnd());
    expect(table).toHaveLength(3);
    expect(table[0]).toEqual([
      "checkId",
      "title",
      "severity",
      "status",
      "source",
      "sourceType",
      "account",
      "region",
      "resourceId",
      "reason",
      "controls",
      "remediation",
      "evidenceSha256",
      "exceptionId",
      "exceptionReason",
      "exceptionOwner",
      "exceptionApprovedBy",
      "exceptionExpires",
    ]);
    expect(table[1]?.[9]).toBe("User carol has a console password but no MFA device.");
    expect(table[1]?.[10]).toBe("A.5.17 A.8.5");
    expect(table[2]?.[9]).toBe("Line one,\nline two");
  });

  it("an excepted finding carries its exception's id, reason, owner, approver and expiry", () => {
    const finding = {
      checkId: "aws.iam.console-user-mfa",
      title: "IAM users with a console password have MFA",
      severity: "high" as const,
      source: "prod",
      sourceType: "aws" as const,
      account: "123456789012",
      region: "global",
      resourceId: "arn:aws:iam::123456789012:user/erin",
      status: "excepted" as const,
      reason: "User erin has a console password but no MFA device.",
      controls: ["A.8.5"],
      remediation: "Enable MFA.",
      evidenceSha256: null,
      exception: { id: "EXC-7", reason: "Contractor leaves this month.", owner: "Head of IT", approvedBy: "CISO", expires: "2027-03-31" },
    };
    const [header = [], row = []] = parseCsv(renderFindingsCsv({ findings: [finding] } as unknown as Report).trimEnd());
    const cells = Object.fromEntries(header.map((name, i) => [name, row[i]]));
    expect(cells).toMatchObject({
      exceptionId: "EXC-7",
      exceptionReason: "Contractor leaves this month.",
      exceptionOwner: "Head of IT",
      exceptionApprovedBy: "CISO",
      exceptionExpires: "2027-03-31",
    });
  });
});
