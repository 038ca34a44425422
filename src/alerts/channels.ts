/**
 * Alert channels: each turns a batch of alerts into one message in its own format and sends it.
 * Generic webhook (JSON signed with HMAC-SHA256), Slack and Teams incoming webhooks, and email
 * over SMTP with STARTTLS.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import type { AlertChannelConfig } from "../config/schema.js";
import type { Alert } from "./plan.js";

export interface AlertBatch {
  organization: string;
  runId: number | null;
  sentAt: string;
  alerts: readonly Alert[];
}

export const SIGNATURE_HEADER = "x-isms-signature";

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function line(alert: Alert): string {
  const tag = alert.flapping ? "flapping" : alert.reminder ? "reminder" : alert.event.replace("_", " ");
  return `[${alert.severity}] ${tag}: ${alert.message}`;
}

function title(batch: AlertBatch): string {
  const n = batch.alerts.length;
  return `isms-agent — ${batch.organization}: ${n} compliance alert${n === 1 ? "" : "s"}${batch.runId === null ? "" : ` (run ${batch.runId})`}`;
}

export function webhookBody(batch: AlertBatch): string {
  return JSON.stringify({
    type: "isms-agent.alerts",
    version: 1,
    organization: batch.organization,
    runId: batch.runId,
    sentAt: batch.sentAt,
    alerts: batch.alerts.map((a) => ({
      key: a.key,
      event: a.event,
      severity: a.severity,
      message: a.message,
      reminder: a.reminder,
      flapping: a.flapping,
    })),
  });
}

export function slackBody(batch: AlertBatch): string {
  const text = [title(batch), ...batch.alerts.map((a) => `• ${line(a)}`)].join("\n");
  return JSON.stringify({
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title(batch).slice(0, 150) } },
      // Slack caps a section's text at 3000 characters.
      { type: "section", text: { type: "mrkdwn", text: batch.alerts.map((a) => `• ${line(a)}`).join("\n").slice(0, 3000) } },
    ],
  });
}

export function teamsBody(batch: AlertBatch): string {
  return JSON.stringify({
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", size: "Medium", weight: "Bolder", text: title(batch), wrap: true },
            ...batch.alerts.map((a) => ({ type: "TextBlock", text: line(a), wrap: true })),
          ],
        },
      },
    ],
  });
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "isms-agent", ...headers },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    const text = (await response.text().catch(() => "")).slice(0, 200);
    throw new Error(`HTTP ${response.status}${text ? `: ${text}` : ""}`);
  }
  await response.arrayBuffer().catch(() => undefined);
}

export async function send(channel: AlertChannelConfig, batch: AlertBatch): Promise<void> {
  switch (channel.type) {
    case "webhook": {
      const body = webhookBody(batch);
      await post(channel.url, body, { [SIGNATURE_HEADER]: signBody(body, channel.secret) });
      return;
    }
    case "slack":
      await post(channel.webhookUrl, slackBody(batch), {});
      return;
    case "teams":
      await post(channel.webhookUrl, teamsBody(batch), {});
      return;
    case "email": {
      const transport = nodemailer.createTransport({
        host: channel.host,
        port: channel.port,
        secure: channel.port === 465,
        requireTLS: channel.starttls,
        ignoreTLS: !channel.starttls,
        ...(channel.username && channel.password ? { auth: { user: channel.username, pass: channel.password } } : {}),
        ...(channel.caFile ? { tls: { ca: readFileSync(channel.caFile) } } : {}),
        connectionTimeout: 15_000,
      });
      try {
        await transport.sendMail({
          from: channel.from,
          to: channel.to,
          subject: title(batch),
          text: [title(batch), "", ...batch.alerts.map(line), "", `Sent ${batch.sentAt} by isms-agent.`].join("\n"),
        });
      } finally {
        transport.close();
      }
      return;
    }
  }
}
