import { describe, expect, it } from "vitest";
import { planAlerts, type PlanInput, type Signal } from "../../src/alerts/plan.js";
import type { AlertState } from "../../src/store/store.js";

const key = "finding:aws.iam.console-user-mfa:prod:123456789012:global:carol";
const opens: Signal = { key, event: "regression", severity: "high", effect: "opens", message: "aws.iam.console-user-mfa now fails for carol." };
const closes: Signal = { key, event: "resolved", severity: "low", effect: "closes", message: "aws.iam.console-user-mfa passes again for carol." };

function step(states: AlertState[], signals: Signal[], at: string, stillOpen: string[] = [], extra: Partial<PlanInput> = {}) {
  const plan = planAlerts({
    signals,
    states,
    stillOpen: new Set(stillOpen),
    judges: () => true,
    now: new Date(at),
    reminderHours: 24,
    flapping: { changes: 3, withinHours: 72 },
    ...extra,
  });
  const merged = new Map(states.map((s) => [s.key, s]));
  for (const s of plan.states) merged.set(s.key, s);
  return { alerts: plan.alerts, states: [...merged.values()] };
}

describe("alert dedup, reminders and flapping", () => {
  it("one alert per change: a regression that stays failing is not re-sent before the reminder interval", () => {
    let s = step([], [opens], "2026-11-01T02:00:00Z", [key]);
    expect(s.alerts.map((a) => a.message)).toEqual([opens.message]);
    // The next runs see the same failure, no new drift: nothing until 24 h passed.
    s = step(s.states, [], "2026-11-01T14:00:00Z", [key]);
    expect(s.alerts).toEqual([]);
    s = step(s.states, [], "2026-11-02T02:00:00Z", [key]);
    expect(s.alerts).toHaveLength(1);
    expect(s.alerts[0]).toMatchObject({ reminder: true, severity: "high", event: "regression" });
    expect(s.alerts[0]?.message).toMatch(/^Still open since 2026-11-01 02:00 UTC: /);
    s = step(s.states, [], "2026-11-02T14:00:00Z", [key]);
    expect(s.alerts).toEqual([]);
  });

  it("a fix is sent once and closes the condition; no reminders after it", () => {
    let s = step([], [opens], "2026-11-01T02:00:00Z", [key]);
    s = step(s.states, [closes], "2026-11-01T08:00:00Z");
    expect(s.alerts.map((a) => a.event)).toEqual(["resolved"]);
    s = step(s.states, [], "2026-11-05T08:00:00Z");
    expect(s.alerts).toEqual([]);
  });

  it("a condition that goes away without a fix event (resource deleted) closes silently", () => {
    let s = step([], [opens], "2026-11-01T02:00:00Z", [key]);
    s = step(s.states, [], "2026-11-03T02:00:00Z", []);
    expect(s.alerts).toEqual([]);
    expect(s.states.find((x) => x.key === key)?.open).toBe(false);
  });

  it("a flapping finding is summarised once, not alerted on every change", () => {
    let s = step([], [opens], "2026-11-01T00:00:00Z", [key]);
    s = step(s.states, [closes], "2026-11-01T06:00:00Z");
    expect(s.alerts).toHaveLength(1);
    s = step(s.states, [opens], "2026-11-01T12:00:00Z", [key]);
    expect(s.alerts).toHaveLength(1);
    expect(s.alerts[0]).toMatchObject({ flapping: true });
    expect(s.alerts[0]?.message).toMatch(/^Flapping: this changed 3 times in the last 72 h/);
    for (const [at, signal] of [
      ["2026-11-01T18:00:00Z", closes],
      ["2026-11-02T00:00:00Z", opens],
      ["2026-11-02T06:00:00Z", closes],
    ] as const) {
      s = step(s.states, [signal], at, signal === opens ? [key] : []);
      expect(s.alerts).toEqual([]);
    }
  });

  it("one-off changes (objective, control) are sent as they come; keys this evaluation cannot see are left alone", () => {
    const objective: Signal = { key: "objective:mfa", event: "objective", severity: "high", effect: "once", message: "Objective went at risk." };
    let s = step([], [opens, objective], "2026-11-01T00:00:00Z", [key]);
    expect(s.alerts).toHaveLength(2);
    s = step(s.states, [], "2026-11-03T00:00:00Z", [], { judges: () => false });
    expect(s.alerts).toEqual([]);
    expect(s.states.find((x) => x.key === key)?.open).toBe(true);
  });
});
