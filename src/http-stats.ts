/**
 * Counts outgoing HTTP requests of every SDK (node:http for AWS and Azure, fetch/undici for
 * Octokit) through Node's diagnostics channels: the progress display and the benchmark read it.
 */
import dc from "node:diagnostics_channel";

const CHANNELS = ["http.client.request.start", "undici:request:create"] as const;

export interface RequestCounter {
  count(): number;
  stop(): void;
}

export function countHttpRequests(): RequestCounter {
  let n = 0;
  const onRequest = () => {
    n++;
  };
  for (const name of CHANNELS) dc.subscribe(name, onRequest);
  return {
    count: () => n,
    stop: () => {
      for (const name of CHANNELS) dc.unsubscribe(name, onRequest);
    },
  };
}
