import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPack } from "../reports/pack.js";
import { reportSchema } from "../reports/schema.js";
import { DEMO_MANAGEMENT_CONFIG, DEMO_MEMBER_CONFIG, DEMO_MEMBER_USERS, DEMO_ORGANIZATION, DEMO_USERS } from "../demo/estates/demo.js";
import { DEMO_AZURE_RESOURCES, demoAzureEstate } from "../demo/estates/demo-azure.js";
import { demoGithubOrg } from "../demo/estates/demo-github.js";
import { DEMO_TIMELINE } from "../demo/estates/demo-timeline.js";
import { demoRun } from "./demo-run.js";

describe("isms-agent demo", () => {
  it("writes report.json and report.md showing the seeded MFA enrolment exactly", async () => {
    // The demo as test/global-setup.ts ran it, once for every test file that reads it.
    const demo = await demoRun();
    const dir = { path: demo.dir };
    const lines = demo.lines;
    expect(demo.code).toBe(0);

    // Worked out from the seed itself, not from the agent.
    // AWS console users and Entra ID members (guests are left out by default).
    const entraMembers = demoAzureEstate().users.filter((u) => u.userType !== "guest");
    const consoleUsers = [
      ...[...DEMO_USERS, ...DEMO_MEMBER_USERS].filter((u) => u.password).map((u) => ({ mfa: u.mfa })),
      ...entraMembers.map((u) => ({ mfa: u.isMfaRegistered })),
      ...demoGithubOrg().members.map((m) => ({ mfa: m.twoFactor })),
    ];
    const withMfa = consoleUsers.filter((u) => u.mfa);
    const expected = Math.round((withMfa.length / consoleUsers.length) * 10000) / 100;

    const report = reportSchema.parse(JSON.parse(readFileSync(join(dir.path, "out", "report.json"), "utf8")));
    expect(report.organization).toBe(DEMO_ORGANIZATION);
    expect(report.run.status).toBe("completed");
    expect(report.objectives[0]).toMatchObject({ id: "mfa-enrolment", value: expected, numerator: withMfa.length, denominator: consoleUsers.length });
    const md = readFileSync(join(dir.path, "out", "report.md"), "utf8");
    expect(md).toContain(`${expected}% (${withMfa.length}/${consoleUsers.length})`);
    expect(lines.join("\n")).toContain(`Objective mfa-enrolment: ${expected}% (${withMfa.length}/${consoleUsers.length})`);

    // Firewall compliance, from the seed: security groups in recording regions, failing any firewall rule once.
    const firewallRules = new Set([
      "INCOMING_SSH_DISABLED",
      "RESTRICTED_INCOMING_TRAFFIC",
      "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
      "VPC_DEFAULT_SECURITY_GROUP_CLOSED",
    ]);
    const groups = new Map<string, boolean>();
    for (const config of [DEMO_MANAGEMENT_CONFIG, DEMO_MEMBER_CONFIG]) {
      for (const region of Object.values(config).filter((r) => r.recording)) {
        for (const rule of region.rules.filter((r) => firewallRules.has(r.identifier))) {
          for (const e of rule.evaluations) groups.set(e.resourceId, (groups.get(e.resourceId) ?? true) && e.compliance !== "NON_COMPLIANT");
        }
      }
    }
    // Azure NSGs: open to the internet on 22 or 3389 (the demo's jumpbox opens 3380-3390 to *).
    for (const r of DEMO_AZURE_RESOURCES.filter((x) => x.type === "Microsoft.Network/networkSecurityGroups")) groups.set(r.name, r.name !== "jumpbox-nsg");
    const compliant = [...groups.values()].filter(Boolean).length;
    expect(report.objectives.find((o) => o.id === "firewall-compliance")).toMatchObject({
      value: Math.round((compliant / groups.size) * 10000) / 100,
      numerator: compliant,
      denominator: groups.size,
    });

    // The recorder gap shows: us-east-1 is not recording in either account.
    const recorder = report.findings.filter((f) => f.checkId === "aws.config.recorder-on");
    expect(recorder.map((f) => [f.account, f.region, f.status]).sort()).toEqual([
      ["210987654321", "eu-west-1", "pass"],
      ["210987654321", "us-east-1", "fail"],
      ["345678901234", "eu-west-1", "pass"],
      ["345678901234", "us-east-1", "fail"],
    ]);
    expect(report.scope.filter((s) => s.collector === "aws.config")).toHaveLength(4);

    // GitHub: the ruleset-protected repository passes, the archived one is not applicable, the empty one too.
    const protection = Object.fromEntries(
      report.findings.filter((f) => f.checkId === "github.repo.default-branch-protected").map((f) => [f.resourceId.split("/")[1], f.status]),
    );
    expect(protection).toMatchObject({ web: "pass", api: "pass", infra: "fail", mobile: "fail", "legacy-app": "not_applicable", scratch: "not_applicable" });
    expect(report.findings.find((f) => f.checkId === "github.repo.dependabot" && f.resourceId.endsWith("/payments"))?.status).toBe("fail");

    // The simulated weeks: four runs, MFA enrolment rising with one regression, a forecast, drift and alerts.
    expect(report.run.id).toBe(DEMO_TIMELINE.length);
    const mfa = report.objectives.find((o) => o.id === "mfa-enrolment");
    const values = mfa?.history.map((h) => h.value ?? -1) ?? [];
    expect(values).toHaveLength(4);
    expect(values[1]).toBeGreaterThan(values[0] ?? 0);
    expect(values[2]).toBe(values[1]); // Grace enrolled, Judy lost hers.
    expect(values[3]).toBeGreaterThan(values[2] ?? 0);
    expect(mfa?.trend).toBe("up");
    expect(mfa?.projectedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mfa?.status).toBe((mfa?.projectedDate ?? "9999") <= "2027-03-31" ? "on_track" : "at_risk");
    expect(report.drift.previousRunId).toBe(3);
    expect(report.drift.events.filter((e) => e.checkId === "aws.iam.console-user-mfa").map((e) => `${e.kind} ${e.key.split("/").at(-1) ?? ""}`)).toEqual([
      "fixed judy.security",
    ]);
    const alerts = JSON.parse(readFileSync(join(dir.path, "out", "alerts-sent.json"), "utf8")) as {
      signature: string;
      alerts: { event: string; message: string }[];
    }[];
    expect(alerts.every((batch) => /^sha256=[0-9a-f]{64}$/.test(batch.signature))).toBe(true);
    const messages = alerts.flatMap((batch) => batch.alerts.map((a) => `${a.event}: ${a.message}`));
    expect(messages.filter((m) => m.startsWith("regression:") && m.includes("judy.security"))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith("resolved:") && m.includes("judy.security"))).toHaveLength(1);
    // Risk accepted for erin, one physical control excluded, training records evidence a people control.
    expect(report.findings.find((f) => f.checkId === "aws.iam.console-user-mfa" && f.resourceId.endsWith("erin.contractor"))).toMatchObject({
      status: "excepted",
      exception: { id: "EXC-2026-004" },
    });
    expect(report.controls.find((c) => c.id === "A.7.5")).toMatchObject({ status: "not_applicable", applicable: false });
    expect(report.controls.find((c) => c.id === "A.6.3")).toMatchObject({ coverage: "manual", stale: false });
    expect(
      readFileSync(join(dir.path, "out", "soa.csv"), "utf8")
        .split("\r\n")
        .filter(Boolean),
    ).toHaveLength(94);

    // Everything an auditor is handed, and a signed pack that verifies.
    for (const file of ["report.html", "report.md", "findings.csv", "assessment-results.oscal.json", "findings.ocsf.json", "evidence-pack.zip"]) {
      expect(existsSync(join(dir.path, "out", file))).toBe(true);
    }
    const pack = await verifyPack(join(dir.path, "out", "evidence-pack.zip"), readFileSync(join(dir.path, "out", "demo-pack-key.pub"), "utf8"));
    expect(pack).toMatchObject({ ok: true, signature: "valid" });
    expect(pack.manifest?.runs).toEqual([1, 2, 3, 4]);
  });
});
