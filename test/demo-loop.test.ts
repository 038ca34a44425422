/**
 * The demo's Plan-Do-Check-Act loop, read from what `isms-agent demo` left behind: a risk going
 * from "not effective" to "effective", a nonconformity opened, actioned and closed by two passing
 * runs a week apart (citing their hashes), one opened by a regression, a management review pack
 * whose every 9.3.2 input is filled from the store or marked as entered by people, and an audit
 * sample an auditor can redraw.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPlanCommand, samplePopulation } from "../app/cli/audit.js";
import { parseConfig } from "../app/config.js";
import { buildReport } from "../reports/build.js";
import { verifyPack } from "../reports/pack.js";
import { reviewPackSchema } from "../reports/review.js";
import { reportSchema, type Report } from "../reports/schema.js";
import { drawSample } from "../src/engine/sampling.js";
import { auditSamplesInStore, nonconformitiesInStore, nonconformityHistory } from "../src/store/registers.js";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite.js";
import { copyDemoStore, demoRun } from "./demo-run.js";

let out: string;
let report: Report;
let store: SqliteStore;
let dir: string;
let database: string;

beforeAll(async () => {
  const demo = await demoRun();
  expect(demo.code).toBe(0);
  out = demo.out;
  report = reportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
  dir = mkdtempSync(join(tmpdir(), "isms-demo-loop-"));
  database = copyDemoStore(demo, dir);
  store = await openSqliteStore({ file: database, mode: "read" });
}, 120_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the demo closes the PDCA loop", () => {
  it("shows risk R-2 going from treatment not effective (Macie off) to effective, and names R-1's failing checks", async () => {
    const first = await buildReport(store, 1);
    const r2 = (r: Report) => r.registers?.risks.find((x) => x.risk.id === "R-2")?.status;
    expect(r2(first)).toMatchObject({ status: "treatment_not_effective", failingChecks: ["aws.config.macie"], failingControls: ["A.5.34"] });
    expect(r2(report)).toMatchObject({ status: "treatment_effective", reason: "Treatment of risk R-2 is effective: A.5.34 passes." });
    const r1 = report.registers?.risks.find((x) => x.risk.id === "R-1")?.status;
    expect(r1?.status).toBe("treatment_not_effective");
    expect(r1?.failingChecks).toContain("aws.iam.console-user-mfa");
    expect(report.registers?.risks.find((x) => x.risk.id === "R-3")?.status.status).toBe("accepted");
    // The SoA's justification for inclusion names the risks a control treats when none is written.
    expect(report.controls.find((c) => c.id === "A.5.34")?.inclusionJustification).toBe("Risk R-2: Personal data kept unnoticed in S3 buckets.");
  });

  it("closes the internal audit's nonconformity by evidence: actioned after run 2, verified by runs 3 and 4 a week apart, hashes cited", async () => {
    const nc = report.registers?.nonconformities.find((n) => n.checks.includes("aws.config.ebs-default-encryption"));
    expect(nc).toMatchObject({ origin: "manual", status: "closed", closedByHand: null, owner: "Head of Infrastructure" });
    const runs = await store.listRuns();
    expect(nc?.verification).toEqual(
      [3, 4].map((id) => {
        const run = runs.find((r) => r.id === id);
        return { runId: id, hash: run?.hash, startedAt: run?.startedAt };
      }),
    );
    // Its life in the register, each version chained in the ledger: opened, actioned, verifying, verified.
    const versions = (await nonconformityHistory(store)).filter((v) => v.id === nc?.id).map((v) => v.status);
    expect(versions).toEqual(["open", "open", "verifying", "closed"]);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it("opens a nonconformity for GitHub's 2FA requirement, regressed two weeks ago and still failing past its SLA, with the action awaiting evidence", async () => {
    // The report shows the register as the last run left it; the action was recorded after it.
    const inReport = report.registers?.nonconformities.find((n) => n.key === "check:github.org.two-factor-required");
    expect(inReport).toMatchObject({ origin: "failure_sla", severity: "high", status: "open", correctiveAction: null, detectedRun: { runId: 4 } });
    const nc = (await nonconformitiesInStore(store)).find((n) => n.id === inReport?.id);
    expect(nc).toMatchObject({ status: "open", owner: "Engineering Manager" });
    expect(nc?.title).toMatch(
      /^Check github\.org\.two-factor-required \(.+\) has failed since \d{4}-\d{2}-\d{2}, longer than the 14-day SLA for high findings/,
    );
    expect(nc?.correctiveAction).toMatch(/enforcement stays on/);
    const alerts = JSON.parse(readFileSync(join(out, "alerts-sent.json"), "utf8")) as { alerts: { event: string; message: string }[] }[];
    const messages = alerts
      .flatMap((b) => b.alerts)
      .filter((a) => a.event === "nonconformity")
      .map((a) => a.message);
    expect(messages.some((m) => m.startsWith(`Nonconformity ${nc?.id ?? "?"} opened: Check github.org.two-factor-required`))).toBe(true);
  });

  it("writes a management review pack with every 9.3.2 input, from the store or marked as entered by people, also inside the evidence pack", async () => {
    const pack = reviewPackSchema.parse(JSON.parse(readFileSync(join(out, "management-review.json"), "utf8")));
    const from = Object.fromEntries(Object.entries(pack.inputs).map(([k, s]) => [k, s.filledFrom]));
    expect(from).toEqual({ a: "store", b: "entered_by_people", c: "entered_by_people", d: "store", e: "entered_by_people", f: "store", g: "store" });
    expect(pack.inputs.a.items).toContain(
      `Action MR-2026-Q3-A1 of review MR-2026-Q3, owner CISO: Enrol every console user in MFA — open (due ${pack.inputs.a.items.join(" ").match(/due (\d{4}-\d{2}-\d{2})/)?.[1] ?? "?"}).`,
    );
    expect(pack.inputs.b.summary).toBe("A new customer contract requires ISO/IEC 27001 certification by the end of next year.");
    expect(pack.inputs.c.summary).toMatch(/^To be entered by people: /);
    expect(pack.inputs.d.summary).toMatch(/^Nonconformities: \d+ opened and 1 closed by verified corrective action in the period/);
    expect(pack.inputs.f.items).toHaveLength(3);
    // GuardDuty's queue held for two weeks, then a high finding was left untriaged.
    expect(pack.inputs.g.items.some((i) => i.startsWith("Fell back: A.5.25 "))).toBe(true);
    const zip = await verifyPack(join(out, "evidence-pack.zip"), readFileSync(join(out, "demo-pack-key.pub"), "utf8"));
    expect(zip.manifest?.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["management-review.json", "management-review.md", "management-review.html"]),
    );
  });

  it("records an audit sample an auditor can redraw from the run's population and the seed", async () => {
    const [sample] = await auditSamplesInStore(store);
    expect(sample).toMatchObject({ control: "A.8.5", seed: "northwind-internal-audit-2026", size: 5, run: { runId: 4 } });
    const redrawn = drawSample(await samplePopulation(store, 4, "A.8.5"), 5, "northwind-internal-audit-2026");
    expect(redrawn.items).toEqual(sample?.items);
    expect(redrawn.populationSha256).toBe(sample?.populationSha256);
    // The auditor's results: the second item did not conform and opened a nonconformity judged by A.8.5's checks.
    expect(sample?.results.map((r) => [r.item, r.result])).toEqual([
      [sample?.items[0], "conforming"],
      [sample?.items[1], "nonconforming"],
    ]);
    const nc = (await nonconformitiesInStore(store)).find((n) => n.id === sample?.results[1]?.nonconformity);
    expect(nc).toMatchObject({ origin: "manual", controls: ["A.8.5"], detectedRun: sample?.run, status: "open" });
    expect(nc?.checks).toContain("aws.iam.console-user-mfa");
    expect(nc?.title).toBe(
      `Internal audit sample ${sample?.id ?? ""} of A.8.5: ${sample?.items[1] ?? ""} does not conform. The account signs in with a password alone.`,
    );
  });

  it("plans the internal audit programme: every applicable control once in the cycle, the failing high-risk ones every quarter, never by their owner", async () => {
    const yaml = readFileSync(join(out, "demo-config.yaml"), "utf8").replace(/^database: .*$/m, `database: ${JSON.stringify(database)}`);
    const env = { ISMS_DEMO_AZURE_TOKEN: "t", ISMS_DEMO_GITHUB_TOKEN: "t", ISMS_DEMO_WEBHOOK_SECRET: "demo-webhook-secret-0123" };
    const lines: string[] = [];
    const code = await auditPlanCommand(
      parseConfig(yaml, join(dir, "demo-config.yaml"), env),
      { auditors: "CISO,Internal auditor" },
      { out: (l) => lines.push(l), err: () => undefined },
    );
    expect(code).toBe(0);
    expect(lines[0]).toBe("Internal audit programme over 3 years (12 quarters), from run 4: 92 applicable controls, each audited at least once.");
    expect(lines).toHaveLength(93);
    const a85 = lines.find((l) => l.startsWith("A.8.5 "));
    expect(a85).toMatch(
      /^A\.8\.5 Secure authentication: every quarter, quarters 1, 2, .*, 12, auditor Internal auditor\. A\.8\.5 is fail in the latest run\. It treats a high risk \(score 20\)\.$/,
    );
    expect(lines.some((l) => l.startsWith("A.7.5 "))).toBe(false);
  });
});
