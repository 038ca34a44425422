/**
 * The daemon's HTTP endpoint (loopback by default): /healthz and /metrics.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunRecord } from "../../src/domain.js";
import type { Store } from "../../src/store/store.js";
import type { DaemonMetrics } from "./metrics.js";

export interface Health {
  ok: boolean;
  lastRun: { id: number; status: string; finishedAt: string | null; ageSeconds: number | null } | null;
  lastSuccessfulRun: { id: number; finishedAt: string; ageSeconds: number } | null;
  staleAfterHours: number;
  message: string;
}

/** How far ahead of this machine's clock a run may be stamped (skew between agents sharing a store). */
export const FUTURE_TOLERANCE_SECONDS = 300;

/** A finished run outside the hash chain was not finished by an agent: it proves no health. */
function chained(run: RunRecord): boolean {
  return run.status !== "running" && run.chainSeq !== null && run.hash !== null;
}

/** The newest completed or partial run in the hash chain (runs oldest first): what health is judged on. */
export function lastSuccessfulRun(runs: readonly RunRecord[]): (RunRecord & { finishedAt: string }) | undefined {
  return runs
    .filter((r): r is RunRecord & { finishedAt: string } => chained(r) && (r.status === "completed" || r.status === "partial") && r.finishedAt !== null)
    .at(-1);
}

/**
 * Healthy when a run completed (fully or partly) within `staleAfterHours`, and no run is stamped
 * in the future: after a clock jump a negative age would otherwise look fresh for years.
 */
export async function health(store: Store, staleAfterHours: number, now: Date): Promise<Health> {
  const runs = await store.listRuns();
  const finished = runs.filter(chained);
  const last = finished.at(-1);
  const success = lastSuccessfulRun(runs);
  const age = (at: string | null) => (at === null ? null : Math.round((now.getTime() - Date.parse(at)) / 1000));
  const successAge = success ? (age(success.finishedAt) ?? 0) : null;
  const ahead = [last, success].find((r) => r && (age(r.finishedAt) ?? 0) < -FUTURE_TOLERANCE_SECONDS);
  const ok = successAge !== null && successAge <= staleAfterHours * 3600 && !ahead;
  return {
    ok,
    lastRun: last ? { id: last.id, status: last.status, finishedAt: last.finishedAt, ageSeconds: age(last.finishedAt) } : null,
    lastSuccessfulRun: success && success.finishedAt ? { id: success.id, finishedAt: success.finishedAt, ageSeconds: successAge ?? 0 } : null,
    staleAfterHours,
    message: ahead
      ? `Run ${ahead.id} is stamped ${ahead.finishedAt ?? ""}, later than this machine's clock (${now.toISOString()}); the clock of this machine or of the agent that ran it is wrong.`
      : !success
        ? "No run has completed yet."
        : ok
          ? `Run ${success.id} completed ${Math.round((successAge ?? 0) / 60)} min ago.`
          : `The last successful run (${success.id}) is older than ${staleAfterHours} h.`,
  };
}

export interface HttpEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startHttpEndpoint(options: {
  host: string;
  port: number;
  store: Store;
  metrics: DaemonMetrics;
  staleAfterHours: number;
  now: () => Date;
}): Promise<HttpEndpoint> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const reply = (status: number, type: string, body: string) => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    if (request.method !== "GET") return reply(405, "text/plain", "only GET\n");
    if (path === "/healthz") {
      health(options.store, options.staleAfterHours, options.now())
        .then((h) => reply(h.ok ? 200 : 503, "application/json", `${JSON.stringify(h)}\n`))
        .catch((error: unknown) => reply(500, "application/json", `${JSON.stringify({ ok: false, message: String(error) })}\n`));
      return;
    }
    if (path === "/metrics") {
      options.metrics
        .render()
        .then((text) => reply(200, options.metrics.registry.contentType, text))
        .catch((error: unknown) => reply(500, "text/plain", `${String(error)}\n`));
      return;
    }
    reply(404, "text/plain", "not found: try /healthz or /metrics\n");
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, () => ok());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
