import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ANNEX_A } from "../../controls/annex-a.js";
import type { Check, CollectorOutcome, Finding } from "../../src/domain.js";
import { defineCheck } from "../../src/engine/check.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { measure, objectiveStatus, projectedDate } from "../../src/engine/objectives.js";
import { controlStatus, rollUp } from "../../src/engine/rollup.js";
import { SCOPE, stored } from "../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");

const echoCheck = defineCheck({
  id: "aws.test.echo",
  title: "Echo check for the engine",
  severity: "low",
  sourceType: "aws",
  controls: [{ control: "A.8.5", rationale: "test" }],
  remediation: "none",
  requires: ["aws.test.thing"],
  settings: z.object({ pass: z.boolean().default(true) }).strict(),
  evaluate: ({ evidence, settings }) => [
    { resourceId: `thing-${evidence.scope.account}`, status: settings.pass ? "pass" : "fail", reason: `Thing of ${evidence.scope.account} judged.` },
  ],
});

const throwingCheck: Check = {
  ...echoCheck,
  id: "aws.test.throws",
  evaluate: () => {
    throw new Error("unexpected shape");
  },
};

const failedOutcome: CollectorOutcome = {
  ...SCOPE,
  source: "broken",
  account: "unknown",
  collector: "aws.test",
  status: "error",
  error: "aws.test (source broken, GetThing): access denied",
  startedAt: now.toISOString(),
  finishedAt: now.toISOString(),
  produces: ["aws.test.thing"],
};

describe("evaluate", () => {
  it("runs a check once per scope with its evidence, settings parsed with defaults, and links the evidence digest", () => {
    const record = stored("aws.test.thing", { x: 1 });
    const findings = evaluate({ checks: [echoCheck], evidence: [record], outcomes: [], settings: new Map(), now });
    expect(findings).toEqual([
      {
        ...SCOPE,
        checkId: "aws.test.echo",
        resourceId: "thing-123456789012",
        status: "pass",
        reason: "Thing of 123456789012 judged.",
        evidenceSha256: record.sha256,
        controls: null,
      },
    ]);
    const failing = evaluate({ checks: [echoCheck], evidence: [record], outcomes: [], settings: new Map([["aws.test.echo", { pass: false }]]), now });
    expect(failing[0]?.status).toBe("fail");
  });

  it("a check that throws yields an error finding and the others still run", () => {
    const findings = evaluate({ checks: [throwingCheck, echoCheck], evidence: [stored("aws.test.thing", {})], outcomes: [], settings: new Map(), now });
    expect(findings.map((f) => [f.checkId, f.status])).toEqual([
      ["aws.test.throws", "error"],
      ["aws.test.echo", "pass"],
    ]);
    expect(findings[0]?.reason).toBe("The check aws.test.throws could not evaluate the evidence: unexpected shape");
  });

  it("a failed collector makes its checks error for that source, never pass, with the collector's reason", () => {
    const findings = evaluate({ checks: [echoCheck], evidence: [stored("aws.test.thing", {})], outcomes: [failedOutcome], settings: new Map(), now });
    expect(findings.map((f) => [f.source, f.status])).toEqual([
      ["test", "pass"],
      ["broken", "error"],
    ]);
    expect(findings[1]?.reason).toBe("The evidence could not be collected: aws.test (source broken, GetThing): access denied");
  });

  it("checks of another source type are not run", () => {
    const azure: Check = { ...echoCheck, id: "azure.test.echo", sourceType: "azure" };
    expect(evaluate({ checks: [azure], evidence: [stored("aws.test.thing", {})], outcomes: [], settings: new Map(), now })).toEqual([]);
  });
});

describe("control roll-up", () => {
  const f = (checkId: string, status: Finding["status"]): Finding => ({
    ...SCOPE,
    checkId,
    resourceId: "r",
    status,
    reason: "r",
    evidenceSha256: null,
    controls: null,
  });

  it("status: fail beats all; errors beside passes are partial; only errors is not_evaluated; nothing is not_evaluated", () => {
    expect(controlStatus({ pass: 5, fail: 1, error: 1, not_applicable: 0, excepted: 0 })).toBe("fail");
    expect(controlStatus({ pass: 5, fail: 0, error: 1, not_applicable: 0, excepted: 0 })).toBe("partial");
    expect(controlStatus({ pass: 5, fail: 0, error: 0, not_applicable: 2, excepted: 0 })).toBe("pass");
    expect(controlStatus({ pass: 0, fail: 0, error: 3, not_applicable: 0, excepted: 0 })).toBe("not_evaluated");
    expect(controlStatus({ pass: 0, fail: 0, error: 0, not_applicable: 2, excepted: 0 })).toBe("not_applicable");
    expect(controlStatus({ pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 0 })).toBe("not_evaluated");
  });

  it("an accepted risk is never a pass: excepted findings make the control partial, a real failure still fails it", () => {
    expect(controlStatus({ pass: 5, fail: 0, error: 0, not_applicable: 0, excepted: 1 })).toBe("partial");
    expect(controlStatus({ pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 2 })).toBe("partial");
    expect(controlStatus({ pass: 5, fail: 1, error: 0, not_applicable: 0, excepted: 1 })).toBe("fail");
  });

  it("a passing partly-automatable control shows coverage partial; a control without checks is not_evaluated with no coverage", () => {
    const a517 = ANNEX_A.find((c) => c.id === "A.5.17")!;
    const a82 = ANNEX_A.find((c) => c.id === "A.8.2")!;
    const a63 = ANNEX_A.find((c) => c.id === "A.6.3")!;
    const results = rollUp({
      controls: [
        { control: a517, checks: [{ id: "x" }] },
        { control: a82, checks: [{ id: "x" }] },
        { control: a63, checks: [] },
      ],
      findings: [f("x", "pass"), f("x", "pass")],
    });
    expect(results.map((r) => [r.controlId, r.status, r.coverage])).toEqual([
      ["A.5.17", "pass", "partial"],
      ["A.8.2", "pass", "automated"],
      ["A.6.3", "not_evaluated", "none"],
    ]);
    expect(results[0]?.counts).toEqual({ pass: 2, fail: 0, error: 0, not_applicable: 0, excepted: 0 });
  });
});

describe("objectives", () => {
  const objective = { id: "mfa", title: "MFA", metric: "mfa_enrolment", target: 100, deadline: "2027-06-30", owner: "CISO", controls: [] };
  const f = (status: Finding["status"]): Finding => ({
    ...SCOPE,
    checkId: "aws.iam.console-user-mfa",
    resourceId: "r",
    status,
    reason: "r",
    evidenceSha256: null,
    controls: null,
  });

  it("mfa_enrolment = passing console users / judged console users; errors are left out and counted", () => {
    const m = measure(objective, [f("pass"), f("pass"), f("fail"), f("error"), f("not_applicable")], [], now);
    expect(m).toMatchObject({ value: 66.67, numerator: 2, denominator: 3, errors: 1, status: "at_risk" });
  });

  it("no console users at all is no_data, not 100%", () => {
    expect(measure(objective, [], [], now)).toMatchObject({ value: null, status: "no_data" });
  });

  it("status from history: met, missed, on_track by a least-squares trend, at_risk", () => {
    const h = (...points: [string, number][]) => points.map(([day, value]) => ({ measuredAt: `${day}T00:00:00.000Z`, value }));
    expect(objectiveStatus(h(["2026-10-01", 100]), 100, "2027-01-01", now)).toBe("met");
    expect(objectiveStatus(h(["2026-10-01", 90]), 95, "2026-10-15", now)).toBe("missed");
    expect(objectiveStatus(h(["2026-09-01", 60], ["2026-10-01", 70], ["2026-11-01", 80]), 100, "2027-01-15", now)).toBe("on_track");
    expect(objectiveStatus(h(["2026-09-01", 60], ["2026-10-01", 70], ["2026-11-01", 80]), 100, "2026-12-15", now)).toBe("at_risk");
    expect(objectiveStatus(h(["2026-09-01", 80], ["2026-11-01", 70]), 100, "2027-12-31", now)).toBe("at_risk");
    expect(
      projectedDate(h(["2026-09-01", 60], ["2026-10-01", 70]), 100)
        ?.toISOString()
        .slice(0, 10),
    ).toBe("2026-12-30");
  });
});

describe("per-finding control mapping", () => {
  it("a finding that carries its own controls counts for exactly those, and its check is listed on them", () => {
    const a824 = ANNEX_A.find((c) => c.id === "A.8.24")!;
    const a85 = ANNEX_A.find((c) => c.id === "A.8.5")!;
    const finding = (controls: string[] | null, status: Finding["status"]): Finding => ({
      ...SCOPE,
      checkId: "aws.config.custom-rules",
      resourceId: "r",
      status,
      reason: "r",
      evidenceSha256: null,
      controls,
    });
    const results = rollUp({
      controls: [
        { control: a824, checks: [] },
        { control: a85, checks: [] },
      ],
      findings: [finding(["A.8.24"], "fail"), finding([], "fail")],
    });
    expect(results.map((r) => [r.controlId, r.status, r.checks])).toEqual([
      ["A.8.24", "fail", ["aws.config.custom-rules"]],
      ["A.8.5", "not_evaluated", []],
    ]);
  });
});
