/**
 * Secrets never leave memory: with known secret values in the environment and planted in API
 * payloads, after runs (CLI and daemon), reports, alerts and an evidence pack, none of the values
 * appears anywhere on disk or in what was printed, logged or sent — searched byte for byte.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import yauzl from "yauzl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../app/cli/output.js";
import { packCommand, reportCommand } from "../app/cli/reports.js";
import { runCommand } from "../app/cli/run.js";
import { parseConfig } from "../app/config.js";
import { Daemon } from "../app/daemon/daemon.js";
import { Redactor } from "../src/engine/redact.js";
import { createLogger } from "../src/log.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { DEMO_MANAGEMENT_CONFIG, demoAwsAccount } from "../demo/estates/demo.js";
import { startHttpReceiver, type HttpReceiver } from "./fixtures/servers/alerts.js";
import { startFakeAws, type FakeAwsServer } from "../demo/servers/aws.js";
import { tempDir } from "./helpers.js";

const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREDACTME01";
const API_TOKEN = "ghp_RedactionCanary0123456789abcdefABCD";
const HOOK_SECRET = "whsec_RedactionCanaryHook0123456789";
const SECRETS = [AWS_SECRET, API_TOKEN, HOOK_SECRET];

// Compliant in the first run, failing in the second: a regression, so an alert quotes it.
const leaky = {
  resourceType: "AWS::EC2::SecurityGroup",
  resourceId: "sg-0ffleaky",
  compliance: "COMPLIANT" as "COMPLIANT" | "NON_COMPLIANT",
  annotation: `Debug: Authorization: Bearer ${API_TOKEN}; aws_secret_access_key=${AWS_SECRET}; hook=${HOOK_SECRET}`,
};
const dir = tempDir();
let aws: FakeAwsServer;
let hook: HttpReceiver;
const printed: string[] = [];
const logged: string[] = [];

beforeAll(async () => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = AWS_SECRET;
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  process.env["ISMS_TEST_API_TOKEN"] = API_TOKEN;
  process.env["ISMS_TEST_HOOK_SECRET"] = HOOK_SECRET;
  // Planted where an API could echo them: a Config evaluation annotation (stored as evidence and
  // quoted in the finding's reason), a resource id, and a header echoed back.
  const config = structuredClone(DEMO_MANAGEMENT_CONFIG);
  const ssh = config["eu-west-1"]?.rules.find((r) => r.name === "restricted-ssh");
  ssh?.evaluations.push(leaky);
  aws = await startFakeAws({ ...demoAwsAccount(new Date()), config });
  hook = await startHttpReceiver();
}, 60_000);

afterAll(async () => {
  await aws.close();
  await hook.close();
  dir.cleanup();
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function zipEntries(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e || !z ? fail(e) : ok(z))));
  await new Promise<void>((ok, fail) => {
    zip.on("end", ok);
    zip.on("error", fail);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, s) => {
        if (e || !s) return fail(e);
        const chunks: Buffer[] = [];
        s.on("data", (c: Buffer) => chunks.push(c));
        s.on("end", () => {
          out.push(Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  zip.close();
  return out;
}

describe("secret redaction", () => {
  it("no secret value appears in the database, reports, pack, printed output, logs or alerts", async () => {
    const yaml = `organization: Example Ltd
database: ${join(dir.path, "data", "evidence.db")}
output: ${join(dir.path, "out")}
schedule: { cron: "0 2 * * *" }
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
alerts:
  channels:
    - type: webhook
      name: siem
      url: ${hook.url}/hook
      secret: \${ISMS_TEST_HOOK_SECRET}
      events: [regression, resolved, objective, control, collector_failure, stale_evidence]
`;
    const loaded = parseConfig(yaml, join(dir.path, "isms-agent.yaml"), process.env);
    const io: Output = { out: (l) => printed.push(l), err: (l) => printed.push(l) };
    const plan = { aws: { iam: { pollIntervalMs: 5 } } };
    const day = (n: number) => () => new Date(Date.parse("2026-11-01T02:00:00Z") + n * 86_400_000);
    expect(await runCommand(loaded, io, { plan, now: day(0) })).toBe(0);

    leaky.compliance = "NON_COMPLIANT";
    // The second run through the daemon, logging JSON lines; the leaky group is now new drift.
    const store = await openSqliteStore({ file: loaded.config.database });
    const logger = createLogger({ pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => (logged.push(c.toString()), done()) }) });
    const daemon = new Daemon({
      config: loaded.config,
      store,
      redactor: Redactor.fromEnvironment(process.env, loaded.secrets),
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

    expect(await reportCommand(loaded, { run: "latest", format: "json,md,html,csv,soa,oscal,ocsf" }, io)).toBe(0);
    expect(await packCommand(loaded, { from: "2026-10-31", to: "2026-11-03", out: join(dir.path, "out", "pack.zip") }, io)).toBe(0);

    // The plant went through the whole pipeline, redacted: the finding's reason says so.
    const report = readFileSync(join(dir.path, "out", "report.json"), "utf8");
    expect(report).toMatch(/sg-0ffleaky/);
    expect(report).toMatch(/Authorization: Bearer \[REDACTED\]/);

    const places: [string, Buffer][] = [
      ...filesUnder(dir.path).map((f): [string, Buffer] => [f, readFileSync(f)]),
      ...(await zipEntries(join(dir.path, "out", "pack.zip"))).map((b, i): [string, Buffer] => [`pack entry ${i}`, b]),
      ["printed output", Buffer.from(printed.join("\n"))],
      ["logs", Buffer.from(logged.join(""))],
      ...hook.posts.map((p, i): [string, Buffer] => [`webhook post ${i}`, Buffer.from(JSON.stringify(p.headers) + p.body)]),
    ];
    expect(places.some(([name]) => name.endsWith("evidence.db"))).toBe(true);
    expect(hook.posts.length).toBeGreaterThan(0);
    for (const [name, bytes] of places) {
      for (const secret of SECRETS) {
        if (bytes.includes(Buffer.from(secret))) throw new Error(`${name} contains the secret ${secret.slice(0, 6)}…`);
      }
    }
  }, 60_000);
});
