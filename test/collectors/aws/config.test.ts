import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsConfigCollector } from "../../../collectors/aws/config.js";
import { awsSourceSchema } from "../../../src/config/schema.js";
import { CollectorError } from "../../../src/errors.js";
import { CONFIG_EVIDENCE, rulesEvidenceSchema } from "../../../src/evidence/aws-config.js";
import { DEMO_ACCOUNT_ID, demoEstate } from "../../../demo/estates/demo.js";
import { startFakeAws, type AwsFaults, type FakeAwsServer } from "../../../demo/servers/aws.js";
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
});

async function collect(region: string, faults: AwsFaults = {}, retryStrategy?: AwsRetryStrategy) {
  server = await startFakeAws(demoEstate(new Date()), faults);
  const source = awsSourceSchema.parse({ name: "org", regions: [region], endpoint: server.url });
  return awsConfigCollector.collect(
    { source, account: DEMO_ACCOUNT_ID, region, retryStrategy },
    { signal: new AbortController().signal, now: () => new Date() },
  );
}

describe("aws.config collector (real @aws-sdk/client-config-service, JSON 1.1 against the loopback server)", () => {
  it("collects recorder status, every rule with its managed identifier and per-resource results, and conformance packs", async () => {
    const evidence = await collect("eu-west-1");
    expect(evidence.map((e) => [e.kind, e.account, e.region])).toEqual([
      [CONFIG_EVIDENCE.recorderStatus, DEMO_ACCOUNT_ID, "eu-west-1"],
      [CONFIG_EVIDENCE.rules, DEMO_ACCOUNT_ID, "eu-west-1"],
      [CONFIG_EVIDENCE.conformancePacks, DEMO_ACCOUNT_ID, "eu-west-1"],
    ]);
    expect(evidence[0]?.payload).toEqual({ recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] });
    const { rules } = rulesEvidenceSchema.parse(evidence[1]?.payload);
    const ssh = rules.find((r) => r.name === "restricted-ssh");
    expect(ssh).toMatchObject({ sourceIdentifier: "INCOMING_SSH_DISABLED", owner: "AWS", compliance: "NON_COMPLIANT" });
    expect(ssh?.evaluations.find((e) => e.resourceId === "sg-0b22bastion")).toMatchObject({
      compliance: "NON_COMPLIANT",
      annotation: "Port 22 is open to 0.0.0.0/0.",
    });
    expect(rules.find((r) => r.name === "guardduty-enabled-centralized")).toMatchObject({ compliance: "INSUFFICIENT_DATA", evaluations: [] });
    expect(evidence[2]?.payload).toEqual({
      packs: [
        {
          name: "northwind-baseline",
          rules: [
            { rule: "restricted-ssh", compliance: "NON_COMPLIANT" },
            { rule: "encrypted-volumes", compliance: "NON_COMPLIANT" },
          ],
        },
      ],
    });
  });

  it("follows NextToken across pages of every paginated call", async () => {
    const evidence = await collect("eu-west-1", { pageSize: 2 });
    const { rules } = rulesEvidenceSchema.parse(evidence[1]?.payload);
    expect(rules).toHaveLength(10);
    expect(rules.find((r) => r.name === "restricted-ssh")?.evaluations).toHaveLength(3);
    const count = (action: string) => server?.requests.filter((r) => r.action === action).length;
    expect(count("DescribeConfigRules")).toBe(5);
    expect(count("DescribeComplianceByConfigRule")).toBe(5);
    // Ten rules, four of them with 3 evaluations: two pages each at 2 a page.
    expect(server?.requests.filter((r) => r.action === "GetComplianceDetailsByConfigRule").length).toBe(14);
  });

  it("retries ThrottlingException with backoff, then succeeds", async () => {
    // The SDK's adaptive retry without its waits (the delays are the SDK's, not this collector's).
    const { retryStrategy, delayBases } = fastAdaptiveRetry();
    const evidence = await collect("eu-west-1", { throttle: { action: "DescribeConfigRules", times: 2 } }, retryStrategy);
    expect(evidence).toHaveLength(3);
    expect(server?.requests.filter((r) => r.action === "DescribeConfigRules").map((r) => r.status)).toEqual([400, 400, 200]);
    // Each retry backed off as from a throttling error (the SDK's 1 s base), not a transient one.
    expect(delayBases).toEqual([1000, 1000]);
  });

  it("a region with no recorder yields an empty recorder list, not an error", async () => {
    server = await startFakeAws(demoEstate(new Date()));
    const source = awsSourceSchema.parse({ name: "org", regions: ["us-east-1"], endpoint: server.url });
    const evidence = await awsConfigCollector.collect(
      { source, account: DEMO_ACCOUNT_ID, region: "ap-south-1" },
      { signal: new AbortController().signal, now: () => new Date() },
    );
    expect(evidence[0]?.payload).toEqual({ recorders: [] });
    expect(evidence[1]?.payload).toEqual({ rules: [], notListed: "no configuration recorder" });
  });

  it("fails with a CollectorError naming account, region and API call on AccessDenied", async () => {
    const error = await collect("eu-west-1", { deny: "GetComplianceDetailsByConfigRule" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(
      /^aws\.config \(source org, account 210987654321, region eu-west-1, GetComplianceDetailsByConfigRule\): access denied/,
    );
  });
});
