/**
 * `isms-agent demo`: the main job against the bundled simulated estate. It starts loopback
 * servers that speak the vendors' real wire protocols, points a config at them through the
 * endpoint overrides, and runs the agent. The collectors have no demo code paths.
 */
import { existsSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DEMO_ORGANIZATION, demoEstate } from "../../demo/estates/demo.js";
import { DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { startFakeAws } from "../../demo/servers/aws.js";
import { startFakeAzure } from "../../demo/servers/azure.js";
import { DEMO_GITHUB_ORG, demoGithubOrg } from "../../demo/estates/demo-github.js";
import { startFakeGithub } from "../../demo/servers/github.js";
import { applyDemoGithubStep, applyDemoStep, DEMO_TIMELINE } from "../../demo/estates/demo-timeline.js";
import { parseConfig } from "../config.js";
import { EXIT, UsageError } from "../../src/errors.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { demoLoopFinish, demoLoopStep } from "./demo-loop.js";
import type { Output } from "./output.js";
import { evidenceAddCommand } from "./registers.js";
import { keygenCommand, packCommand, verifyPackCommand } from "./reports.js";
import { runCommand } from "./run.js";

export interface DemoOptions {
  /** Where reports go; default ./out. */
  out: string;
  /** The demo's evidence store; default ./data/demo-evidence.db. */
  database: string;
  now?: () => Date;
}

export function demoConfigYaml(
  awsEndpoint: string,
  azure: { url: string; caFile: string },
  githubUrl: string,
  options: Pick<DemoOptions, "out" | "database">,
  webhookUrl: string,
): string {
  return `# Written by \`isms-agent demo\`: the agent's config, pointed at the loopback simulated estate.
organization: ${DEMO_ORGANIZATION}
database: ${JSON.stringify(resolve(options.database))}
output: ${JSON.stringify(resolve(options.out))}
sources:
  aws:
    - name: northwind
      regions: [eu-west-1, us-east-1]
      endpoint: ${awsEndpoint}
      organization:
        roleName: IsmsAgentReadOnly
      configRules:
        northwind-tls-policy: [A.8.24]
  azure:
    - name: northwind-azure
      tenantId: ${DEMO_TENANT_ID}
      subscriptions: all
      credential:
        type: access-token
        token: \${ISMS_DEMO_AZURE_TOKEN}
      endpoint: ${azure.url}
      graphEndpoint: ${azure.url}
      authorityHost: ${azure.url}
      caFile: ${JSON.stringify(azure.caFile)}
  github:
    - name: northwind-github
      org: ${DEMO_GITHUB_ORG}
      baseUrl: ${githubUrl}
      token: \${ISMS_DEMO_GITHUB_TOKEN}
checks:
  github.repo.public-visibility:
    allow: []
objectives:
  - id: mfa-enrolment
    title: All console users enrolled in MFA
    metric: mfa_enrolment
    target: 100
    deadline: 2027-03-31
    owner: CISO
    controls: [A.5.17, A.8.5]
  - id: firewall-compliance
    title: Security groups compliant with firewall rules
    metric: firewall_compliance
    target: 100
    deadline: 2027-06-30
    owner: Head of Infrastructure
    controls: [A.8.20, A.8.22]
schedule:
  cron: "0 2 * * 1"
  timezone: Europe/London
exceptions:
  - id: EXC-2026-004
    check: aws.iam.console-user-mfa
    resource: "*:user/erin.contractor"
    reason: Contractor engagement ends this quarter; access is reviewed weekly until the account is removed.
    owner: Head of IT
    approvedBy: CISO
    expires: 2027-03-31
statementOfApplicability:
  excluded:
    - control: A.7.5
      justification: No premises of our own; physical and environmental threats are the co-working provider's, covered by supplier controls (A.5.19-A.5.22).
freshness:
  maxAgeHours: 336
alerts:
  reminderHours: 168
  channels:
    - type: webhook
      name: demo-siem
      url: ${webhookUrl}
      secret: \${ISMS_DEMO_WEBHOOK_SECRET}
      events: [regression, resolved, objective, collector_failure, stale_evidence, nonconformity]
risks:
  - id: R-1
    title: Account takeover of cloud consoles and code hosting
    asset: AWS, Azure and GitHub accounts
    threat: Phishing and credential stuffing against accounts without MFA
    likelihood: 4
    impact: 5
    owner: CISO
    treatment: treat
    controls: [A.8.5, A.5.17]
    objectives: [mfa-enrolment]
    residualTarget: 8
  - id: R-2
    title: Personal data kept unnoticed in S3 buckets
    asset: Customer data in the data account
    threat: Personal data copied into buckets nobody classifies, then exposed
    likelihood: 3
    impact: 4
    owner: Data Protection Officer
    treatment: treat
    controls: [A.5.34]
    residualTarget: 4
  - id: R-3
    title: A contractor's console access without MFA
    asset: erin.contractor's IAM user
    threat: Takeover of the contractor's password
    likelihood: 2
    impact: 3
    owner: Head of IT
    treatment: accept
    exceptions: [EXC-2026-004]
nonconformities:
  effectiveness: { runs: 2, days: 7 }
`;
}

const DAY_MS = 86_400_000;

/** The demo rebuilds its own store each time; it refuses to touch a store of anyone else's. */
async function resetDemoStore(file: string): Promise<void> {
  const path = resolve(file);
  if (!existsSync(path)) return;
  const store = await openSqliteStore({ file: path });
  try {
    const foreign = (await store.listRuns()).find((run) => run.organization !== DEMO_ORGANIZATION);
    if (foreign) throw new UsageError(`${path} holds runs of "${foreign.organization}", not the demo's; refusing to overwrite it. Pass another --database.`);
  } finally {
    await store.close();
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

export async function demoCommand(options: DemoOptions, io: Output): Promise<number> {
  const now = options.now ?? (() => new Date());
  // Dummy credentials for the loopback estate: never let a user's real ones be used (or signed) here.
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTDEMO000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "demo-secret-access-key-not-a-real-one";
  delete process.env["AWS_SESSION_TOKEN"];
  delete process.env["AWS_PROFILE"];
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  process.env["ISMS_DEMO_WEBHOOK_SECRET"] = "demo-webhook-secret-not-a-real-one";
  await resetDemoStore(options.database);

  const today = now();
  // A copy: the timeline edits it between runs, and the seed stays as it is.
  const estate = structuredClone(demoEstate(today));
  const aws = await startFakeAws(estate);
  const azureEstate = demoAzureEstate();
  const azure = await startFakeAzure(azureEstate);
  process.env["ISMS_DEMO_AZURE_TOKEN"] = azureEstate.token;
  const githubOrg = demoGithubOrg();
  const github = await startFakeGithub(githubOrg, {}, today);
  process.env["ISMS_DEMO_GITHUB_TOKEN"] = githubOrg.token;
  const receiver = await startAlertReceiver();
  try {
    io.err(`Simulated AWS organisation (IAM, STS, EC2, Config, Organizations) listening on ${aws.url}`);
    io.err(`Simulated Azure (ARM and Microsoft Graph over HTTPS) listening on ${azure.url}`);
    io.err(`Simulated GitHub (REST API) listening on ${github.url}`);
    io.err(`Alert webhook receiver (stands in for your SIEM or chat) listening on ${receiver.url}`);
    const yaml = demoConfigYaml(aws.url, azure, github.url, options, receiver.url);
    const out = resolve(options.out);
    await mkdir(out, { recursive: true });
    const configFile = join(out, "demo-config.yaml");
    await writeFile(configFile, yaml, "utf8");
    const loaded = parseConfig(yaml, configFile, process.env);

    // Manual evidence for a people control no API can show, added on the first simulated day.
    const first = DEMO_TIMELINE[0];
    const training = join(out, "training-completion-2026.txt");
    await writeFile(training, "Security awareness training 2026: 41 of 41 staff completed (LMS export).\n", "utf8");
    let code: number = EXIT.ok;
    for (const [index, step] of DEMO_TIMELINE.entries()) {
      const offset = step.daysAgo * DAY_MS;
      const clock = () => new Date(now().getTime() - offset);
      applyDemoStep(estate, step, today);
      applyDemoGithubStep(githubOrg, step);
      io.err("");
      io.err(`— ${step.daysAgo === 0 ? "Today" : `${step.daysAgo} days ago`} (${clock().toISOString().slice(0, 10)}): ${step.story}`);
      if (step === first) {
        await evidenceAddCommand(
          loaded,
          {
            control: "A.6.3",
            file: training,
            note: "LMS export of awareness-training completion",
            validUntil: isoDay(new Date(today.getTime() + 180 * DAY_MS)),
            now: clock,
          },
          io,
        );
      }
      code = await runCommand(loaded, io, { progress: step.daysAgo === 0, now: clock, plan: { aws: { iam: { pollIntervalMs: 50 } } } });
      if (code !== EXIT.ok) return code;
      await demoLoopStep(loaded, index, clock, io);
    }
    // The auditor's pack for the simulated weeks, signed with a key made for the demo.
    const keyPrefix = join(out, "demo-pack-key");
    await keygenCommand(keyPrefix, true, io);
    const packFile = join(out, "evidence-pack.zip");
    const from = isoDay(new Date(today.getTime() - (first?.daysAgo ?? 0) * DAY_MS));
    await demoLoopFinish(loaded, from, now, io);
    await packCommand(loaded, { from, to: isoDay(today), out: packFile, signKey: `${keyPrefix}.pem` }, io);
    code = await verifyPackCommand(packFile, `${keyPrefix}.pub`, io);
    if (code !== EXIT.ok) return code;
    const alertsFile = join(out, "alerts-sent.json");
    await writeFile(alertsFile, `${JSON.stringify(receiver.received, null, 2)}\n`, "utf8");
    io.err("");
    io.err(
      `The webhook received ${receiver.received.length} alert batch${receiver.received.length === 1 ? "" : "es"} over the simulated weeks (each signed; see ${alertsFile}).`,
    );
    return code;
  } finally {
    await aws.close();
    await azure.close();
    await github.close();
    await receiver.close();
  }
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A tiny webhook receiver for the demo: keeps what the agent would have sent to a SIEM or chat. */
async function startAlertReceiver(): Promise<{ url: string; received: unknown[]; close(): Promise<void> }> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        received.push({ signature: req.headers["x-isms-signature"], ...(JSON.parse(Buffer.concat(chunks).toString("utf8")) as object) });
      } catch {
        received.push({ unreadable: true });
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/isms-alerts`, received, close: () => new Promise((ok) => server.close(() => ok())) };
}
