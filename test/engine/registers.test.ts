import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ControlResult, FindingCounts, ObjectiveMeasurement, RiskException } from "../../src/domain.js";
import { auditProgramme, type ProgrammeControl } from "../../src/engine/audit-programme.js";
import { advanceNonconformity, conditionIn, verificationText } from "../../src/engine/effectiveness.js";
import { failingSince, isOverdue, newNonconformity, nonconformitiesToOpen, type NcPolicy } from "../../src/engine/nonconformities.js";
import { inclusionFromRisks, riskLiveStatus, risksByControl, type RiskEvidence } from "../../src/engine/risks.js";
import { SeededStream, drawSample, populationDigest } from "../../src/engine/sampling.js";
import type { Nonconformity, Risk, RunSummary } from "../../src/registers.js";

const counts = (c: Partial<FindingCounts>): FindingCounts => ({ pass: 0, fail: 0, error: 0, not_applicable: 0, excepted: 0, ...c });
const control = (controlId: string, status: ControlResult["status"], checks: string[]): ControlResult => ({
  controlId,
  status,
  coverage: "automated",
  checks,
  counts: counts({}),
});
const measurement = (objectiveId: string, status: ObjectiveMeasurement["status"]): ObjectiveMeasurement => ({
  objectiveId,
  title: objectiveId,
  owner: "CISO",
  metric: "mfa_enrolment",
  value: status === "no_data" ? null : 80,
  numerator: 8,
  denominator: 10,
  errors: 0,
  target: 100,
  deadline: "2026-12-31",
  status,
  measuredAt: "2026-11-01T00:00:00Z",
});
const risk = (over: Partial<Risk> = {}): Risk => ({
  id: "R-3",
  title: "Account takeover of cloud consoles",
  asset: "AWS and Azure consoles",
  threat: "Credential stuffing",
  likelihood: 4,
  impact: 5,
  owner: "CISO",
  treatment: "treat",
  controls: ["A.8.5"],
  objectives: ["mfa-enrolment"],
  exceptions: [],
  residualTarget: 6,
  reviewDate: null,
  origin: "config",
  createdAt: null,
  ...over,
});
const evidence = (over: Partial<RiskEvidence> = {}): RiskEvidence => ({
  controls: new Map([["A.8.5", control("A.8.5", "pass", ["aws.iam.console-user-mfa", "github.org.members-2fa"])]]),
  checks: new Map([
    ["aws.iam.console-user-mfa", counts({ pass: 3 })],
    ["github.org.members-2fa", counts({ pass: 2 })],
  ]),
  objectives: new Map([["mfa-enrolment", measurement("mfa-enrolment", "on_track")]]),
  exceptions: [],
  now: new Date("2026-11-02T00:00:00Z"),
  ...over,
});

describe("a risk's live status", () => {
  it("is effective only while every treating control passes and every objective is on track", () => {
    const s = riskLiveStatus(risk(), evidence());
    expect(s.status).toBe("treatment_effective");
    expect(s.score).toBe(20);
    expect(s.reason).toBe("Treatment of risk R-3 is effective: A.8.5 passes, objective mfa-enrolment is on track.");
  });

  it("is not effective when a treating control fails, naming the failing checks", () => {
    const s = riskLiveStatus(
      risk(),
      evidence({
        controls: new Map([["A.8.5", control("A.8.5", "fail", ["aws.iam.console-user-mfa", "github.org.members-2fa"])]]),
        checks: new Map([
          ["aws.iam.console-user-mfa", counts({ pass: 2, fail: 1 })],
          ["github.org.members-2fa", counts({ pass: 2 })],
        ]),
      }),
    );
    expect(s.status).toBe("treatment_not_effective");
    expect(s.failingChecks).toEqual(["aws.iam.console-user-mfa"]);
    expect(s.failingControls).toEqual(["A.8.5"]);
    expect(s.reason).toBe("Treatment of risk R-3 is not effective: A.8.5 is fail (failing: aws.iam.console-user-mfa).");
  });

  it("is not effective when an objective is at risk, even with every control passing", () => {
    const s = riskLiveStatus(risk(), evidence({ objectives: new Map([["mfa-enrolment", measurement("mfa-enrolment", "at_risk")]]) }));
    expect(s.status).toBe("treatment_not_effective");
    expect(s.objectivesOffTrack).toEqual(["mfa-enrolment"]);
    expect(s.reason).toContain("objective mfa-enrolment is at risk (80% of 100%)");
  });

  it("is not evaluated, never effective, when a control was not evaluated or an objective has no data", () => {
    expect(riskLiveStatus(risk(), evidence({ controls: new Map() })).status).toBe("not_evaluated");
    expect(riskLiveStatus(risk(), evidence({ objectives: new Map([["mfa-enrolment", measurement("mfa-enrolment", "no_data")]]) })).status).toBe(
      "not_evaluated",
    );
    expect(riskLiveStatus(risk({ controls: [], objectives: [] }), evidence()).status).toBe("not_evaluated");
  });

  it("counts an excepted failure as not effective: an exception accepts a risk, it does not treat it", () => {
    const s = riskLiveStatus(
      risk({ objectives: [] }),
      evidence({
        controls: new Map([["A.8.5", control("A.8.5", "partial", ["aws.iam.console-user-mfa"])]]),
        checks: new Map([["aws.iam.console-user-mfa", counts({ pass: 2, excepted: 1 })]]),
      }),
    );
    expect(s.status).toBe("treatment_not_effective");
    expect(s.failingChecks).toEqual(["aws.iam.console-user-mfa"]);
  });

  it("links accepted risks to the exceptions register: accepted while they hold, lapsed once one expires or is missing", () => {
    const exception: RiskException = {
      id: "EXC-1",
      checkId: "aws.iam.console-user-mfa",
      resource: null,
      source: null,
      account: null,
      reason: "r",
      owner: "o",
      approvedBy: "a",
      expires: "2026-11-30",
      origin: "config",
      createdAt: null,
    };
    const accepted = risk({ treatment: "accept", exceptions: ["EXC-1"] });
    expect(riskLiveStatus(accepted, evidence({ exceptions: [exception] })).status).toBe("accepted");
    const lapsed = riskLiveStatus(accepted, evidence({ exceptions: [exception], now: new Date("2026-12-01T00:00:01Z") }));
    expect(lapsed.status).toBe("acceptance_lapsed");
    expect(lapsed.reason).toBe("The acceptance of risk R-3 has lapsed: exception EXC-1 expired on 2026-11-30.");
    expect(riskLiveStatus(accepted, evidence()).reason).toContain("exception EXC-1 is not in the register");
  });

  it("gives the SoA's inclusion justification from the risks a control treats, leaving out avoided ones", () => {
    const byControl = risksByControl([
      risk(),
      risk({ id: "R-7", title: "Loss of customer data", controls: ["A.8.5", "A.8.13"] }),
      risk({ id: "R-9", treatment: "avoid" }),
    ]);
    expect(inclusionFromRisks(byControl.get("A.8.5") ?? [])).toBe("Risk R-3: Account takeover of cloud consoles; Risk R-7: Loss of customer data.");
    expect(byControl.get("A.8.13")?.map((r) => r.id)).toEqual(["R-7"]);
  });
});

const DAY = 86_400_000;
const start = Date.parse("2026-11-01T00:00:00Z");
function run(i: number, checks: Record<string, Partial<FindingCounts>>, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: i + 1,
    hash: createHash("sha256").update(String(i)).digest("hex"),
    startedAt: new Date(start + i * 7 * DAY).toISOString(),
    checks: Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, counts(v)])),
    staleControls: [],
    objectives: {},
    ...extra,
  };
}
const policy: NcPolicy = { slaDays: { critical: 3, high: 7, medium: 30, low: 90 }, staleEvidenceDays: 7 };
const info = (severity: "high" | "low") => () => ({ title: "Console users have MFA", severity, controls: ["A.8.5"] });

describe("opening nonconformities", () => {
  const mfa = "aws.iam.console-user-mfa";
  it("opens one when a failure outlives its severity's SLA, not before", () => {
    const history = [run(0, { [mfa]: { pass: 3 } }), run(1, { [mfa]: { fail: 1, pass: 2 } }), run(2, { [mfa]: { fail: 2, pass: 1 } })];
    const atRun2 = new Date(Date.parse(history[2]!.startedAt) + 1000);
    const found = nonconformitiesToOpen(history, [], policy, info("high"), atRun2);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: `check:${mfa}`, origin: "failure_sla", severity: "high", controls: ["A.8.5"], checks: [mfa] });
    expect(found[0]?.title).toBe(
      `Check ${mfa} (Console users have MFA) has failed since 2026-11-08, longer than the 7-day SLA for high findings; 2 resources fail it in run 3.`,
    );
    expect(found[0]?.detectedRun.runId).toBe(3);
    // A low-severity failure of the same age is still within its 90 days.
    expect(nonconformitiesToOpen(history, [], policy, info("low"), atRun2)).toEqual([]);
    // Not twice: an existing one of the same key (open or closed) stands.
    expect(nonconformitiesToOpen(history, [{ key: `check:${mfa}` }], policy, info("high"), atRun2)).toEqual([]);
  });

  it("measures the failing streak from its start: a pass in between restarts it, an unjudged run does not", () => {
    const history = [run(0, { [mfa]: { fail: 1 } }), run(1, {}), run(2, { [mfa]: { fail: 1 } })];
    expect(failingSince(history, (r) => (r.checks[mfa] ? (r.checks[mfa].fail > 0 ? "fail" : "pass") : "unknown"))?.runId).toBe(1);
    const broken = [run(0, { [mfa]: { fail: 1 } }), run(1, { [mfa]: { pass: 1 } }), run(2, { [mfa]: { fail: 1 } })];
    expect(nonconformitiesToOpen(broken, [], policy, info("high"), new Date(Date.parse(broken[2]!.startedAt) + 6 * DAY))).toEqual([]);
  });

  it("opens one for an objective at risk past its deadline, and for evidence stale for the configured days", () => {
    const objectives = { "mfa-enrolment": { status: "at_risk", deadline: "2026-11-10" } };
    const history = [run(0, {}, { objectives, staleControls: ["A.8.13"] }), run(1, {}, { objectives, staleControls: ["A.8.13"] })];
    const beforeDeadline = nonconformitiesToOpen(history, [], policy, info("high"), new Date("2026-11-08T12:00:00Z"));
    expect(beforeDeadline.map((c) => c.key)).toEqual(["stale:A.8.13"]);
    const after = nonconformitiesToOpen(history, [], policy, info("high"), new Date("2026-11-11T00:00:00Z"));
    expect(after.map((c) => c.key)).toEqual(["objective:mfa-enrolment", "stale:A.8.13"]);
    expect(after[0]?.title).toBe("Objective mfa-enrolment is at risk after its deadline of 2026-11-10 (run 2).");
    // Stale only in the latest run, for less than 7 days: not yet.
    const fresh = [run(0, {}), run(1, {}, { staleControls: ["A.8.13"] })];
    expect(nonconformitiesToOpen(fresh, [], policy, info("high"), new Date(Date.parse(fresh[1]!.startedAt) + DAY))).toEqual([]);
  });

  it("calls an action overdue after its due day until it is closed", () => {
    expect(isOverdue({ status: "open", dueDate: "2026-11-10" }, new Date("2026-11-10T23:00:00Z"))).toBe(false);
    expect(isOverdue({ status: "verifying", dueDate: "2026-11-10" }, new Date("2026-11-11T00:00:00Z"))).toBe(true);
    expect(isOverdue({ status: "closed", dueDate: "2026-11-10" }, new Date("2026-11-11T00:00:00Z"))).toBe(false);
  });
});

describe("closing nonconformities by evidence", () => {
  const mfa = "aws.iam.console-user-mfa";
  const nc = (over: Partial<Nonconformity> = {}): Nonconformity => ({
    ...newNonconformity({
      id: "NC-1",
      key: `check:${mfa}`,
      origin: "failure_sla",
      title: "t",
      severity: "high",
      controls: ["A.8.5"],
      checks: [mfa],
      objectives: [],
      detectedAt: "2026-11-08T00:00:00.000Z",
      detectedRun: null,
      owner: "CISO",
      dueDate: null,
      similar: [],
    }),
    correctiveAction: "Enforce MFA with an SCP.",
    actionRecordedAt: "2026-11-09T00:00:00.000Z",
    updatedAt: "2026-11-09T00:00:00.000Z",
    ...over,
  });
  const effectiveness = { runs: 2, days: 7 };
  const now = new Date("2026-12-30T00:00:00Z");

  it("verifies the action only after N consecutive passing runs over at least T days, citing their hashes", () => {
    const history = [run(1, { [mfa]: { fail: 1 } }), run(2, { [mfa]: { pass: 3 } })];
    const one = advanceNonconformity(nc(), history, effectiveness, now);
    expect(one.event).toBe("verifying");
    expect(one.nc.status).toBe("verifying");
    const two = advanceNonconformity(one.nc, [...history, run(3, { [mfa]: { pass: 3 } })], effectiveness, now);
    expect(two.event).toBe("verified");
    expect(two.nc.status).toBe("closed");
    expect(two.nc.verification.map((r) => r.runId)).toEqual([3, 4]);
    expect(verificationText(two.nc, effectiveness)).toBe(
      `Verified effective: passed on 2 consecutive runs (run 3 ${history[1]!.hash.slice(0, 12)}, run 4 ${run(3, {}).hash.slice(0, 12)}).`,
    );
  });

  it("needs the days as well as the runs: two passing runs an hour apart are not enough", () => {
    const a = run(2, { [mfa]: { pass: 1 } });
    const b = { ...run(3, { [mfa]: { pass: 1 } }), startedAt: new Date(Date.parse(a.startedAt) + 3_600_000).toISOString() };
    expect(advanceNonconformity(nc(), [a, b], effectiveness, now).nc.status).toBe("verifying");
  });

  it("counts only runs after the action, restarts on a failure, and never verifies without an action", () => {
    const history = [run(1, { [mfa]: { pass: 1 } }), run(2, { [mfa]: { fail: 1 } }), run(3, { [mfa]: { pass: 1 } })];
    expect(advanceNonconformity(nc(), history, effectiveness, now).nc.verification.map((r) => r.runId)).toEqual([4]);
    expect(advanceNonconformity(nc({ correctiveAction: null, actionRecordedAt: null }), history, effectiveness, now).event).toBeNull();
    // Runs before the action was recorded do not count, however well they went.
    const early = [run(0, { [mfa]: { pass: 1 } }), run(0.5, { [mfa]: { pass: 1 } })];
    expect(advanceNonconformity(nc({ actionRecordedAt: "2026-12-01T00:00:00.000Z" }), early, effectiveness, now).nc.status).toBe("open");
  });

  it("reopens a closed nonconformity on recurrence, and a new streak must start after it", () => {
    const closed = nc({ status: "closed", closedAt: "2026-11-23T00:00:00.000Z", verification: [] });
    const recur = advanceNonconformity(closed, [run(4, { [mfa]: { fail: 1 } })], effectiveness, now);
    expect(recur.event).toBe("reopened");
    expect(recur.nc).toMatchObject({ status: "open", recurrences: 1, reopenedAt: run(4, {}).startedAt, closedAt: null });
    // The passing runs before the recurrence are not counted again.
    const after = advanceNonconformity(
      recur.nc,
      [run(3, { [mfa]: { pass: 1 } }), run(4, { [mfa]: { fail: 1 } }), run(5, { [mfa]: { pass: 1 } })],
      effectiveness,
      now,
    );
    expect(after.nc.verification.map((r) => r.runId)).toEqual([6]);
    // A closed one whose checks still pass stays closed.
    expect(advanceNonconformity(closed, [run(4, { [mfa]: { pass: 1 } })], effectiveness, now).event).toBeNull();
  });

  it("judges objectives and stale evidence too, and leaves one no evidence names to people", () => {
    const objective = nc({ checks: [], objectives: ["mfa"], origin: "objective_deadline" });
    expect(conditionIn(objective, run(1, {}, { objectives: { mfa: { status: "missed", deadline: "x" } } }))).toBe("fail");
    expect(conditionIn(objective, run(1, {}, { objectives: { mfa: { status: "met", deadline: "x" } } }))).toBe("pass");
    const stale = nc({ checks: [], origin: "stale_evidence", controls: ["A.8.13"] });
    expect(conditionIn(stale, run(1, {}, { staleControls: ["A.8.13"] }))).toBe("fail");
    const manual = nc({ checks: [], origin: "manual", key: null });
    expect(advanceNonconformity(manual, [run(1, {})], effectiveness, now).event).toBeNull();
    expect(verificationText(manual, effectiveness)).toContain("close it by hand");
  });
});

describe("audit sampling", () => {
  it("is reproducible from the seed and the population, whatever order the population came in", () => {
    const population = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const a = drawSample(population, 25, "audit-2026-Q4");
    const b = drawSample([...population].reverse(), 25, "audit-2026-Q4");
    expect(b).toEqual(a);
    expect(a.items).toHaveLength(25);
    expect(new Set(a.items).size).toBe(25);
    expect(a.populationSize).toBe(200);
    expect(a.populationSha256).toBe(populationDigest(population).sha256);
    expect(drawSample(population, 25, "another seed").items).not.toEqual(a.items);
  });

  it("rebuilds from sha256 alone: block i is sha256(seed:i) read as big-endian 32-bit words", () => {
    const digest = createHash("sha256").update("s:0").digest();
    const stream = new SeededStream("s");
    for (let i = 0; i < 8; i++) expect(stream.nextUint32()).toBe(digest.readUInt32BE(i * 4));
    expect(stream.nextUint32()).toBe(createHash("sha256").update("s:1").digest().readUInt32BE(0));
    // Pinned, so a change of algorithm cannot pass unnoticed: an auditor's redraw would differ.
    expect(drawSample(["a", "b", "c", "d", "e"], 3, "pinned").items).toEqual(drawSample(["e", "d", "c", "b", "a"], 3, "pinned").items);
    expect(drawSample(["a", "b", "c", "d", "e"], 3, "pinned").items).toMatchInlineSnapshot(`
      [
        "e",
        "b",
        "d",
      ]
    `);
  });

  it("draws every item once when the sample is as large as the population, and is uniform within bounds", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 60 }), fc.string(), (pop, size, seed) => {
        const s = drawSample(pop, size, seed);
        expect(s.items.length).toBe(Math.min(size, pop.length));
        expect(new Set(s.items).size).toBe(s.items.length);
        for (const item of s.items) expect(pop).toContain(item);
      }),
    );
    const stream = new SeededStream("uniform");
    const buckets = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) buckets[stream.below(3)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    expect(() => drawSample(["a"], 0, "s")).toThrow(/positive integer/);
  });
});

describe("the internal audit programme", () => {
  const control = (id: string, over: Partial<ProgrammeControl> = {}): ProgrammeControl => ({
    id,
    title: id,
    applicable: true,
    status: "pass",
    stale: false,
    manualOnly: false,
    riskScore: 0,
    owners: [],
    ...over,
  });

  it("audits every applicable control at least once in the cycle, failing, stale, manual-only and high-risk ones first and more often", () => {
    const plan = auditProgramme(
      [
        control("A.5.1"),
        control("A.5.2"),
        control("A.7.5", { applicable: false }),
        control("A.6.3", { status: null, manualOnly: true }),
        control("A.8.5", { status: "fail", riskScore: 20 }),
        control("A.8.13", { stale: true, riskScore: 6 }),
      ],
      { cycleYears: 3, auditors: [], highRisk: 15 },
    );
    expect(plan.map((p) => [p.control, p.priority, p.frequency])).toEqual([
      ["A.8.5", 5, "every quarter"],
      ["A.8.13", 3, "twice a year"],
      ["A.6.3", 2, "once a year"],
      ["A.5.1", 0, "once in the cycle"],
      ["A.5.2", 0, "once in the cycle"],
    ]);
    expect(plan[0]?.quarters).toHaveLength(12);
    expect(plan[0]?.reasons).toEqual(["A.8.5 is fail in the latest run.", "It treats a high risk (score 20)."]);
    // Spread: the controls audited once in the cycle fall in different quarters.
    expect(plan.slice(3).map((p) => p.quarters)).toEqual([[1], [2]]);
  });

  it("never assigns an auditor to a control they own, shares the work out, and says when nobody is impartial", () => {
    const plan = auditProgramme(
      [control("A.8.5", { status: "fail", owners: ["Alice"] }), control("A.5.1", { owners: ["Bob"] }), control("A.5.2", { owners: ["Alice", "Bob"] })],
      { cycleYears: 1, auditors: ["Alice", "Bob"], highRisk: 15 },
    );
    expect(plan.map((p) => [p.control, p.auditor])).toEqual([
      ["A.8.5", "Bob"],
      ["A.5.1", "Alice"],
      ["A.5.2", null],
    ]);
    expect(plan[2]?.reasons).toContain("No listed auditor is impartial: Alice, Bob own it. Appoint another.");
  });
});
