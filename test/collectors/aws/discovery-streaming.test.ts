/**
 * Member accounts of an organisation are planned one by one: each member's jobs are available as
 * soon as its own AssumeRole returns, not once every member's role has been assumed.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { planAwsSource } from "../../../collectors/aws/source.js";
import { DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID, DEMO_MEMBER_USERS, DEMO_ROOT, demoAwsAccount, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsEstate, type FakeAwsServer } from "../../../demo/servers/aws.js";
import type { CollectContext, CollectorJob } from "../../../src/collect.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import type { Evidence } from "../../../src/domain.js";

const SLOW_MEMBER = "567890123456";

let server: FakeAwsServer | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await server?.close();
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  server = undefined;
  proxy = undefined;
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});

// A signal per job, as the runner gives each job its own (one shared by every job trips Node's listener warning).
const fresh = (): CollectContext => ({ signal: new AbortController().signal, now: () => new Date() });

/** The demo organisation with a second member account. */
function estate(): FakeAwsEstate {
  const demo = demoEstate(new Date());
  return { ...demo, accounts: [...demo.accounts, { ...demoAwsAccount(new Date(), SLOW_MEMBER, { ...DEMO_ROOT }, DEMO_MEMBER_USERS), name: "northwind-slow" }] };
}

/**
 * A pass-through proxy that holds AssumeRole into `account` until `until()` holds (checked after
 * every answer it passes on), instead of for a fixed time. Were discovery to wait for every
 * member's role, `until()` could never hold: after `maxHoldMs` it lets go, and the test fails on
 * the order of the requests instead of hanging.
 */
async function holdAssumeRole(target: string, account: string, until: () => boolean, maxHoldMs = 10_000): Promise<string> {
  const upstream = new URL(target);
  const held = new Set<() => void>();
  const releaseIfDue = () => {
    if (until()) for (const go of held) go();
  };
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      const forward = () => {
        const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", releaseIfDue);
        });
        out.end(body);
      };
      if (!(text.includes("Action=AssumeRole") && text.includes(account))) return forward();
      const timer = setTimeout(() => go(), maxHoldMs);
      const go = () => {
        clearTimeout(timer);
        if (held.delete(go)) forward();
      };
      held.add(go);
      releaseIfDue();
    });
  });
  await new Promise<void>((resolve) => proxy?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

/** Runs a planned job and every job it plans, each as soon as it is known (as the runner does). */
async function drive(job: CollectorJob): Promise<Evidence[]> {
  if (job.kind === "collect") return job.run(fresh());
  const { evidence, jobs } = await job.discover(fresh());
  const nested = await Promise.all(jobs.map(drive));
  return [...evidence, ...nested.flat()];
}

describe("AWS discovery streams member accounts", () => {
  it("a member's jobs start as soon as its own role is assumed, while another member's AssumeRole is still pending", async () => {
    const aws = await startFakeAws(estate());
    server = aws;
    // The slow member's AssumeRole is answered only once the other accounts' reads have reached AWS.
    const reached = (entry: string) => aws.requests.some((r) => `${r.action} ${r.account}` === entry);
    const othersRead = () =>
      [
        `GetCredentialReport ${DEMO_MEMBER_ACCOUNT_ID}`,
        `DescribeConfigurationRecorderStatus ${DEMO_MEMBER_ACCOUNT_ID}`,
        `GetCredentialReport ${DEMO_ACCOUNT_ID}`,
      ].every(reached);
    const endpoint = await holdAssumeRole(server.url, SLOW_MEMBER, othersRead);
    const source = awsSourceSchema.parse({ name: "org", regions: ["eu-west-1"], endpoint, organization: { roleName: "IsmsAgentReadOnly" } });
    const evidence = await drive(planAwsSource(source, { iam: { pollIntervalMs: 5 } }));

    const log = server.requests.map((r) => `${r.action} ${r.account}`);
    // AssumeRole is made with the caller's credentials; the slow member's is the one answered last.
    const slowRole = log.lastIndexOf(`AssumeRole ${DEMO_ACCOUNT_ID}`);
    expect(log.filter((l) => l.startsWith("AssumeRole"))).toHaveLength(2);
    // The fast member's IAM and Config reads reached AWS before the slow member's role was answered.
    expect(log.indexOf(`GetCredentialReport ${DEMO_MEMBER_ACCOUNT_ID}`)).toBeLessThan(slowRole);
    expect(log.indexOf(`DescribeConfigurationRecorderStatus ${DEMO_MEMBER_ACCOUNT_ID}`)).toBeLessThan(slowRole);
    // And the management account's own jobs did not wait for any member.
    expect(log.indexOf(`GetCredentialReport ${DEMO_ACCOUNT_ID}`)).toBeLessThan(slowRole);
    // Every account was still collected, each with its own credentials, each role assumed once.
    expect(
      server.requests
        .filter((r) => r.action === "GenerateCredentialReport")
        .map((r) => r.account)
        .sort(),
    ).toEqual([DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID, SLOW_MEMBER]);
    expect(
      evidence
        .filter((e) => e.kind === "aws.sts.assume-role")
        .map((e) => e.account)
        .sort(),
    ).toEqual([DEMO_MEMBER_ACCOUNT_ID, SLOW_MEMBER]);
  });

  it("a member whose role cannot be assumed still has every job it would have had, each failing with why", async () => {
    server = await startFakeAws({ ...estate(), denyAssumeRole: [SLOW_MEMBER] });
    const source = awsSourceSchema.parse({
      name: "org",
      regions: ["eu-west-1", "us-east-1"],
      endpoint: server.url,
      organization: { roleName: "IsmsAgentReadOnly" },
    });
    const failures: string[] = [];
    const collect = async (job: CollectorJob): Promise<void> => {
      if (job.kind === "discover") {
        const { jobs } = await job.discover(fresh());
        await Promise.all(jobs.map(collect));
      } else {
        await job
          .run(fresh())
          .catch((error: unknown) => failures.push(`${job.collector} ${job.scope.account} ${job.scope.region}: ${(error as Error).message}`));
      }
    };
    await collect(planAwsSource(source, { iam: { pollIntervalMs: 5 } }));
    expect(failures.map((f) => f.split(":")[0]).sort()).toEqual([
      `aws.config ${SLOW_MEMBER} eu-west-1`,
      `aws.config ${SLOW_MEMBER} us-east-1`,
      `aws.iam ${SLOW_MEMBER} global`,
      `aws.iam-authorization ${SLOW_MEMBER} global`,
      `aws.identity-center ${SLOW_MEMBER} eu-west-1`,
      `aws.identity-center ${SLOW_MEMBER} us-east-1`,
      `aws.inspector ${SLOW_MEMBER} eu-west-1`,
      `aws.inspector ${SLOW_MEMBER} us-east-1`,
      `aws.s3-account ${SLOW_MEMBER} global`,
    ]);
    expect(failures.every((f) => f.includes(`cannot assume arn:aws:iam::${SLOW_MEMBER}:role/IsmsAgentReadOnly: access denied to AssumeRole`))).toBe(true);
  });
});
