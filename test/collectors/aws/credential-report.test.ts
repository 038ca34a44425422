import { describe, expect, it } from "vitest";
import { parseCredentialReport } from "../../../collectors/aws/iam.js";
import { parseCsv } from "../../../collectors/aws/csv.js";
import { vendorFile } from "../../helpers.js";

const parse = (csv: string) => parseCredentialReport(Buffer.from(csv, "utf8"), "text/csv", new Date("2017-02-22T23:07:48Z"));

describe("credential report parser", () => {
  it("parses a real 22-column report (no trailing newline, a duplicated user) keeping AWS's values as written", () => {
    const report = parse(vendorFile("aws/iam/credential_report_c7n_account_644160558196.csv"));
    expect(report.columns).toHaveLength(22);
    expect(report.rows).toHaveLength(21);
    expect(report.rows[0]).toMatchObject({ user: "<root_account>", password_enabled: "not_supported", access_key_1_last_rotated: "N/A" });
    expect(report.rows.filter((r) => r.user === "christopher")).toHaveLength(2);
    expect(report.rows.find((r) => r.user === "jeff")?.password_last_used).toBe("no_information");
    expect(report.generatedTime).toBe("2017-02-22T23:07:48.000Z");
  });

  it("parses the other real recordings and the old 16-column format", () => {
    expect(parse(vendorFile("aws/iam/credential_report_c7n_account_619193117841_root_keys.csv")).rows).toHaveLength(8);
    expect(parse(vendorFile("aws/iam/credential_report_cartography_pr1150.csv")).rows).toHaveLength(3);
    const old = parse(vendorFile("aws/iam/credential_report_aws_docs_powershell_example_normalized.csv"));
    expect(old.columns).toHaveLength(16);
    expect(old.rows[1]?.access_key_1_last_used_date).toBeUndefined();
  });

  it("accepts CRLF line ends, a trailing newline and quoted fields", () => {
    const csv = vendorFile("aws/iam/credential_report_cartography_pr1150.csv").replace(/\n/g, "\r\n").replace("user-cli,", '"user-cli",') + "\r\n";
    expect(parse(csv).rows.map((r) => r.user)).toEqual(["<root_account>", "user-cli", "user-readonly"]);
  });

  it("rejects the doc rendering whose header and root row were run together", () => {
    expect(() => parse(vendorFile("aws/iam/credential_report_aws_docs_powershell_example_verbatim.txt"))).toThrow(/malformed credential report/);
  });

  it("names the line and column of a malformed value", () => {
    const csv = vendorFile("aws/iam/credential_report_cartography_pr1150.csv").replace("2022-07-18T09:03:38+00:00", "yesterday");
    expect(() => parse(csv)).toThrow(
      'malformed credential report: line 3, column user_creation_time: expected an ISO 8601 date, N/A, no_information or not_supported (got "yesterday")',
    );
  });

  it("rejects a row with the wrong number of fields, a missing column, empty content and another format", () => {
    const good = vendorFile("aws/iam/credential_report_cartography_pr1150.csv");
    expect(() => parse(`${good}\nshort,row`)).toThrow(/line 5 has 2 fields, the header has 22/);
    expect(() => parse(good.replace("mfa_active", "mfa"))).toThrow(/the header lacks mfa_active/);
    expect(() => parseCredentialReport(new Uint8Array(), "text/csv", undefined)).toThrow(/no Content/);
    expect(() => parseCredentialReport(Buffer.from(good), "application/json", undefined)).toThrow(/expected ReportFormat text\/csv/);
  });

  it("CSV reader: doubled quotes and an unterminated quote", () => {
    expect(parseCsv('a,"b ""c"", d"\n1,2')).toEqual([
      ["a", 'b "c", d'],
      ["1", "2"],
    ]);
    expect(() => parseCsv('a,"b\n1')).toThrow(/unterminated/);
  });
});
