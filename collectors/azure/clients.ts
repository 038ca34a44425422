/**
 * Azure credentials and client options for one source: the configured credential, the ARM and
 * Graph endpoints of its cloud, the extra CA certificates it trusts, and the bound on each answer.
 * The SDK's TLS and bearer-token checks stay on: a CA is added, never verification removed.
 */
import type { LimitFunction } from "p-limit";
import { requestLimiter } from "../request-limit.js";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { AdditionalPolicyConfig } from "@azure/core-client";
import type { PipelinePolicy, PipelineResponse } from "@azure/core-rest-pipeline";
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import { AnswerTooLargeError, declaredTooLarge, findTooLarge, limitNodeStream, readNodeStream } from "../answer-size.js";

/**
 * The credential for ARM and the one for Microsoft Graph. One Entra token is issued for one
 * audience, so a pre-obtained token is given per audience; `graph` is null when the config gives
 * an ARM token only (Graph would refuse it). The SDK credentials ask for each audience themselves.
 */
export function azureCredentials(source: AzureSourceConfig): { arm: TokenCredential; graph: TokenCredential | null } {
  const credential = source.credential;
  const common = { authorityHost: source.authorityHost, additionalPolicies: boundedAnswers(source) };
  let shared: TokenCredential;
  if (credential === "default") shared = new DefaultAzureCredential({ ...common, tenantId: source.tenantId });
  else if (credential.type === "client-secret") shared = new ClientSecretCredential(source.tenantId, credential.clientId, credential.clientSecret, common);
  else if (credential.type === "certificate")
    shared = new ClientCertificateCredential(source.tenantId, credential.clientId, { certificatePath: credential.certificatePath }, common);
  else {
    // The deprecated `token` is the ARM token and is still tried on Graph, as before; a refusal
    // there is explained (see graphRefusal in entra.ts), never silent.
    const arm = credential.armToken ?? credential.token ?? "";
    const graph = credential.graphToken ?? credential.token;
    return { arm: staticToken(arm), graph: graph === undefined ? null : staticToken(graph) };
  }
  return { arm: shared, graph: shared };
}

/** A token obtained beforehand (e.g. `az account get-access-token` in a CI job). */
function staticToken(token: string): TokenCredential {
  // Without an expiry from the issuer, assume the usual hour; the SDK only uses it for refresh timing.
  const expiresOnTimestamp = Date.now() + 3_600_000;
  return { getToken: (): Promise<AccessToken> => Promise.resolve({ token, expiresOnTimestamp }) };
}

/** The `aud` claim of a JWT access token, read without verifying it (only to name it in a message). */
export function tokenAudience(token: string | undefined): string | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const aud = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { aud?: unknown }).aud;
    return typeof aud === "string" ? aud : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When a 401 says the token was issued for another audience: the sentence saying so, naming the
 * token's audience and the config field to fix. Undefined for any other error.
 */
export function audienceRefusal(error: unknown, source: AzureSourceConfig, service: "arm" | "graph"): string | undefined {
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode !== 401 || !(e.code === "InvalidAuthenticationTokenAudience" || /invalid audience|wrong audience/i.test(e.message ?? ""))) return undefined;
  const credential = source.credential;
  const accessToken = credential !== "default" && credential.type === "access-token" ? credential : undefined;
  const sent = service === "arm" ? (accessToken?.armToken ?? accessToken?.token) : (accessToken?.graphToken ?? accessToken?.token);
  const audience = tokenAudience(sent);
  const name = service === "arm" ? "Azure Resource Manager" : "Microsoft Graph";
  const resource = service === "arm" ? source.endpoint : source.graphEndpoint;
  const field = service === "arm" ? "armToken" : "graphToken";
  return `${name} rejected the token: it was issued for another audience (${audience ?? `${name} said: ${e.message ?? "invalid audience"}`}); give a token for ${resource.replace(/\/+$/, "")}${accessToken ? ` (${field})` : ""}`;
}

export interface AzureClientOptions {
  endpoint: string;
  credentialScopes: string[];
  tlsOptions?: { ca: string };
  retryOptions: { maxRetries: number };
  additionalPolicies: AdditionalPolicyConfig[];
}

export function armClientOptions(source: AzureSourceConfig): AzureClientOptions {
  return clientOptions(source, source.endpoint);
}

export function graphClientOptions(source: AzureSourceConfig): AzureClientOptions {
  return clientOptions(source, source.graphEndpoint);
}

function clientOptions(source: AzureSourceConfig, endpoint: string): AzureClientOptions {
  const base = endpoint.replace(/\/+$/, "");
  return {
    endpoint: base,
    credentialScopes: [`${base}/.default`],
    ...(source.caFile ? { tlsOptions: { ca: readFileSync(source.caFile, "utf8") } } : {}),
    retryOptions: { maxRetries: 5 },
    // The source's request limiter on ARM and Graph calls only: a token request made while a call
    // holds a slot must never wait for one.
    additionalPolicies: [{ policy: requestLimitPolicy(requestLimiter(source)), position: "perRetry" }, ...boundedAnswers(source)],
  };
}

/** Each attempt of a call waits for a slot of the source's request limiter (see collectors/request-limit.ts). */
function requestLimitPolicy(limit: LimitFunction): PipelinePolicy {
  return { name: "isms-agent-request-limit", sendRequest: (request, next) => limit(() => next(request)) };
}

/** Bounds every answer of the client; per retry, so each attempt's body is bounded on its own. */
function boundedAnswers(source: AzureSourceConfig): AdditionalPolicyConfig[] {
  return [{ policy: boundedAnswerPolicy(source.maxResponseMiB), position: "perRetry" }];
}

/**
 * Has the HTTP client hand over the body as a stream, reads it up to the bound, and puts the text
 * where the SDK expects it (bodyAsText). Past the bound the request is aborted, so an endless
 * answer's connection is closed rather than left paused.
 */
export function boundedAnswerPolicy(maxMiB: number): PipelinePolicy {
  return {
    name: "isms-agent-bounded-answer",
    async sendRequest(request, next): Promise<PipelineResponse> {
      const streamed = request.streamResponseStatusCodes;
      const outer = request.abortSignal;
      const stop = new AbortController();
      const onOuterAbort = () => stop.abort();
      if (outer?.aborted) stop.abort();
      outer?.addEventListener("abort", onOuterAbort);
      const call = `${request.method} ${new URL(request.url).pathname}`;
      const tooLarge = () => {
        stop.abort();
        return new AnswerTooLargeError(maxMiB, call);
      };
      try {
        // POSITIVE_INFINITY: stream the body whatever the status.
        request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
        request.abortSignal = stop.signal;
        let response: PipelineResponse;
        try {
          response = await next(request);
        } finally {
          // The deserializer reads these to decide how to parse the answer: give back the caller's.
          request.streamResponseStatusCodes = streamed;
          request.abortSignal = outer;
        }
        const body = response.readableStreamBody;
        if (!body) return response;
        if (declaredTooLarge(response.headers.get("content-length"), maxMiB)) throw tooLarge();
        // The Node HTTP client hands over the IncomingMessage, or its gunzip/inflate stream: a Readable either way.
        const limited = limitNodeStream(body as Readable, maxMiB, tooLarge);
        if (streamed?.has(response.status) || streamed?.has(Number.POSITIVE_INFINITY)) {
          response.readableStreamBody = limited;
          return response;
        }
        response.bodyAsText = (await readNodeStream(limited)).toString("utf8");
        delete response.readableStreamBody;
        return response;
      } finally {
        outer?.removeEventListener("abort", onOuterAbort);
      }
    },
  };
}

/** A sentence for an Azure SDK or REST error: status, ARM error code and message. */
export function describeAzureError(error: unknown, operation: string, source?: AzureSourceConfig): string {
  const tooLarge = findTooLarge(error);
  if (tooLarge) return tooLarge.summary;
  if (!(error instanceof Error)) return String(error);
  const audience = source ? audienceRefusal(error, source, "arm") : undefined;
  if (audience) return audience;
  if (error.name === "Error") return error.message;
  const e = error as Error & { statusCode?: number; code?: string };
  if (e.name === "AbortError") return `${operation} was stopped: the collector timed out or the agent is shutting down`;
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError")
    return `no Azure credential could be used: ${e.message.split("\n")[0] ?? e.message}`;
  if (e.statusCode === 403 || e.code === "AuthorizationFailed") {
    return `access denied to ${operation} (HTTP 403${e.code ? `, ${e.code}` : ""}): grant the Reader role or config/permissions/azure-role.json (${e.message})`;
  }
  return `${operation} failed${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${e.code ? `${e.code}: ` : ""}${e.message}`;
}
