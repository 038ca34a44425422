/**
 * One request limiter per configured source, shared by every job and SDK client of it: the
 * source's `requestConcurrency` bounds the requests it has in flight at once, however many of its
 * collectors run side by side (each collector then keeps its calls going without a pool of its own
 * multiplying the load on the vendor's API). Keyed by the source's config object, which every job
 * planned from it carries.
 */
import pLimit, { type LimitFunction } from "p-limit";

const limiters = new WeakMap<object, LimitFunction>();

export function requestLimiter(source: { requestConcurrency: number }): LimitFunction {
  let limit = limiters.get(source);
  if (!limit) limiters.set(source, (limit = pLimit(source.requestConcurrency)));
  return limit;
}
