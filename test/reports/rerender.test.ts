/**
 * Re-rendering an old run must not change it: a report is built from what the run was judged
 * with (stored with the run), never from today's registry or config. Render run 1; change a
 * check's mapping, title and remediation, the config's exceptions and Statement of
 * Applicability; render run 1 again: every format is byte-identical.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCheck } from "../../controls/registry.js";
import type { Output } from "../../app/cli/output.js";
import { reportCommand } from "../../app/cli/reports.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import type { ControlMapping } from "../../src/domain.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { REPORT_FORMATS } from "../../reports/write.js";
import { reportSchema } from "../../reports/schema.js";
import { DEMO_ACCOUNT_ID, demoAwsAccount } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { tempDir } from "../helpers.js";

const quiet: Output = { out: () => undefined, err: () => undefined };
const dir = tempDir();
let aws: FakeAwsServer;

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "rerender-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  aws = await startFakeAws({ ...demoAwsAccount(new Date()), accountId: DEMO_ACCOUNT_ID });
});
afterAll(async () => {
  await aws.close();
  dir.cleanup();
});

function config(extra: string) {
  const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
objectives:
  - { id: mfa-enrolment, title: All console users enrolled in MFA, metric: mfa_enrolment, target: 100, deadline: 2027-03-31, owner: CISO, controls: [A.8.5] }
${extra}`;
  return parseConfig(yaml, join(dir.path, "isms-agent.yaml"), process.env);
}

const before = () =>
  config(`exceptions:
  - { id: EXC-1, check: aws.iam.console-user-mfa, resource: "*:user/carol.sales", reason: Leaves at month end., owner: Head of IT, approvedBy: CISO, expires: 2099-12-31 }
statementOfApplicability:
  excluded:
    - { control: A.7.5, justification: No premises of our own. }
  controls:
    A.8.5: { inclusion: "Risk R-3: account takeover of console users.", implementation: implemented }
`);
const after = () =>
  config(`exceptions:
  - { id: EXC-2, check: aws.iam.root-mfa, reason: Something else entirely., owner: Someone, approvedBy: Nobody, expires: 2099-01-01 }
statementOfApplicability:
  controls:
    A.8.5: { inclusion: "Changed later.", implementation: planned }
`);

describe("report --run N renders what the run was judged with", () => {
  it("is byte-identical in all seven formats after the mapping, exceptions and SoA change", async () => {
    expect(await runCommand(before(), quiet, { plan: { aws: { iam: { pollIntervalMs: 5 } } } })).toBe(0);
    const first = join(dir.path, "first");
    const second = join(dir.path, "second");
    expect(await reportCommand(before(), { run: "1", format: "json,md,html,csv,soa,oscal,ocsf", out: first }, quiet)).toBe(0);

    const report = reportSchema.parse(JSON.parse(readFileSync(join(first, "report.json"), "utf8")));
    expect(report.exceptions.map((e) => e.id)).toEqual(["EXC-1"]);
    expect(report.controls.find((c) => c.id === "A.8.5")).toMatchObject({
      inclusionJustification: "Risk R-3: account takeover of console users.",
      implementationStatus: "implemented",
    });
    expect(report.findings.find((f) => f.checkId === "aws.iam.console-user-mfa")?.controls).toContain("A.8.5");
    // soa.csv holds what clause 6.1.3 d) asks, the evidence columns beside it.
    const soa = readFileSync(join(first, "soa.csv"), "utf8").split(/\r?\n/);
    expect(soa[0]).toBe(
      "control,title,theme,applicable,inclusionJustification,implementationStatus,exclusionJustification,evidence,coverage,missingEvidence,automatedChecks,manualEvidence,status,stale,lastEvidenceDate,exceptions",
    );
    expect(soa.find((l) => l.startsWith("A.8.5,"))).toMatch(
      /^A\.8\.5,Secure authentication,technological,yes,Risk R-3: account takeover of console users\.,implemented,,automated checks \(partial\),partial,"Sign-in policies that require MFA/,
    );
    expect(soa.find((l) => l.startsWith("A.7.5,"))).toMatch(/^A\.7\.5,[^,]+,physical,no,,,No premises of our own\.,none recorded,/);
    expect(soa.find((l) => l.startsWith("A.5.1,"))).toMatch(
      /^A\.5\.1,Policies for information security,organizational,yes,not recorded,not stated,,none recorded,none,,/,
    );

    const check = findCheck("aws.iam.console-user-mfa");
    if (!check) throw new Error("aws.iam.console-user-mfa is not registered");
    const mutable = check as { controls: readonly ControlMapping[]; title: string; remediation: string };
    const original = { controls: mutable.controls, title: mutable.title, remediation: mutable.remediation };
    try {
      mutable.controls = [{ control: "A.5.1", rationale: "a mapping changed after the run" }];
      mutable.title = "A title changed after the run";
      mutable.remediation = "Remediation changed after the run.";
      expect(await reportCommand(after(), { run: "1", format: "json,md,html,csv,soa,oscal,ocsf", out: second }, quiet)).toBe(0);
    } finally {
      Object.assign(mutable, original);
    }
    for (const { file } of Object.values(REPORT_FORMATS)) {
      expect(readFileSync(join(second, file)).equals(readFileSync(join(first, file))), `${file} changed on re-render`).toBe(true);
    }
  });

  it("the stored context is covered by the run hash: editing it fails verify", async () => {
    const file = join(dir.path, "evidence.db");
    const store = await openSqliteStore({ file });
    try {
      expect((await store.verify()).ok).toBe(true);
      const context = await store.runContext(1);
      expect(context?.exceptions.map((e) => e.id)).toEqual(["EXC-1"]);
    } finally {
      await store.close();
    }
    const sqlite3 = (await import("sqlite3")).default;
    await new Promise<void>((ok, fail) => {
      const db = new sqlite3.Database(file, (err) => {
        if (err) return fail(err);
        db.run("UPDATE run_context SET content = replace(content, 'Leaves at month end.', 'Approved forever.') WHERE run_id = 1", (e) =>
          db.close(() => (e ? fail(e) : ok())),
        );
      });
    });
    const tampered = await openSqliteStore({ file });
    try {
      const result = await tampered.verify();
      expect(result.ok).toBe(false);
      expect(result.ok ? "" : result.problem).toMatch(/run 1 does not match its recorded hash/);
    } finally {
      await tampered.close();
    }
  });
});
