import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundedFetch } from "../../collectors/github/org.js";

// undici keeps an abort listener on the signal a request was given until the request is garbage
// collected; with one signal for a whole collection they pile up and each new request scans them.
describe("the GitHub collector's fetch", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it("leaves no listener on the collector's signal once the answers are read", async () => {
    const collector = new AbortController();
    const fetchBounded = boundedFetch(1);
    for (let i = 0; i < 40; i++) {
      const response = await fetchBounded(url, { signal: collector.signal });
      expect(await response.json()).toEqual({ ok: true });
    }
    expect(getEventListeners(collector.signal, "abort")).toHaveLength(0);
  });

  it("still stops a request when the collector is stopped", async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((ok) => slow.listen(0, "127.0.0.1", ok));
    const collector = new AbortController();
    const pending = boundedFetch(1)(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, { signal: collector.signal });
    setTimeout(() => collector.abort(new Error("stopped by the test")), 20);
    await expect(pending).rejects.toThrow("stopped by the test");
    slow.closeAllConnections();
    await new Promise<void>((ok) => slow.close(() => ok()));
  });
});
