/**
 * Delivers planned alerts to every configured channel that wants them: filtered by event and
 * minimum severity, retried with exponential backoff, each delivery recorded in the store. A
 * delivery that finally fails is recorded (and shown in the report); it never fails the run.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "../config/schema.js";
import { SEVERITIES } from "../domain.js";
import { causeText } from "../errors.js";
import type { Redactor } from "../engine/redact.js";
import type { AlertDelivery, Store } from "../store/store.js";
import { send, type AlertBatch } from "./channels.js";
import type { Alert } from "./plan.js";

export interface DeliverInput {
  config: Config;
  store: Store;
  redactor: Redactor;
  alerts: readonly Alert[];
  runId: number | null;
  now: () => Date;
  /** Waits out the backoff between attempts; default: a real timer. Tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<unknown>;
}

export async function deliverAlerts(input: DeliverInput): Promise<AlertDelivery[]> {
  const { config, store, redactor } = input;
  const settings = config.alerts;
  const wait = input.sleep ?? sleep;
  const deliveries: AlertDelivery[] = [];
  for (const channel of settings.channels) {
    const threshold = SEVERITIES.indexOf(channel.minSeverity);
    const wanted = input.alerts
      .filter((a) => channel.events.includes(a.event) && SEVERITIES.indexOf(a.severity) >= threshold)
      .map((a) => ({ ...a, message: redactor.text(a.message) }));
    if (wanted.length === 0) continue;
    const batch: AlertBatch = { organization: config.organization, runId: input.runId, sentAt: input.now().toISOString(), alerts: wanted };
    let attempts = 0;
    // Set by every attempt: null once one is sent.
    let error: string | null;
    for (;;) {
      attempts++;
      try {
        await send(channel, batch);
        error = null;
        break;
      } catch (cause) {
        error = redactor.text(cause instanceof Error ? `${cause.message}${causeText(cause)}` : String(cause));
        if (attempts > settings.retries) break;
        await wait(settings.backoffMs * 2 ** (attempts - 1));
      }
    }
    const delivery: AlertDelivery = {
      runId: input.runId,
      channel: channel.name,
      status: error === null ? "sent" : "failed",
      attempts,
      error: error === null ? null : `${channel.type} delivery failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${error}`,
      at: input.now().toISOString(),
      alerts: wanted.map((a) => `[${a.severity}] ${a.message}`),
    };
    await store.saveAlertDelivery(delivery);
    deliveries.push(delivery);
  }
  return deliveries;
}
