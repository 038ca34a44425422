/**
 * Continuous monitoring end to end: several runs against a loopback AWS account whose users
 * change between runs, with a real webhook receiver, the exceptions register, SoA exclusions,
 * manual evidence and `report --as-of`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../app/cli/output.js";
import { evidenceAddCommand, exceptionAddCommand } from "../app/cli/registers.js";
import { reportCommand } from "../app/cli/reports.js";
import { runCommand } from "../app/cli/run.js";
import { parseConfig } from "../app/config.js";
import { ConfigError } from "../src/errors.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { reportSchema, type Report } from "../reports/schema.js";
import { parseCsv } from "../collectors/aws/csv.js";
import { DEMO_ACCOUNT_ID, DEMO_ROOT, DEMO_USERS, demoAwsAccount, type DemoUser } from "../demo/estates/demo.js";
import { startFakeAws } from "../demo/servers/aws.js";
import { startHttpReceiver } from "./fixtures/servers/alerts.js";
import { tempDir } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "monitoring-test-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  process.env["TEST_HOOK_SECRET"] = "hook-secret-0123456789abcdef";
});

const plan = { aws: { iam: { pollIntervalMs: 5 } } };
const quiet = (): Output & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l) };
};
const withMfa = (users: readonly DemoUser[], changes: Record<string, boolean>) =>
  users.map((u) => (u.name in changes ? { ...u, mfa: changes[u.name] ?? u.mfa } : u));

describe("continuous monitoring across runs", () => {
  it("drift, one alert per change, reminders, exceptions, SoA exclusions, manual evidence and as-of reports", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const day0 = new Date("2026-11-01T02:00:00Z");
    const account = demoAwsAccount(day0);
    const aws = await startFakeAws(account);
    const hook = await startHttpReceiver();
    cleanups.push(
      () => aws.close(),
      () => hook.close(),
    );
    const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
output: ${join(dir.path, "out")}
schedule: { cron: "0 2 * * *" }
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
objectives:
  - { id: mfa-enrolment, title: All console users enrolled in MFA, metric: mfa_enrolment, target: 100, deadline: 2027-03-31, owner: CISO }
exceptions:
  - id: EXC-1
    check: aws.iam.console-user-mfa
    resource: "*erin.contractor"
    reason: Contractor leaves on 5 November; the account is deleted then.
    owner: Head of IT
    approvedBy: CISO
    expires: 2026-11-02
statementOfApplicability:
  excluded:
    - control: A.7.4
      justification: No premises of our own; the co-working provider's monitoring is covered by supplier controls (A.5.19).
alerts:
  reminderHours: 24
  channels:
    - type: webhook
      name: siem
      url: ${hook.url}/alerts
      secret: \${TEST_HOOK_SECRET}
      events: [regression, resolved, objective, collector_failure, stale_evidence]
`;
    const configFile = join(dir.path, "isms-agent.yaml");
    writeFileSync(configFile, yaml);
    const loaded = parseConfig(yaml, configFile, process.env);
    const at = (hours: number) => () => new Date(day0.getTime() + hours * 3_600_000);
    const report = (): Report => reportSchema.parse(JSON.parse(readFileSync(join(dir.path, "out", "report.json"), "utf8")));
    const alertBodies = () => hook.posts.map((p) => JSON.parse(p.body) as { alerts: { key: string; event: string; message: string; reminder: boolean }[] });

    // Run 1: the baseline. Nothing to compare with, so no drift and no alerts.
    expect(await runCommand(loaded, quiet(), { plan, now: at(0) })).toBe(0);
    let r = report();
    expect(r.drift).toEqual({ previousRunId: null, events: [] });
    expect(hook.posts).toEqual([]);
    const erin = r.findings.find((f) => f.checkId === "aws.iam.console-user-mfa" && f.resourceId.endsWith("erin.contractor"));
    expect(erin).toMatchObject({ status: "excepted", exception: { id: "EXC-1", approvedBy: "CISO" } });
    expect(r.exceptions).toEqual([expect.objectContaining({ id: "EXC-1", origin: "config", expired: false, findings: 1 })]);
    expect(r.controls.find((c) => c.id === "A.7.4")).toMatchObject({
      status: "not_applicable",
      applicable: false,
      justification: expect.stringMatching(/co-working/),
    });
    const mfaBefore = r.objectives[0];

    // Between runs carol enrols MFA and judy loses hers.
    account.credentialReportCsv = demoAwsAccount(
      day0,
      DEMO_ACCOUNT_ID,
      DEMO_ROOT,
      withMfa(DEMO_USERS, { "carol.sales": true, "judy.security": false }),
    ).credentialReportCsv;

    // Run 2: drift says exactly that; the webhook gets one batch with the regression and the fix.
    expect(await runCommand(loaded, quiet(), { plan, now: at(24) })).toBe(0);
    r = report();
    const kinds = r.drift.events.filter((e) => e.checkId === "aws.iam.console-user-mfa").map((e) => `${e.kind}:${e.key.split("/").at(-1) ?? ""}`);
    expect(kinds.sort()).toEqual(["fixed:carol.sales", "regression:judy.security"]);
    expect(r.drift.previousRunId).toBe(1);
    expect(hook.posts).toHaveLength(1);
    const sent = alertBodies()[0]?.alerts ?? [];
    expect(sent.filter((a) => a.event === "regression").map((a) => a.message)).toEqual([
      expect.stringMatching(/console-user-mfa now fails for arn:aws:iam::\d+:user\/judy\.security/),
    ]);
    // carol's fix is drift, but her failure predates alerting (nothing was ever sent for it): no "resolved".
    expect(sent.some((a) => a.message.includes("carol.sales"))).toBe(false);
    expect(r.alerts).toEqual([expect.objectContaining({ channel: "siem", status: "sent" })]);
    expect(r.objectives[0]?.history.map((h) => h.value)).toEqual([mfaBefore?.value, r.objectives[0]?.value]);

    // Run 3, same day, nothing changed: judy still fails, but no alert is sent again.
    expect(await runCommand(loaded, quiet(), { plan, now: at(30) })).toBe(0);
    expect(hook.posts).toHaveLength(1);

    // Run 4, a day later: the reminder for judy; erin's exception expired (its last day was 2 Nov).
    expect(await runCommand(loaded, quiet(), { plan, now: at(49) })).toBe(0);
    r = report();
    expect(r.findings.find((f) => f.resourceId.endsWith("erin.contractor") && f.checkId === "aws.iam.console-user-mfa")?.status).toBe("fail");
    expect(r.drift.events.map((e) => e.kind)).toContain("exception_expired");
    expect(hook.posts).toHaveLength(2);
    const fourth = alertBodies()[1]?.alerts ?? [];
    expect(fourth.some((a) => a.reminder && a.message.includes("judy.security"))).toBe(true);
    expect(fourth.some((a) => !a.reminder && /EXC-1.*expired/.test(a.message))).toBe(true);
    const signature = hook.posts[1]?.headers["x-isms-signature"];
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);

    // Manual evidence: training records for A.6.3, valid until 3 Nov; and an exception added with the CLI.
    const training = join(dir.path, "training-completion.pdf");
    writeFileSync(training, "%PDF-1.4 training completion 2026\n");
    expect(
      await evidenceAddCommand(
        loaded,
        { control: "A.6.3", file: training, note: "Security awareness training completion, 2026", validUntil: "2026-11-03", now: at(50) },
        quiet(),
      ),
    ).toBe(0);
    expect(
      await exceptionAddCommand(
        loaded,
        {
          id: "EXC-2",
          check: "aws.iam.console-user-mfa",
          resource: `arn:aws:iam::${DEMO_ACCOUNT_ID}:user/ivan.support`,
          reason: "Hardware key on order.",
          owner: "Support lead",
          approvedBy: "CISO",
          expires: "2026-12-31",
          now: at(50),
        },
        quiet(),
      ),
    ).toBe(0);
    await expect(
      exceptionAddCommand(
        loaded,
        { id: "EXC-2", check: "aws.iam.console-user-mfa", reason: "again", owner: "x", approvedBy: "y", expires: "2026-12-31", now: at(50) },
        quiet(),
      ),
    ).rejects.toThrow(/already holds an exception with id "EXC-2"/);
    await expect(
      exceptionAddCommand(loaded, { id: "EXC-3", check: "aws.iam.no-such-check", reason: "r", owner: "x", approvedBy: "y", expires: "2026-13-01" }, quiet()),
    ).rejects.toThrow(/--check: expected the id of a known check.*--expires: expected a real calendar date/);

    // as-of: a day inside the window renders the run that held then; staleness judged at that moment.
    const out = join(dir.path, "asof");
    expect(await reportCommand(loaded, { run: "latest", format: "json,soa", out, asOf: "2026-11-02" }, quiet())).toBe(0);
    const asOf = reportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
    expect(asOf.run.id).toBe(3);
    expect(asOf.asOf).toBe("2026-11-02T23:59:59.999Z");
    expect(asOf.controls.find((c) => c.id === "A.8.5")?.stale).toBe(false);
    // The training record was added after that day: not part of that state.
    expect(asOf.controls.find((c) => c.id === "A.6.3")?.manualEvidence).toEqual([]);

    const later = join(dir.path, "later");
    expect(await reportCommand(loaded, { run: "latest", format: "json,soa", out: later, asOf: "2026-11-10" }, quiet())).toBe(0);
    const stale = reportSchema.parse(JSON.parse(readFileSync(join(later, "report.json"), "utf8")));
    expect(stale.run.id).toBe(4);
    const a85 = stale.controls.find((c) => c.id === "A.8.5");
    expect(a85?.stale).toBe(true);
    expect(a85?.staleReason).toMatch(/h old; the limit is 48 h/);
    const a63 = stale.controls.find((c) => c.id === "A.6.3");
    expect(a63).toMatchObject({
      stale: true,
      coverage: "none",
      manualEvidence: [expect.objectContaining({ fileName: "training-completion.pdf", expired: true })],
    });
    // Run 4 lists the exceptions in force when it was judged: EXC-2 was added after it.
    expect(stale.exceptions.map((e) => [e.id, e.origin, e.expired])).toEqual([["EXC-1", "config", true]]);
    const soa = parseCsv(readFileSync(join(later, "soa.csv"), "utf8").trimEnd());
    expect(soa).toHaveLength(94);
    const header = soa[0] ?? [];
    const row = (id: string) => Object.fromEntries((soa.find((x) => x[0] === id) ?? []).map((v, i) => [header[i], v]));
    expect(row("A.7.4")).toMatchObject({ applicable: "no", exclusionJustification: expect.stringMatching(/co-working/), status: "not_applicable" });
    expect(row("A.6.3")).toMatchObject({
      applicable: "yes",
      stale: "yes",
      manualEvidence: expect.stringMatching(/^training-completion\.pdf \(sha256 [0-9a-f]{12}…, expired\)$/),
    });
    // MFA per user is collected; sign-in policies that enforce it are not: partial, saying what is missing.
    expect(row("A.8.5")).toMatchObject({
      evidence: "automated checks (partial)",
      coverage: "partial",
      missingEvidence: expect.stringMatching(/^Sign-in policies that require MFA/),
      stale: "yes",
    });

    // The manual evidence file is held byte for byte and covered by verify.
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    const [stored] = await store.manualEvidence();
    expect(Buffer.from(await store.manualEvidenceContent(stored?.id ?? 0)).equals(readFileSync(training))).toBe(true);
    expect((await store.verify()).ok).toBe(true);
  });

  it("a control excluded from the SoA without a justification is a config error", () => {
    const bad = () =>
      parseConfig(
        `organization: X
statementOfApplicability:
  excluded:
    - control: A.7.4
      justification: "  "
    - control: A.99.1
      justification: typo
`,
        "/tmp/x.yaml",
        {},
      );
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
      expect(issues).toEqual([
        "statementOfApplicability.excluded[0].justification: a control may only be excluded with a written justification (line 5)",
        "statementOfApplicability.excluded[1].control: expected an Annex A 2022 control id such as A.7.1 (line 6)",
      ]);
    }
  });
});
