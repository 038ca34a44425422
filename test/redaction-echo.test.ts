/**
 * Secrets echoed back by alert receivers: a Slack/Teams endpoint that quotes the webhook path in
 * its error answer, and a mail server that quotes the AUTH PLAIN string (base64 of
 * "\0user\0password") when it refuses the login. Neither the secrets nor their derived forms
 * (path segments of a secret URL, base64 at any alignment, URL encoding) may reach the store,
 * the reports, what was printed or the daemon's logs — searched byte for byte.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../app/cli/output.js";
import { reportCommand } from "../app/cli/reports.js";
import { runCommand } from "../app/cli/run.js";
import { parseConfig } from "../app/config.js";
import { Daemon } from "../app/daemon/daemon.js";
import { Redactor } from "../src/engine/redact.js";
import { createLogger } from "../src/log.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { DEMO_MANAGEMENT_CONFIG, demoAwsAccount } from "../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../demo/servers/aws.js";
import { startEchoingHttpReceiver, startEchoingSmtpServer, type EchoingReceiver, type EchoingSmtpServer } from "./fixtures/servers/echo.js";
import { tempDir } from "./helpers.js";

const SLACK_TEAM = "T0CANARY01";
const SLACK_BOT = "B0CANARY02";
const SLACK_TOKEN = "EchoCanarySlackToken0123456789ab";
const TEAMS_WORKFLOW = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TEAMS_SIG = "TeamsSigCanary0123456789abcdefXYZ";
const SMTP_USER = "isms-agent";
// Characters that URL encoding changes, so its encoded form differs from the plain one.
const SMTP_PASSWORD = "Smtp/Echo+Canary=0123456789!";

/** A value and the forms it takes when echoed: URL-encoded, and base64 (plain and URL-safe) at each of the three byte alignments. */
function derivedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = [secret, encodeURIComponent(secret)];
  for (let skip = 0; skip < 3; skip++) {
    const aligned = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
    forms.push(aligned.toString("base64"), aligned.toString("base64url"));
  }
  return forms;
}

const leaky = {
  resourceType: "AWS::EC2::SecurityGroup",
  resourceId: "sg-0ffecho",
  compliance: "COMPLIANT" as "COMPLIANT" | "NON_COMPLIANT",
};
const dir = tempDir();
let aws: FakeAwsServer;
let echo: EchoingReceiver;
let smtp: EchoingSmtpServer;

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "echo-test-aws-secret-0123456789";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  const config = structuredClone(DEMO_MANAGEMENT_CONFIG);
  config["eu-west-1"]?.rules.find((r) => r.name === "restricted-ssh")?.evaluations.push(leaky);
  aws = await startFakeAws({ ...demoAwsAccount(new Date()), config });
  echo = await startEchoingHttpReceiver();
  smtp = await startEchoingSmtpServer();
}, 60_000);

afterAll(async () => {
  await aws.close();
  await echo.close();
  await smtp.close();
  dir.cleanup();
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("secrets echoed by alert receivers", () => {
  it("a webhook path quoted in an HTTP error and an AUTH PLAIN string quoted by a mail server reach no store, report, output or log", async () => {
    const slackUrl = `${echo.url}/services/${SLACK_TEAM}/${SLACK_BOT}/${SLACK_TOKEN}`;
    const teamsUrl = `${echo.url}/workflows/${TEAMS_WORKFLOW}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${TEAMS_SIG}`;
    const env = { ...process.env, ISMS_ECHO_SLACK_URL: slackUrl, ISMS_ECHO_TEAMS_URL: teamsUrl, ISMS_ECHO_SMTP_PASSWORD: SMTP_PASSWORD };
    const yaml = `organization: Example Ltd
database: ${join(dir.path, "data", "evidence.db")}
output: ${join(dir.path, "out")}
schedule: { cron: "0 2 * * *" }
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
alerts:
  retries: 0
  channels:
    - { type: slack, name: sec-slack, webhookUrl: "\${ISMS_ECHO_SLACK_URL}", events: [regression, resolved] }
    - { type: teams, name: grc-teams, webhookUrl: "\${ISMS_ECHO_TEAMS_URL}", events: [regression, resolved] }
    - type: email
      name: ciso-mail
      host: 127.0.0.1
      port: ${smtp.port}
      username: ${SMTP_USER}
      password: \${ISMS_ECHO_SMTP_PASSWORD}
      caFile: ${JSON.stringify(smtp.caFile)}
      from: isms-agent@example.com
      to: [ciso@example.com]
      events: [regression, resolved]
`;
    const loaded = parseConfig(yaml, join(dir.path, "isms-agent.yaml"), env);
    const printed: string[] = [];
    const logged: string[] = [];
    const io: Output = { out: (l) => printed.push(l), err: (l) => printed.push(l) };
    const plan = { aws: { iam: { pollIntervalMs: 5 } } };
    const day = (n: number) => () => new Date(Date.parse("2026-11-01T02:00:00Z") + n * 86_400_000);

    expect(await runCommand(loaded, io, { plan, now: day(0) })).toBe(0);
    // Run 2 through the daemon (JSON-line logs): the group fails now, a regression alerted everywhere.
    leaky.compliance = "NON_COMPLIANT";
    const store = await openSqliteStore({ file: loaded.config.database });
    const logger = createLogger({ pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => (logged.push(c.toString()), done()) }) });
    const daemon = new Daemon({
      config: loaded.config,
      store,
      redactor: Redactor.fromEnvironment(env, loaded.secrets),
      logger,
      plan,
      http: false,
      now: day(1),
    });
    const scope = daemon.scopes[0];
    if (!scope) throw new Error("no scope");
    await daemon.trigger(scope);
    await daemon.stop();
    await store.close();
    // Run 3 through the CLI: fixed again, a resolved alert, its failed deliveries printed.
    leaky.compliance = "COMPLIANT";
    expect(await runCommand(loaded, io, { plan, now: day(2) })).toBe(0);
    expect(await reportCommand(loaded, { run: "latest", format: "json,md,html,csv" }, io)).toBe(0);

    // The receivers were reached and refused; each failure is recorded with its status and reason.
    expect(echo.refused.length).toBeGreaterThanOrEqual(4);
    expect(smtp.refusedLogins).toBeGreaterThanOrEqual(2);
    const report = readFileSync(join(dir.path, "out", "report.json"), "utf8");
    expect(report).toMatch(/slack delivery failed after 1 attempt: HTTP 404/);
    expect(report).toMatch(/email delivery failed after 1 attempt: .*login/i);
    expect(printed.join("\n")).toMatch(/Alert delivery to sec-slack failed: slack delivery failed after 1 attempt: HTTP 404/);
    expect(logged.join("")).toMatch(/"channel":"grc-teams".*"teams delivery failed after 1 attempt: HTTP 404/);

    const forbidden = [
      slackUrl,
      teamsUrl,
      `/services/${SLACK_TEAM}/${SLACK_BOT}/${SLACK_TOKEN}`,
      ...[SLACK_TEAM, SLACK_BOT, SLACK_TOKEN, TEAMS_WORKFLOW, TEAMS_SIG, SMTP_PASSWORD].flatMap(derivedForms),
      Buffer.from(`\0${SMTP_USER}\0${SMTP_PASSWORD}`).toString("base64"),
    ];
    const places: [string, Buffer][] = [
      ...filesUnder(dir.path).map((f): [string, Buffer] => [f, readFileSync(f)]),
      ["printed output", Buffer.from(printed.join("\n"))],
      ["logs", Buffer.from(logged.join(""))],
    ];
    expect(places.some(([name]) => name.endsWith("evidence.db"))).toBe(true);
    for (const [name, bytes] of places) {
      for (const form of forbidden) {
        if (bytes.includes(Buffer.from(form))) throw new Error(`${name} contains a secret form ${form.slice(0, 4)}…`);
      }
    }
  }, 90_000);
});
