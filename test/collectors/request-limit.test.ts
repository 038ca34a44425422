/**
 * A source's request limiter is shared by all of its jobs and clients: however many calls its
 * collectors make side by side, at most `requestConcurrency` are in flight, and another source has
 * slots of its own. Real SDK clients (AWS, Azure) against a loopback server that counts the
 * requests it holds at once.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetAccountPasswordPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { awsClientConfig } from "../../collectors/aws/clients.js";
import { armClientOptions } from "../../collectors/azure/clients.js";
import { demoEstate } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { awsSourceSchema, azureSourceSchema } from "../../src/config/schema.js";

/** Forwards to `target` (or answers `{ value: [] }`), holding each request `delayMs`; counts how many it holds at once. */
async function countingServer(
  delayMs: number,
  target?: string,
): Promise<{ url: string; peak: () => number; connections: () => number; close: () => Promise<void> }> {
  let inFlight = 0;
  let peak = 0;
  let connections = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const done = () => inFlight--;
        if (!target) {
          done();
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [] }));
          return;
        }
        const upstream = httpRequest(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on("end", done);
        });
        upstream.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    peak: () => peak,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let aws: FakeAwsServer | undefined;
const servers: { close: () => Promise<void> }[] = [];
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await aws?.close();
  aws = undefined;
});

describe("a source's request limiter", () => {
  it("AWS: twelve calls from three clients of one source, never more than requestConcurrency (3) in flight", async () => {
    aws = await startFakeAws(demoEstate(new Date()));
    const counting = await countingServer(40, aws.url);
    servers.push(counting);
    const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: counting.url, requestConcurrency: 3 });
    const clients = [0, 1, 2].map(() => new IAMClient(awsClientConfig(source, "us-east-1")));
    try {
      await Promise.all(clients.flatMap((client) => [0, 1, 2, 3].map(() => client.send(new GetAccountPasswordPolicyCommand({})))));
    } finally {
      clients.forEach((c) => c.destroy());
    }
    expect(counting.peak()).toBe(3);
  });

  it("AWS: the clients of one source, built and destroyed one after another, reuse its kept-alive connections", async () => {
    aws = await startFakeAws(demoEstate(new Date()));
    const counting = await countingServer(0, aws.url);
    servers.push(counting);
    const source = awsSourceSchema.parse({ name: "prod", regions: ["eu-west-1"], endpoint: counting.url, requestConcurrency: 2 });
    // As a run does: a client per collector job, destroyed when the job ends.
    for (let job = 0; job < 6; job++) {
      const client = new IAMClient(awsClientConfig(source, "us-east-1"));
      try {
        await Promise.all([0, 1].map(() => client.send(new GetAccountPasswordPolicyCommand({}))));
      } finally {
        client.destroy();
      }
    }
    // Twelve requests, two at a time: two connections serve them all.
    expect(counting.connections()).toBe(2);
  });

  it("AWS: another source has its own slots", async () => {
    aws = await startFakeAws(demoEstate(new Date()));
    const counting = await countingServer(40, aws.url);
    servers.push(counting);
    const sources = ["prod", "dev"].map((name) => awsSourceSchema.parse({ name, regions: ["eu-west-1"], endpoint: counting.url, requestConcurrency: 2 }));
    const clients = sources.map((source) => new IAMClient(awsClientConfig(source, "us-east-1")));
    try {
      await Promise.all(clients.flatMap((client) => [0, 1, 2, 3].map(() => client.send(new GetAccountPasswordPolicyCommand({})))));
    } finally {
      clients.forEach((c) => c.destroy());
    }
    expect(counting.peak()).toBe(4);
  });

  it("Azure: ARM calls of one source from several clients share its slots", async () => {
    const counting = await countingServer(40);
    servers.push(counting);
    // The schema takes https endpoints only; the counting server is plain http.
    const source = {
      ...azureSourceSchema.parse({
        name: "tenant",
        tenantId: "00000000-0000-0000-0000-000000000001",
        credential: { type: "access-token", armToken: "t" },
        requestConcurrency: 2,
      }),
      endpoint: counting.url,
    };
    const clients = [0, 1, 2].map(() => new ServiceClient({ ...armClientOptions(source), allowInsecureConnection: true }));
    await Promise.all(
      clients.flatMap((client) =>
        [0, 1, 2].map(() =>
          client.sendRequest(
            createPipelineRequest({ url: `${counting.url}/subscriptions?api-version=2022-12-01`, method: "GET", allowInsecureConnection: true }),
          ),
        ),
      ),
    );
    expect(counting.peak()).toBe(2);
  });
});
