/**
 * GetCallerIdentity is what labels evidence read with the source's own credentials: an account
 * listed without a role must be the one those credentials reach, or its evidence would carry
 * another account's id.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { planAwsSource } from "../../../collectors/aws/source.js";
import { DEMO_ACCOUNT_ID, demoAwsAccount } from "../../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../../demo/servers/aws.js";
import type { CollectContext, CollectorJob } from "../../../src/collect.js";
import { awsSourceSchema } from "../../../src/config/schema.js";

let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});

// A signal per job, as the runner gives each job its own (one shared by every job trips Node's listener warning).
const fresh = (): CollectContext => ({ signal: new AbortController().signal, now: () => new Date() });

async function outcomes(job: CollectorJob): Promise<string[]> {
  if (job.kind === "discover") {
    const { jobs } = await job.discover(fresh());
    return (await Promise.all(jobs.map(outcomes))).flat();
  }
  return job.run(fresh()).then(
    (evidence) => evidence.map((e) => `${job.collector} ${job.scope.region} ok ${e.account}`),
    (error: unknown) => [`${job.collector} ${job.scope.region} error ${(error as Error).message}`],
  );
}

describe("AWS accounts listed without a role", () => {
  it("an account the source's own credentials do not reach is not read with them: its jobs fail naming the field to fix", async () => {
    server = await startFakeAws(demoAwsAccount(new Date()));
    const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: server.url, accounts: [{ id: "111111111111" }] });
    const results = await outcomes(planAwsSource(source, { iam: { pollIntervalMs: 5 } }));
    const message = `aws.discovery (source prod, account 111111111111, region global, GetCallerIdentity): accounts[0] (111111111111) has no roleArn, but the source's own credentials reach account ${DEMO_ACCOUNT_ID}: set accounts[0].roleArn to a role in 111111111111, or list ${DEMO_ACCOUNT_ID}`;
    expect(results.sort()).toEqual(
      [
        "aws.config eu-west-1",
        "aws.iam global",
        "aws.iam-authorization global",
        "aws.identity-center eu-west-1",
        "aws.inspector eu-west-1",
        "aws.s3-account global",
      ].map((job) => `${job} error ${message}`),
    );
    // Nothing was read from the account the credentials do reach under the other account's id.
    expect(server.requests.map((r) => r.action)).toEqual(["GetCallerIdentity"]);
  });

  it("the account the credentials reach, listed without a role, is read with them", async () => {
    server = await startFakeAws(demoAwsAccount(new Date()));
    const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: server.url, accounts: [{ id: DEMO_ACCOUNT_ID }] });
    const results = await outcomes(planAwsSource(source, { iam: { pollIntervalMs: 5 } }));
    expect(results.every((r) => r.endsWith(`ok ${DEMO_ACCOUNT_ID}`))).toBe(true);
    expect(results.length).toBeGreaterThan(0);
  });
});
