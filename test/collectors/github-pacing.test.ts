import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { pace, rateLimitWaitSeconds } from "../../collectors/github/pacing.js";

describe("rateLimitWaitSeconds", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  const error = (status: number, headers: Record<string, string>, message = "") => ({ status, message, response: { headers } });

  it("uses retry-after, then the primary limit's reset, then a minute for a bare secondary limit", () => {
    expect(rateLimitWaitSeconds(error(429, { "retry-after": "7" }), now)).toBe(7);
    expect(rateLimitWaitSeconds(error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 30) }), now)).toBe(30);
    expect(rateLimitWaitSeconds(error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 - 5) }), now)).toBe(0);
    expect(rateLimitWaitSeconds(error(403, {}, "You have exceeded a secondary rate limit."), now)).toBe(60);
    expect(rateLimitWaitSeconds(error(429, { "retry-after": new Date(now + 12_000).toUTCString() }), now)).toBe(12);
  });

  it("a rate limit without its timing headers is still a rate limit, never a missing permission", () => {
    expect(rateLimitWaitSeconds(error(403, {}, "API rate limit exceeded for installation ID 123."), now)).toBe(60);
    expect(rateLimitWaitSeconds(error(429, {}), now)).toBe(60);
    expect(rateLimitWaitSeconds(error(403, { "x-ratelimit-remaining": "0" }), now)).toBe(60);
  });

  it("is not a rate limit: a missing permission, a 404, a server error", () => {
    expect(rateLimitWaitSeconds(error(403, { "x-ratelimit-remaining": "4999" }, "Resource not accessible by integration"), now)).toBeUndefined();
    expect(rateLimitWaitSeconds(error(404, { "retry-after": "1" }), now)).toBeUndefined();
    expect(rateLimitWaitSeconds(error(502, {}), now)).toBeUndefined();
    expect(rateLimitWaitSeconds(undefined, now)).toBeUndefined();
  });
});

describe("pace: one gate for every request of the client", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((ok) => (server ? server.close(() => ok()) : ok())));

  it("while a rate limit is waited out, no other request is sent; then all go through", async () => {
    const arrivals: string[] = [];
    let limited = false;
    server = createServer((req, res) => {
      arrivals.push(req.url ?? "");
      if (!limited && req.url?.startsWith("/first")) {
        limited = true;
        res.writeHead(403, { "content-type": "application/json", "retry-after": "1" });
        return res.end(JSON.stringify({ message: "You have exceeded a secondary rate limit." }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((ok) => server?.listen(0, "127.0.0.1", () => ok()));
    const octokit = new Octokit({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    // The gate's wait is held by the test instead of a timer: nothing is sent until it is let go.
    const waits: number[] = [];
    const opensAt: number[] = [];
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((ok) => (letGo = ok));
    let allWaiting: () => void = () => undefined;
    const sixWaiting = new Promise<void>((ok) => (allWaiting = ok));
    const sleep = (ms: number) => {
      opensAt.push(Date.now() + ms);
      if (waits.push(ms) === 6) allWaiting();
      return held;
    };
    const gateClosed = new Promise<void>((ok) =>
      pace(octokit, { maxRateLimitWaitSeconds: 5, signal: new AbortController().signal, onRateLimit: () => ok(), sleep }),
    );

    const first = octokit.request("GET /first");
    // Once the client has the limit's answer, five more requests are made while it is waited out.
    await gateClosed;
    const others = Array.from({ length: 5 }, (_, i) => octokit.request(`GET /other-${i}`));
    const all = Promise.all([first, ...others]);
    await Promise.race([sixWaiting, all]);
    // All six wait for the one gate: the limited request the second retry-after asked for (it
    // waits at once), the five others until that same moment; none was sent meanwhile.
    expect(waits).toHaveLength(6);
    expect(waits[0]).toBeGreaterThan(900);
    expect(waits[0]).toBeLessThanOrEqual(1000);
    for (const at of opensAt) expect(Math.abs(at - (opensAt[0] ?? 0))).toBeLessThan(20);
    expect(arrivals).toEqual(["/first"]);
    letGo();
    await all;
    expect(arrivals.slice(1).sort()).toEqual(["/first", ...others.map((_, i) => `/other-${i}`)].sort());
  });

  it("a 5xx answer is retried after 1 s, 4 s and 9 s, then fails with it", async () => {
    let hits = 0;
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Bad gateway" }));
    });
    await new Promise<void>((ok) => server?.listen(0, "127.0.0.1", () => ok()));
    const octokit = new Octokit({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const waits: number[] = [];
    pace(octokit, { maxRateLimitWaitSeconds: 60, signal: new AbortController().signal, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    await expect(octokit.request("GET /anything")).rejects.toMatchObject({ status: 502 });
    expect(hits).toBe(4);
    expect(waits).toEqual([1000, 4000, 9000]);
  });

  it("a limit that resets later than the maximum wait fails at once with GitHub's error", async () => {
    server = createServer((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "120" });
      res.end(JSON.stringify({ message: "API rate limit exceeded" }));
    });
    await new Promise<void>((ok) => server?.listen(0, "127.0.0.1", () => ok()));
    const octokit = new Octokit({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    pace(octokit, { maxRateLimitWaitSeconds: 60, signal: new AbortController().signal });
    await expect(octokit.request("GET /anything")).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/rate limit/) });
  });
});
