import { describe, expect, it } from "vitest";
import type { CollectorOutcome, ControlResult, Finding, ManualEvidence, ObjectiveMeasurement, RiskException } from "../../src/domain.js";
import { detectDrift, findingKey, type RunState } from "../../src/engine/drift.js";
import { applyExceptions, isExpired } from "../../src/engine/exceptions.js";
import { controlFreshness } from "../../src/engine/freshness.js";
import { measure } from "../../src/engine/objectives.js";
import { emptyCounts, rollUp } from "../../src/engine/rollup.js";
import { ANNEX_A } from "../../controls/annex-a.js";

function finding(resourceId: string, status: Finding["status"], checkId = "aws.iam.console-user-mfa"): Finding {
  return {
    source: "prod",
    sourceType: "aws",
    account: "123456789012",
    region: "global",
    checkId,
    resourceId,
    status,
    reason: `User ${resourceId} is ${status}.`,
    evidenceSha256: "e1",
    controls: null,
  };
}
const control = (controlId: string, status: ControlResult["status"]): ControlResult => ({
  controlId,
  status,
  coverage: "automated",
  checks: [],
  counts: emptyCounts(),
});
const objective = (value: number | null, status: ObjectiveMeasurement["status"]): ObjectiveMeasurement => ({
  objectiveId: "mfa",
  title: "MFA for everyone",
  owner: "CISO",
  metric: "mfa_enrolment",
  value,
  numerator: 0,
  denominator: 0,
  errors: 0,
  target: 100,
  deadline: "2027-03-31",
  status,
  measuredAt: "2026-11-01T00:00:00.000Z",
});
const outcome = (status: "ok" | "error"): CollectorOutcome => ({
  source: "prod",
  sourceType: "aws",
  account: "123456789012",
  region: "global",
  collector: "aws.iam",
  status,
  error: status === "error" ? "AccessDenied" : null,
  startedAt: "2026-11-01T00:00:00.000Z",
  finishedAt: "2026-11-01T00:00:01.000Z",
  produces: ["aws.iam.credential-report"],
});
const state = (partial: Partial<RunState>): RunState => ({ findings: [], controls: [], objectives: [], outcomes: [], ...partial });
const severityOf = () => "high" as const;

describe("drift between two runs of one scope", () => {
  it("classifies each finding change once: regression, fixed, new failure, exception expired; unchanged is silent", async () => {
    const excepted = {
      ...finding("erin", "excepted"),
      exception: { id: "EXC-1", reason: "contractor leaving", owner: "CISO", approvedBy: "CEO", expires: "2026-10-31" },
    };
    const events = await detectDrift({
      previous: state({ findings: [finding("alice", "pass"), finding("bob", "fail"), finding("carol", "fail"), excepted] }),
      current: state({
        findings: [finding("alice", "fail"), finding("bob", "pass"), finding("carol", "fail"), finding("erin", "fail"), finding("zoe", "fail")],
      }),
      severityOf,
    });
    const byKind = Object.fromEntries(events.filter((e) => e.checkId).map((e) => [e.kind, e]));
    expect(
      events
        .filter((e) => e.checkId)
        .map((e) => e.kind)
        .sort(),
    ).toEqual(["exception_expired", "fixed", "new_failure", "regression"]);
    expect(byKind["regression"]?.key).toBe(findingKey(finding("alice", "fail")));
    expect(byKind["regression"]?.message).toMatch(/now fails for alice \(prod, account 123456789012\)/);
    expect(byKind["exception_expired"]?.message).toMatch(/EXC-1.*expired/);
    expect(byKind["fixed"]?.severity).toBe("low");
    // carol failed before and fails now: no event.
    expect(events.some((e) => e.key.includes(":carol"))).toBe(false);
  });

  it("new and vanished resources; a resource hidden by a collector error has not vanished", async () => {
    const events = await detectDrift({
      previous: state({ findings: [finding("alice", "pass"), finding("bob", "pass")] }),
      current: state({ findings: [finding("alice", "pass"), finding("heidi", "pass")] }),
      severityOf,
    });
    expect(events.map((e) => `${e.kind}:${e.key.split(":").at(-1) ?? ""}`).sort()).toEqual(["new_resource:heidi", "vanished_resource:bob"]);
    const hidden = await detectDrift({
      previous: state({ findings: [finding("alice", "pass")] }),
      current: state({ findings: [finding("prod", "error")] }),
      severityOf,
    });
    expect(hidden.filter((e) => e.kind === "vanished_resource")).toEqual([]);
    // And a finding next to an error is not a regression either way.
    expect(hidden.filter((e) => e.kind === "regression" || e.kind === "fixed")).toEqual([]);
  });

  it("controls, objectives and collectors: status changes and falls", async () => {
    const events = await detectDrift({
      previous: state({ controls: [control("A.8.5", "pass"), control("A.8.2", "fail")], objectives: [objective(90, "on_track")], outcomes: [outcome("ok")] }),
      current: state({ controls: [control("A.8.5", "fail"), control("A.8.2", "fail")], objectives: [objective(80, "at_risk")], outcomes: [outcome("error")] }),
      severityOf,
    });
    expect(events.map((e) => e.kind)).toEqual(["control_changed", "objective_changed", "collector_failed"]);
    expect(events[0]).toMatchObject({ controlId: "A.8.5", before: "pass", after: "fail", severity: "high" });
    expect(events[1]?.message).toMatch(/went from on track to at risk \(90% → 80%/);
    const fell = await detectDrift({
      previous: state({ objectives: [objective(90, "at_risk")] }),
      current: state({ objectives: [objective(85, "at_risk")] }),
      severityOf,
    });
    expect(fell[0]?.message).toMatch(/fell from 90% to 85%/);
    const back = await detectDrift({ previous: state({ outcomes: [outcome("error")] }), current: state({ outcomes: [outcome("ok")] }), severityOf });
    expect(back.map((e) => e.kind)).toEqual(["collector_recovered"]);
  });
});

describe("exceptions register", () => {
  const exception: RiskException = {
    id: "EXC-7",
    checkId: "aws.iam.console-user-mfa",
    resource: "erin*",
    source: null,
    account: null,
    reason: "Contractor leaves on 30 November; account will be deleted.",
    owner: "Head of IT",
    approvedBy: "CISO",
    expires: "2026-11-30",
    origin: "config",
    createdAt: null,
  };

  it("turns a matching failure into excepted with the exception attached; never touches a pass or an error", () => {
    const out = applyExceptions(
      [finding("erin.contractor", "fail"), finding("erin.other", "pass"), finding("bob", "fail"), finding("erin.x", "error")],
      [exception],
      new Date("2026-11-15T00:00:00Z"),
    );
    expect(out.map((f) => f.status)).toEqual(["excepted", "pass", "fail", "error"]);
    expect(out[0]?.exception).toMatchObject({ id: "EXC-7", approvedBy: "CISO", expires: "2026-11-30" });
    expect(out[2]?.exception).toBeNull();
  });

  it("expires at the end of its last day, after which the finding fails again", () => {
    expect(isExpired(exception, new Date("2026-11-30T23:59:00Z"))).toBe(false);
    expect(isExpired(exception, new Date("2026-12-01T00:00:00Z"))).toBe(true);
    expect(applyExceptions([finding("erin.contractor", "fail")], [exception], new Date("2026-12-01T00:00:00Z"))[0]?.status).toBe("fail");
  });

  it("an excepted finding counts against objectives and makes its control partial, never pass", () => {
    const findings = applyExceptions([finding("alice", "pass"), finding("erin.contractor", "fail")], [exception], new Date("2026-11-15T00:00:00Z"));
    const m = measure(
      { id: "mfa", title: "MFA", metric: "mfa_enrolment", target: 100, deadline: "2027-03-31", owner: "CISO", controls: [] },
      findings,
      [],
      new Date("2026-11-15T00:00:00Z"),
    );
    expect(m).toMatchObject({ value: 50, numerator: 1, denominator: 2 });
    const a85 = ANNEX_A.find((c) => c.id === "A.8.5");
    if (!a85) throw new Error("A.8.5 missing");
    const [result] = rollUp({ controls: [{ control: a85, checks: [{ id: "aws.iam.console-user-mfa" }] }], findings });
    expect(result).toMatchObject({ status: "partial", counts: { pass: 1, excepted: 1, fail: 0 } });
  });
});

describe("Statement of Applicability exclusions", () => {
  it("an excluded control is not_applicable with its justification whatever its checks found", () => {
    const a85 = ANNEX_A.find((c) => c.id === "A.8.5");
    if (!a85) throw new Error("A.8.5 missing");
    const [result] = rollUp({
      controls: [{ control: a85, checks: [{ id: "aws.iam.console-user-mfa" }] }],
      findings: [finding("carol", "fail")],
      excluded: new Map([["A.8.5", "No interactive users: all access is federated through the IdP (A.5.16)."]]),
    });
    expect(result).toMatchObject({
      status: "not_applicable",
      justification: "No interactive users: all access is federated through the IdP (A.5.16).",
      counts: { fail: 1 },
    });
  });
});

describe("evidence freshness", () => {
  const controls = [control("A.8.5", "pass"), control("A.6.3", "not_evaluated")];
  const manual = (validUntil: string | null): ManualEvidence => ({
    id: 1,
    controlId: "A.6.3",
    element: null,
    fileName: "training.pdf",
    size: 10,
    sha256: "ab",
    note: "2026 completion",
    validUntil,
    addedAt: "2026-01-10T00:00:00.000Z",
  });
  const input = (asOf: string, validUntil: string | null) => ({
    controls,
    findings: [finding("alice", "pass")],
    collectedAt: new Map([["e1", "2026-11-01T02:00:00.000Z"]]),
    manual: [manual(validUntil)],
    asOf: new Date(asOf),
    maxAgeHours: () => 48,
    controlsOf: () => ["A.8.5"],
  });

  it("automated evidence older than the limit at the moment looked at makes the control stale", () => {
    expect(controlFreshness(input("2026-11-02T02:00:00Z", null)).get("A.8.5")).toEqual({
      lastEvidenceAt: "2026-11-01T02:00:00.000Z",
      stale: false,
      reason: null,
    });
    const late = controlFreshness(input("2026-11-03T03:00:00Z", null)).get("A.8.5");
    expect(late?.stale).toBe(true);
    expect(late?.reason).toMatch(/49 h old; the limit is 48 h/);
  });

  it("manual evidence past its valid-until date makes its control stale", () => {
    expect(controlFreshness(input("2026-11-02T00:00:00Z", "2026-12-31")).get("A.6.3")?.stale).toBe(false);
    const expired = controlFreshness(input("2026-11-02T00:00:00Z", "2026-10-31")).get("A.6.3");
    expect(expired).toMatchObject({ stale: true, lastEvidenceAt: null });
    expect(expired?.reason).toMatch(/valid until 2026-10-31/);
  });
});
