/**
 * Shared AWS client settings: the source's endpoint override and profile, adaptive retry (which
 * backs off on throttling), request timeouts, and the bound on each answer's size.
 */
import type { LimitFunction } from "p-limit";
import { requestLimiter } from "../request-limit.js";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import type { IAMClientConfig, IAMExtensionConfiguration } from "@aws-sdk/client-iam";
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { AnswerTooLargeError, declaredTooLarge, findTooLarge, limitNodeStream } from "../answer-size.js";

/** Temporary credentials from AssumeRole, for a member account. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The SDK's `retryStrategy` client setting (the same type in every service's package). */
export type AwsRetryStrategy = NonNullable<IAMClientConfig["retryStrategy"]>;

export interface AwsClientConfig {
  region: string;
  credentials?: AwsCredentials;
  endpoint?: string;
  profile?: string;
  maxAttempts: number;
  retryMode: string;
  retryStrategy?: AwsRetryStrategy;
  requestHandler: { connectionTimeout: number; requestTimeout: number; httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  extensions: BoundedAnswersExtension[];
}

/** The part of every AWS client's extension configuration used here (the same in each service's package). */
type HttpHandlerConfiguration = Pick<IAMExtensionConfiguration, "httpHandler" | "setHttpHandler">;
type SdkHttpHandler = ReturnType<HttpHandlerConfiguration["httpHandler"]>;
interface BoundedAnswersExtension {
  configure(configuration: HttpHandlerConfiguration): void;
}

/**
 * Wraps the client's own HTTP handler (the SDK's Node handler, with the timeouts above) so that
 * each answer's body is read through a counter: past the bound the socket is closed and the
 * SDK's read of the body fails with AnswerTooLargeError, which its retry strategy does not retry.
 */
function boundedAnswers(maxMiB: number, limit: LimitFunction): BoundedAnswersExtension {
  return {
    configure(configuration) {
      const inner: SdkHttpHandler = configuration.httpHandler();
      const bounded: SdkHttpHandler = {
        metadata: inner.metadata,
        handle: async (request, options) => {
          // Waits for a slot of the source's request limiter; the body is read after the slot is given back.
          const output = await limit(() => inner.handle(request, options));
          const { response } = output;
          // AWS names the operation in X-Amz-Target (JSON protocols) or the Action parameter (Query).
          const target = request.headers["x-amz-target"] ?? request.headers["X-Amz-Target"];
          const action = typeof request.body === "string" ? new URLSearchParams(request.body).get("Action") : null;
          const call = target?.split(".").pop() ?? action ?? `${request.method} ${request.path}`;
          const tooLarge = () => new AnswerTooLargeError(maxMiB, call);
          const body: unknown = response.body;
          const contentLength = Object.entries(response.headers).find(([name]) => name.toLowerCase() === "content-length")?.[1];
          if (declaredTooLarge(contentLength, maxMiB)) {
            if (body instanceof Readable) body.destroy();
            throw tooLarge();
          }
          if (body instanceof Readable) response.body = limitNodeStream(body, maxMiB, tooLarge);
          return output;
        },
        updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
        httpHandlerConfigs: () => inner.httpHandlerConfigs(),
        destroy: () => inner.destroy?.(),
      };
      configuration.setHttpHandler(bounded);
    },
  };
}

/**
 * `retryStrategy`, when given, replaces the adaptive retry (6 attempts) that `retryMode` sets up:
 * tests pass the SDK's own AdaptiveRetryStrategy with its waits taken out.
 */
export function awsClientConfig(source: AwsSourceConfig, region: string, credentials?: AwsCredentials, retryStrategy?: AwsRetryStrategy): AwsClientConfig {
  return {
    region,
    ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    // Assumed-role credentials replace the profile; without them the profile (or default chain) applies.
    ...(credentials ? { credentials } : source.profile ? { profile: source.profile } : {}),
    maxAttempts: 6,
    retryMode: "adaptive",
    ...(retryStrategy ? { retryStrategy } : {}),
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000, ...connectionPool(source) },
    extensions: [boundedAnswers(source.maxResponseMiB, requestLimiter(source))],
  };
}

// The SDK's handler destroys its agents with the client; these outlive every client of the source.
class SharedHttpAgent extends HttpAgent {
  override destroy(): void {}
}
class SharedHttpsAgent extends HttpsAgent {
  override destroy(): void {}
}

const pools = new WeakMap<AwsSourceConfig, { httpAgent: HttpAgent; httpsAgent: HttpsAgent }>();

/**
 * One pool of kept-alive connections for every client of a source: a run builds a client per
 * collector, account and region, and each would otherwise open (and, for AWS, TLS-handshake) its
 * own connections. Idle sockets do not keep the process alive and close after a minute.
 */
function connectionPool(source: AwsSourceConfig): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  let pool = pools.get(source);
  if (!pool) {
    const options = { keepAlive: true, timeout: 60_000, scheduling: "lifo" as const };
    pool = { httpAgent: new SharedHttpAgent(options), httpsAgent: new SharedHttpsAgent(options) };
    pools.set(source, pool);
  }
  return pool;
}

/** A sentence for an SDK error: its code and message, and what to do for the common ones. */
export function describeAwsError(error: unknown, apiCall: string): string {
  // The SDK appends a hint about its deserializer to the message; the summary is the sentence.
  const tooLarge = findTooLarge(error);
  if (tooLarge) return tooLarge.summary;
  if (!(error instanceof Error)) return String(error);
  // Our own errors (a malformed response, a report never ready) already say what happened.
  if (error.name === "Error") return error.message;
  const code = error.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (code === "AbortError") return `${apiCall} was stopped: the collector timed out or the agent is shutting down`;
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(code)) {
    return `access denied to ${apiCall}: grant the permission listed in config/permissions/aws-iam-policy.json (${error.message})`;
  }
  if (/CredentialsProviderError|Could not load credentials/i.test(`${code} ${error.message}`)) {
    return `no AWS credentials could be found (set a profile, environment credentials or an instance role): ${error.message}`;
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(code)) {
    return `${apiCall} was still throttled after the SDK's retries (${code}): ${error.message}`;
  }
  return `${apiCall} failed${status ? ` (HTTP ${status})` : ""}: ${code}: ${error.message}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
