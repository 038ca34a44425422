import { createHmac } from "node:crypto";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { deliverAlerts } from "../../src/alerts/deliver.js";
import type { Alert } from "../../src/alerts/plan.js";
import { parseConfig } from "../../app/config.js";
import { Redactor } from "../../src/engine/redact.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from "../fixtures/servers/alerts.js";
import { startEchoingHttpReceiver, startEchoingSmtpServer } from "../fixtures/servers/echo.js";
import { tempDir } from "../helpers.js";

const WEBHOOK_SECRET = "whsec-test-0123456789abcdef";
const SMTP_PASSWORD = "smtp-pass-0123456789";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const alerts: Alert[] = [
  {
    key: "finding:aws.iam.console-user-mfa:prod:123456789012:global:carol",
    event: "regression",
    severity: "high",
    message: "aws.iam.console-user-mfa now fails for carol (prod, account 123456789012).",
    reminder: false,
    flapping: false,
  },
  {
    key: "objective:mfa",
    event: "objective",
    severity: "medium",
    message: 'Objective "MFA for everyone" fell from 90% to 85%.',
    reminder: false,
    flapping: false,
  },
  { key: "finding:x:prod:1:global:y", event: "resolved", severity: "low", message: "x passes again for y.", reminder: false, flapping: false },
];

async function setup(
  channelsYaml: string,
  env: Record<string, string> = {},
  options: { redactKnownSecrets?: boolean } = {},
): Promise<{ store: SqliteStore; run: (a?: Alert[]) => ReturnType<typeof deliverAlerts>; waits: number[] }> {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const yaml = `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
alerts:
  retries: 2
  backoffMs: 10
  channels:
${channelsYaml}`;
  const loaded = parseConfig(yaml, join(dir.path, "isms-agent.yaml"), { ...process.env, ...env });
  const store = await openSqliteStore({ file: loaded.config.database });
  cleanups.push(() => store.close());
  const redactor = options.redactKnownSecrets === false ? new Redactor([]) : Redactor.fromEnvironment({}, loaded.secrets);
  // Backoff waits are recorded, not slept: the tests never wait on the real clock.
  const waits: number[] = [];
  const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
  return {
    store,
    waits,
    run: (a = alerts) => deliverAlerts({ config: loaded.config, store, redactor, alerts: a, runId: null, now: () => new Date("2026-11-02T02:00:00Z"), sleep }),
  };
}

async function receiver(options: { failTimes?: number } = {}): Promise<HttpReceiver> {
  const r = await startHttpReceiver(options);
  cleanups.push(() => r.close());
  return r;
}

describe("alert channels, delivered to real local receivers", () => {
  it("generic webhook: a JSON POST whose X-Isms-Signature is the HMAC-SHA256 of the body under the shared secret", async () => {
    const hook = await receiver();
    const { run } = await setup(
      `    - type: webhook
      name: siem
      url: ${hook.url}/isms
      secret: \${TEST_WEBHOOK_SECRET}
      events: [regression, objective, resolved]`,
      { TEST_WEBHOOK_SECRET: WEBHOOK_SECRET },
    );
    const [delivery] = await run();
    expect(delivery).toMatchObject({ channel: "siem", status: "sent", attempts: 1 });
    expect(hook.posts).toHaveLength(1);
    const post = hook.posts[0];
    if (!post) throw new Error("no post");
    expect(post.path).toBe("/isms");
    const expected = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(post.body).digest("hex")}`;
    expect(post.headers["x-isms-signature"]).toBe(expected);
    // A receiver checking with a wrong secret would reject it.
    expect(post.headers["x-isms-signature"]).not.toBe(`sha256=${createHmac("sha256", "wrong").update(post.body).digest("hex")}`);
    const body = JSON.parse(post.body) as { organization: string; alerts: { key: string; severity: string; message: string }[] };
    expect(body.organization).toBe("Example Ltd");
    expect(body.alerts.map((a) => a.key)).toEqual(alerts.map((a) => a.key));
    expect(post.body).not.toContain(WEBHOOK_SECRET);
  });

  it("Slack and Teams incoming webhooks get their own formats; events and minimum severity filter what each receives", async () => {
    const slack = await receiver();
    const teams = await receiver();
    const { run } = await setup(
      `    - type: slack
      name: sec-slack
      webhookUrl: \${TEST_SLACK_URL}
      minSeverity: medium
    - type: teams
      name: grc-teams
      webhookUrl: ${teams.url}/webhookb2/abc
      events: [objective]`,
      { TEST_SLACK_URL: `${slack.url}/services/T000/B000/XXXX` },
    );
    const deliveries = await run();
    expect(deliveries.map((d) => [d.channel, d.status, d.alerts.length])).toEqual([
      ["sec-slack", "sent", 2],
      ["grc-teams", "sent", 1],
    ]);
    const slackBody = JSON.parse(slack.posts[0]?.body ?? "{}") as { text: string; blocks: unknown[] };
    expect(slack.posts[0]?.path).toBe("/services/T000/B000/XXXX");
    expect(slackBody.text).toMatch(/2 compliance alerts/);
    expect(slackBody.text).toContain("[high] regression: aws.iam.console-user-mfa now fails for carol");
    expect(slackBody.text).not.toContain("passes again");
    const teamsBody = JSON.parse(teams.posts[0]?.body ?? "{}") as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[];
    };
    expect(teamsBody.type).toBe("message");
    expect(teamsBody.attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teamsBody.attachments[0]?.content.body.map((b) => b.text)).toEqual([
      "isms-agent — Example Ltd: 1 compliance alert",
      '[medium] objective: Objective "MFA for everyone" fell from 90% to 85%.',
    ]);
  });

  it("email over SMTP: STARTTLS before login, to every recipient", async () => {
    const smtp: SmtpReceiver = await startSmtpReceiver({ user: "isms-agent", pass: SMTP_PASSWORD });
    cleanups.push(() => smtp.close());
    const { run } = await setup(
      `    - type: email
      name: ciso-mail
      host: 127.0.0.1
      port: ${smtp.port}
      username: isms-agent
      password: \${TEST_SMTP_PASSWORD}
      caFile: ${JSON.stringify(smtp.caFile)}
      from: isms-agent@example.com
      to: [ciso@example.com, grc@example.com]
      minSeverity: high`,
      { TEST_SMTP_PASSWORD: SMTP_PASSWORD },
    );
    const [delivery] = await run();
    expect(delivery).toMatchObject({ status: "sent", attempts: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail).toMatchObject({ from: "isms-agent@example.com", to: ["ciso@example.com", "grc@example.com"], user: "isms-agent", secure: true });
    expect(mail?.raw).toMatch(/^Subject: /m);
    expect(mail?.raw).toContain("aws.iam.console-user-mfa now fails for carol");
    expect(mail?.raw).not.toContain("fell from 90%");
  });

  it("delivery is retried with backoff; one that finally fails is recorded with its reason and never throws", async () => {
    const flaky = await receiver({ failTimes: 2 });
    const down = await receiver({ failTimes: 100 });
    const { run, waits } = await setup(`    - { type: slack, name: flaky, webhookUrl: "${flaky.url}/hook" }
    - { type: slack, name: down, webhookUrl: "${down.url}/hook" }`);
    const deliveries = await run();
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts])).toEqual([
      ["flaky", "sent", 3],
      ["down", "failed", 3],
    ]);
    // backoffMs 10, doubled after each failed attempt; none after the last one.
    expect(waits).toEqual([10, 20, 10, 20]);
    expect(deliveries[1]?.error).toBe("slack delivery failed after 3 attempts: HTTP 500 (the receiver failed with a server error).");
    expect(flaky.posts).toHaveLength(1);
  });

  // Receivers quote what they were sent (a Slack/Teams webhook path is the secret itself; a mail
  // server may quote the AUTH PLAIN line). Even a redactor that knows no secret must not let that
  // through: only the status and a classified reason are kept.
  it("a refusing receiver's answer is never kept verbatim: the HTTP status or SMTP reply code and a classified reason only", async () => {
    const echo = await startEchoingHttpReceiver(404);
    cleanups.push(() => echo.close());
    const smtp = await startEchoingSmtpServer();
    cleanups.push(() => smtp.close());
    const slackPath = "/services/T0CANARY01/B0CANARY02/EchoCanarySlackToken0123456789ab";
    const { run } = await setup(
      `    - { type: slack, name: sec-slack, webhookUrl: "${echo.url}${slackPath}" }
    - type: email
      name: ciso-mail
      host: 127.0.0.1
      port: ${smtp.port}
      username: isms-agent
      password: smtp-echo-pass-0123456789
      caFile: ${JSON.stringify(smtp.caFile)}
      from: isms-agent@example.com
      to: [ciso@example.com]`,
      {},
      { redactKnownSecrets: false },
    );
    const deliveries = await run();
    expect(echo.refused).toContain(slackPath);
    expect(smtp.refusedLogins).toBeGreaterThan(0);
    expect(deliveries.map((d) => d.error)).toEqual([
      "slack delivery failed after 3 attempts: HTTP 404 no_service (the receiver does not know this webhook URL: it was mistyped, revoked or deleted).",
      "email delivery failed after 3 attempts: the mail server refused the login (reply 535 during AUTH PLAIN).",
    ]);
  });
});
