import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsIamCollector } from "../../../collectors/aws/iam.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import { CollectorError } from "../../../src/errors.js";
import { IAM_EVIDENCE } from "../../../src/evidence/aws-iam.js";
import { DEMO_ACCOUNT_ID, demoAwsAccount } from "../../../demo/estates/demo.js";
import { startFakeAws, type AwsFaults, type FakeAwsServer } from "../../../demo/servers/aws.js";
import { vendorFile } from "../../helpers.js";
import type { AwsRetryStrategy } from "../../../collectors/aws/clients.js";
import { fastAdaptiveRetry } from "./fast-retry.js";

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

/** The waits between credential-report polls: recorded, never slept. */
let polls: number[] = [];
async function collect(faults: AwsFaults = {}, account = demoAwsAccount(new Date()), retryStrategy?: AwsRetryStrategy) {
  server = await startFakeAws(account, faults);
  const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: server.url });
  polls = [];
  const sleep = (ms: number) => (polls.push(ms), Promise.resolve());
  return awsIamCollector.collect(
    { source, pollIntervalMs: 5, maxWaitMs: 2000, sleep, retryStrategy },
    { signal: new AbortController().signal, now: () => new Date() },
  );
}

describe("aws.iam collector (real @aws-sdk/client-iam against the loopback Query server)", () => {
  it("collects identity, credential report and password policy in the minimum calls", async () => {
    const evidence = await collect();
    expect(evidence.map((e) => e.kind)).toEqual(["aws.sts.caller-identity", IAM_EVIDENCE.credentialReport, IAM_EVIDENCE.passwordPolicy]);
    expect(evidence.every((e) => e.account === DEMO_ACCOUNT_ID && e.region === "global" && e.source === "prod")).toBe(true);
    // One Generate and one Get whatever the number of users: never a call per user. (The policy
    // is read alongside the report, so only the set of calls is fixed.) No GetAccountSummary:
    // root MFA is in the report.
    expect(server?.requests.map((r) => r.action).sort()).toEqual([
      "GenerateCredentialReport",
      "GetAccountPasswordPolicy",
      "GetCallerIdentity",
      "GetCredentialReport",
    ]);
    const report = evidence[1]?.payload as { rows: { user: string }[] };
    expect(report.rows.map((r) => r.user)).toContain("carol.sales");
  });

  it("waits for a credential report still being generated (STARTED, then ReportInProgress)", async () => {
    const evidence = await collect({ reportGenerating: 2, reportNotReady: 1 });
    expect(evidence.find((e) => e.kind === IAM_EVIDENCE.credentialReport)).toBeDefined();
    const calls = server?.requests.map((r) => `${r.action}:${r.status}`) ?? [];
    expect(calls.filter((c) => c.includes("CredentialReport"))).toEqual([
      "GenerateCredentialReport:200",
      "GenerateCredentialReport:200",
      "GenerateCredentialReport:200",
      "GetCredentialReport:404",
      "GetCredentialReport:200",
    ]);
    expect(calls.filter((c) => !c.includes("CredentialReport")).sort()).toEqual(["GetAccountPasswordPolicy:200", "GetCallerIdentity:200"]);
    // A wait before each poll again, doubling.
    expect(polls).toEqual([5, 10, 20]);
  });

  it("gives up with a clear error when the report never becomes ready", async () => {
    await expect(collect({ reportGenerating: 1000 })).rejects.toThrow(/credential report was still not ready after 2 s/);
    // Doubling waits, given up before the next one would pass maxWaitMs (2 s).
    expect(polls).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280]);
  });

  it("retries a throttled call with backoff, then succeeds", async () => {
    // The SDK's adaptive retry without its waits (the delays are the SDK's, not this collector's).
    const { retryStrategy, delayBases } = fastAdaptiveRetry();
    const evidence = await collect({ throttle: { action: "GetAccountPasswordPolicy", times: 2 } }, demoAwsAccount(new Date()), retryStrategy);
    // Each retry backed off as from a throttling error (the SDK's 1 s base), not a transient one.
    expect(delayBases).toEqual([1000, 1000]);
    expect(evidence).toHaveLength(3);
    expect(server?.requests.filter((r) => r.action === "GetAccountPasswordPolicy").map((r) => r.status)).toEqual([400, 400, 200]);
  });

  it("records a missing password policy (NoSuchEntity) as evidence, not as a failure", async () => {
    const evidence = await collect({}, { ...demoAwsAccount(new Date()), passwordPolicy: null });
    expect(evidence.find((e) => e.kind === IAM_EVIDENCE.passwordPolicy)?.payload).toEqual({ passwordPolicy: null });
  });

  it("fails with a CollectorError naming account and API call on a malformed CSV", async () => {
    const error = await collect({ credentialReportCsv: vendorFile("aws/iam/credential_report_aws_docs_powershell_example_verbatim.txt") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).context).toMatchObject({ account: DEMO_ACCOUNT_ID, apiCall: "GetCredentialReport" });
    expect((error as Error).message).toMatch(
      /^aws\.iam \(source prod, account 210987654321, region global, GetCredentialReport\): malformed credential report/,
    );
  });

  it("names the missing permission on AccessDenied", async () => {
    await expect(collect({ deny: "GetAccountPasswordPolicy" })).rejects.toThrow(
      /access denied to GetAccountPasswordPolicy: grant the permission listed in config\/permissions\/aws-iam-policy.json/,
    );
  });
});
