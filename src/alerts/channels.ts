/**
 * Alert channels: each turns a batch of alerts into one message in its own format and sends it.
 * Generic webhook (JSON signed with HMAC-SHA256), Slack and Teams incoming webhooks, and email
 * over SMTP with STARTTLS.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
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
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: batch.alerts
            .map((a) => `• ${line(a)}`)
            .join("\n")
            .slice(0, 3000),
        },
      },
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

/**
 * A delivery that failed, said in our own words. Receivers quote what they were sent in their
 * answers (a Slack or Teams webhook path is itself the secret; a mail server may quote the base64
 * AUTH PLAIN line), so an answer's body or a server's reply text is never kept: only the HTTP
 * status or SMTP reply code, a code from a fixed list, and a classified reason.
 */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
}

/** Slack's documented incoming-webhook error codes: kept when an answer starts with one. */
const SLACK_ERROR_CODES = new Set([
  "invalid_payload",
  "invalid_token",
  "invalid_blocks",
  "invalid_blocks_format",
  "no_text",
  "no_service",
  "no_service_id",
  "no_team",
  "team_disabled",
  "channel_not_found",
  "channel_is_archived",
  "action_prohibited",
  "posting_to_general_channel_denied",
  "too_many_attachments",
  "user_not_found",
]);

function httpReason(status: number): string {
  if (status === 400 || status === 422) return "the receiver rejected the message as malformed";
  if (status === 401 || status === 403) return "the receiver refused it: the webhook URL or its credentials are not, or no longer, valid";
  if (status === 404 || status === 410) return "the receiver does not know this webhook URL: it was mistyped, revoked or deleted";
  if (status === 408 || status === 504) return "the receiver timed out";
  if (status === 413) return "the message is too large for the receiver";
  if (status === 429) return "the receiver is rate-limiting deliveries";
  if (status >= 500) return "the receiver failed with a server error";
  return "the receiver gave an unexpected answer";
}

/** A system error code (ECONNREFUSED, CERT_HAS_EXPIRED…) from an error or its causes; never their messages. */
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return undefined;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "isms-agent", ...headers },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") throw new DeliveryError("no answer from the receiver within 15 s.");
    const code = errorCode(error);
    throw new DeliveryError(`could not reach the receiver${code ? ` (${code})` : ""}.`);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const word = /^[a-z_]{1,40}/.exec(text.trim())?.[0];
    const slackCode = word && SLACK_ERROR_CODES.has(word) ? ` ${word}` : "";
    throw new DeliveryError(`HTTP ${response.status}${slackCode} (${httpReason(response.status)}).`);
  }
  await response.arrayBuffer().catch(() => undefined);
}

const SMTP_REASONS: Record<string, string> = {
  ETLS: "STARTTLS with the mail server failed",
  EENVELOPE: "the mail server refused the sender or a recipient",
  EMESSAGE: "the mail server refused the message",
  ETIMEDOUT: "the mail server did not answer in time",
  ECONNECTION: "could not reach the mail server",
  ESOCKET: "could not reach the mail server",
  EDNS: "could not reach the mail server",
};

/** nodemailer's errors carry the server's reply text in their message; keep its code, reply code and command only. */
function smtpError(error: unknown): DeliveryError {
  const e = (error ?? {}) as { code?: unknown; originalCode?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  const reply = typeof e.responseCode === "number" ? e.responseCode : undefined;
  // nodemailer names the command by its verb ("AUTH PLAIN", "RCPT TO"), never with its argument.
  const command = typeof e.command === "string" && /^[A-Z][A-Z ]{0,20}$/.test(e.command) ? e.command : undefined;
  const reason =
    code === "EAUTH"
      ? reply
        ? "the mail server refused the login"
        : "the login could not be attempted"
      : ((code && SMTP_REASONS[code]) ?? "the mail server gave an unexpected answer");
  // nodemailer keeps the system error (ECONNREFUSED…) under originalCode.
  const system = typeof e.originalCode === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(e.originalCode) ? e.originalCode : undefined;
  const detail = [reply ? `reply ${reply}` : undefined, command && command !== "CONN" && command !== "API" ? `during ${command}` : undefined, system]
    .filter(Boolean)
    .join(" ");
  return new DeliveryError(`${reason}${detail ? ` (${detail})` : ""}.`);
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
      // Loaded on the first email only: a config without an email channel never loads nodemailer.
      const { default: nodemailer } = await import("nodemailer");
      const transport = nodemailer.createTransport({
        host: channel.host,
        port: channel.port,
        secure: channel.port === 465,
        requireTLS: channel.starttls,
        ignoreTLS: !channel.starttls,
        ...(channel.username && channel.password ? { auth: { user: channel.username, pass: channel.password } } : {}),
        ...(channel.caFile ? { tls: { ca: readCaFile(channel.caFile) } } : {}),
        connectionTimeout: 15_000,
      });
      try {
        await transport.sendMail({
          from: channel.from,
          to: channel.to,
          subject: title(batch),
          text: [title(batch), "", ...batch.alerts.map(line), "", `Sent ${batch.sentAt} by isms-agent.`].join("\n"),
        });
      } catch (error) {
        throw smtpError(error);
      } finally {
        transport.close();
      }
      return;
    }
  }
}

function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DeliveryError(`cannot read caFile ${file} (${errorCode(error) ?? "unreadable"}).`);
  }
}
