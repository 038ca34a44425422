/**
 * Shared AWS client settings: the source's endpoint override and profile, adaptive retry (which
 * backs off on throttling), and request timeouts.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";

/** Temporary credentials from AssumeRole, for a member account. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsClientConfig {
  region: string;
  credentials?: AwsCredentials;
  endpoint?: string;
  profile?: string;
  maxAttempts: number;
  retryMode: string;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

export function awsClientConfig(source: AwsSourceConfig, region: string, credentials?: AwsCredentials): AwsClientConfig {
  return {
    region,
    ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    // Assumed-role credentials replace the profile; without them the profile (or default chain) applies.
    ...(credentials ? { credentials } : source.profile ? { profile: source.profile } : {}),
    maxAttempts: 6,
    retryMode: "adaptive",
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  };
}

/** A sentence for an SDK error: its code and message, and what to do for the common ones. */
export function describeAwsError(error: unknown, apiCall: string): string {
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
