/**
 * Which alerts to send, and the dedup state after sending them. Pure.
 *
 * One alert per change, not per run: drift says what changed; a condition that stays open (a
 * finding still failing, a collector still down, evidence still stale) is sent again only after
 * the reminder interval; something that opens and closes too often in a window is flapping and
 * gets one summary instead of an alert per change.
 */
import type { AlertEvent } from "../config/schema.js";
import type { DriftEvent, DriftKind, Severity } from "../domain.js";
import type { AlertState } from "../store/store.js";

export interface Alert {
  key: string;
  event: AlertEvent;
  severity: Severity;
  message: string;
  /** Sent again because the condition is still open after the reminder interval. */
  reminder: boolean;
  /** A summary standing in for the changes of a flapping key. */
  flapping: boolean;
}

/** A change or condition that may become an alert. */
export interface Signal {
  key: string;
  event: AlertEvent;
  severity: Severity;
  message: string;
  /** opens / closes a condition with dedup state; once: a one-off change (objective, control). */
  effect: "opens" | "closes" | "once";
}

const DRIFT_SIGNALS: Partial<Record<DriftKind, Pick<Signal, "event" | "effect">>> = {
  regression: { event: "regression", effect: "opens" },
  new_failure: { event: "regression", effect: "opens" },
  exception_expired: { event: "regression", effect: "opens" },
  fixed: { event: "resolved", effect: "closes" },
  collector_failed: { event: "collector_failure", effect: "opens" },
  collector_recovered: { event: "resolved", effect: "closes" },
  objective_changed: { event: "objective", effect: "once" },
  control_changed: { event: "control", effect: "once" },
  // new and vanished resources are kept as drift, not alerted.
};

export function signalsFromDrift(events: readonly DriftEvent[]): Signal[] {
  return events.flatMap((e) => {
    const mapped = DRIFT_SIGNALS[e.kind];
    return mapped ? [{ key: e.key, severity: e.severity, message: e.message, ...mapped }] : [];
  });
}

export interface PlanInput {
  signals: readonly Signal[];
  states: readonly AlertState[];
  /**
   * Keys whose condition is open right now, among those this evaluation can see (`judges`).
   * An open state it can see that is not here closed without an alert (e.g. the resource went away).
   */
  stillOpen: ReadonlySet<string>;
  judges: (key: string) => boolean;
  now: Date;
  reminderHours: number;
  flapping: { changes: number; withinHours: number };
}

export interface Plan {
  alerts: Alert[];
  /** States that changed, to be saved. */
  states: AlertState[];
}

const HOUR_MS = 3_600_000;

export function planAlerts(input: PlanInput): Plan {
  const { now, reminderHours, flapping } = input;
  const at = now.toISOString();
  const states = new Map(input.states.map((s) => [s.key, { ...s, changes: [...s.changes] }]));
  const touched = new Set<string>();
  const alerts: Alert[] = [];
  const windowStart = now.getTime() - flapping.withinHours * HOUR_MS;
  const reminderDue = (s: AlertState) => s.lastSentAt === null || now.getTime() - Date.parse(s.lastSentAt) >= reminderHours * HOUR_MS;
  const isFlapping = (s: AlertState) => s.changes.filter((c) => Date.parse(c) >= windowStart).length >= flapping.changes;
  const flapSummary = (s: AlertState, signal: Signal): Alert => ({
    key: s.key,
    event: signal.event,
    severity: signal.severity,
    message: `Flapping: this changed ${s.changes.filter((c) => Date.parse(c) >= windowStart).length} times in the last ${flapping.withinHours} h; single changes are held back until it settles. Latest: ${signal.message}`,
    reminder: false,
    flapping: true,
  });

  for (const signal of input.signals) {
    if (signal.effect === "once") {
      alerts.push({ key: signal.key, event: signal.event, severity: signal.severity, message: signal.message, reminder: false, flapping: false });
      continue;
    }
    const existing = states.get(signal.key);
    if (signal.effect === "closes" && !existing?.open) {
      // Nothing was open for it here (e.g. first run, or opened before alerting was configured).
      if (!existing) continue;
    }
    const state: AlertState = existing ?? {
      key: signal.key,
      open: false,
      severity: signal.severity,
      message: signal.message,
      openedAt: at,
      lastSentAt: null,
      changes: [],
    };
    const opening = signal.effect === "opens";
    if (state.open === opening) {
      // Already in that state: nothing changed as far as alerts are concerned.
      continue;
    }
    state.open = opening;
    state.severity = signal.severity;
    state.message = signal.message;
    if (opening) state.openedAt = at;
    state.changes = [...state.changes.filter((c) => Date.parse(c) >= windowStart), at];
    states.set(state.key, state);
    touched.add(state.key);
    if (isFlapping(state)) {
      // One summary when it starts flapping, then at most one per reminder interval.
      const startsFlapping = state.changes.filter((c) => Date.parse(c) >= windowStart).length === flapping.changes;
      if (startsFlapping || reminderDue(state)) {
        alerts.push(flapSummary(state, signal));
        state.lastSentAt = at;
      }
      continue;
    }
    alerts.push({ key: state.key, event: signal.event, severity: signal.severity, message: signal.message, reminder: false, flapping: false });
    state.lastSentAt = at;
  }

  for (const state of states.values()) {
    if (touched.has(state.key) || !state.open || !input.judges(state.key)) continue;
    if (!input.stillOpen.has(state.key)) {
      state.open = false;
      touched.add(state.key);
      continue;
    }
    if (!reminderDue(state)) continue;
    alerts.push({
      key: state.key,
      event: eventOfKey(state.key),
      severity: state.severity as Severity,
      message: `Still open since ${state.openedAt.slice(0, 16).replace("T", " ")} UTC: ${state.message}`,
      reminder: true,
      flapping: false,
    });
    state.lastSentAt = at;
    touched.add(state.key);
  }
  return { alerts, states: [...touched].map((key) => states.get(key)).filter((s): s is AlertState => s !== undefined) };
}

function eventOfKey(key: string): AlertEvent {
  if (key.startsWith("collector:")) return "collector_failure";
  if (key.startsWith("stale:")) return "stale_evidence";
  return "regression";
}
