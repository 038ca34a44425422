/**
 * The AWS SDK's adaptive retry as the collectors configure it (6 attempts), with its waits taken
 * out for tests: no backoff between attempts, and a client-side rate limiter whose token bucket
 * refills at 1,000 tokens a second. Passed through the collectors' documented `retryStrategy`
 * option (the SDK's client setting of that name), so the retries are still the SDK's own.
 */
import { AdaptiveRetryStrategy, DefaultRateLimiter } from "@smithy/core/retry";

export function fastAdaptiveRetry(): { retryStrategy: AdaptiveRetryStrategy; delayBases: number[] } {
  // The delay base the SDK picks before each retry: 1,000 ms for a throttling error, 50 ms otherwise.
  const delayBases: number[] = [];
  const retryStrategy = new AdaptiveRetryStrategy(6, {
    backoff: { setDelayBase: (ms: number) => void delayBases.push(ms), computeNextBackoffDelay: () => 0 },
    rateLimiter: new DefaultRateLimiter({ minFillRate: 1000 }),
  });
  return { retryStrategy, delayBases };
}
