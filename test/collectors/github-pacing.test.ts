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
    const arrivals: { path: string; at: number }[] = [];
    let limited = false;
    server = createServer((req, res) => {
      arrivals.push({ path: req.url ?? "", at: Date.now() });
      if (!limited && req.url?.startsWith("/first")) {
        limited = true;
        res.writeHead(403, { "content-type": "application/json", "retry-after": "1" });
        return res.end(JSON.stringify({ message: "You have exceeded a secondary rate limit." }));
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((ok) => server?.listen(0, "127.0.0.1", () => ok()));
    const octokit = new Octokit({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log: { debug() {}, info() {}, warn() {}, error() {} } });
    let gateClosed = false;
    pace(octokit, { maxRateLimitWaitSeconds: 5, signal: new AbortController().signal, onRateLimit: () => (gateClosed = true) });

    const first = octokit.request("GET /first");
    // Once the client has the limit's answer, five more requests are made while it is waited out.
    while (!gateClosed) await new Promise((r) => setTimeout(r, 5));
    const limitedAt = Date.now();
    const others = Array.from({ length: 5 }, (_, i) => octokit.request(`GET /other-${i}`));
    await Promise.all([first, ...others]);

    const afterLimit = arrivals.filter((a) => a.at >= limitedAt);
    expect(afterLimit).toHaveLength(6);
    for (const a of afterLimit) expect(a.at - limitedAt).toBeGreaterThanOrEqual(800);
  });

  it("a limit that resets later than the maximum wait fails at once with GitHub's error", async () => {
    server = createServer((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "120" });
      res.end(JSON.stringify({ message: "API rate limit exceeded" }));
    });
    await new Promise<void>((ok) => server?.listen(0, "127.0.0.1", () => ok()));
    const octokit = new Octokit({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log: { debug() {}, info() {}, warn() {}, error() {} } });
    pace(octokit, { maxRateLimitWaitSeconds: 60, signal: new AbortController().signal });
    await expect(octokit.request("GET /anything")).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/rate limit/) });
  });
});
