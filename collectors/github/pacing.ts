/**
 * Retries and rate limits for the GitHub client, as one request hook. GitHub's own guidance:
 * on a 403/429 with retry-after, wait that long; with x-ratelimit-remaining 0, wait until
 * x-ratelimit-reset; any other rate limit (a bare 429, a 403 that says so), at least a minute. While a limit is being
 * waited out, every request of the client waits (one shared gate), so the concurrent ones do not
 * keep hitting it. 5xx answers and network errors are retried after 1 s, 4 s, 9 s.
 *
 * This replaces @octokit/plugin-retry and plugin-throttling: both queue every request through
 * Bottleneck, which the benchmark measured halving the requests in flight (`npm run bench`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Octokit } from "@octokit/rest";
import { findTooLarge } from "../answer-size.js";

export interface PacingOptions {
  /** Longest rate-limit wait accepted; a later reset fails the request with GitHub's error. */
  maxRateLimitWaitSeconds: number;
  signal: AbortSignal;
  /** Retries of a 5xx answer or a network error. */
  retries?: number;
  /** Told when a rate limit closes the gate, and for how long. */
  onRateLimit?: (seconds: number) => void;
  /** Waits out the gate or a retry's backoff; default a real timer. Tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

const RATE_LIMIT_WAITS = 5;
const SECONDARY_LIMIT_DEFAULT_SECONDS = 60;

interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Seconds to wait before trying again, when this error is a rate limit; undefined otherwise. */
export function rateLimitWaitSeconds(error: unknown, now = Date.now()): number | undefined {
  const { status, message, response } = (error ?? {}) as HttpError;
  if (status !== 403 && status !== 429) return undefined;
  const headers = response?.headers ?? {};
  const retryAfter = headers["retry-after"];
  if (retryAfter !== undefined) {
    // Seconds, or an HTTP date.
    const seconds = Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : (Date.parse(String(retryAfter)) - now) / 1000;
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
  }
  const exhausted = String(headers["x-ratelimit-remaining"]) === "0";
  if (exhausted && Number.isFinite(Number(headers["x-ratelimit-reset"]))) return Math.max(0, Number(headers["x-ratelimit-reset"]) - now / 1000);
  // A 429, an exhausted quota without its reset, or a 403 that says it is a rate limit.
  if (status === 429 || exhausted || /rate limit|abuse/i.test(String(message))) return SECONDARY_LIMIT_DEFAULT_SECONDS;
  return undefined;
}

export function pace(octokit: Octokit, options: PacingOptions): void {
  const retries = options.retries ?? 3;
  const pause = options.sleep ?? ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal }));
  let gateOpensAt = 0;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    let failures = 0;
    let limitWaits = 0;
    for (;;) {
      const closedFor = gateOpensAt - Date.now();
      if (closedFor > 0) await pause(closedFor, options.signal);
      try {
        return await request(requestOptions);
      } catch (error) {
        // An answer past the size bound would be as large again: not retried.
        if (options.signal.aborted || findTooLarge(error)) throw error;
        const wait = rateLimitWaitSeconds(error);
        if (wait !== undefined) {
          if (wait > options.maxRateLimitWaitSeconds || ++limitWaits > RATE_LIMIT_WAITS) throw error;
          gateOpensAt = Math.max(gateOpensAt, Date.now() + wait * 1000);
          options.onRateLimit?.(wait);
          continue;
        }
        const status = (error as HttpError).status;
        // @octokit/request reports a network error as status 500.
        if (status !== undefined && status >= 500 && ++failures <= retries) {
          await pause(failures * failures * 1000, options.signal);
          continue;
        }
        throw error;
      }
    }
  });
}
