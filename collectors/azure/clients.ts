/**
 * Azure credentials and client options for one source: the configured credential, the ARM and
 * Graph endpoints of its cloud, and the extra CA certificates it trusts. The SDK's TLS and
 * bearer-token checks stay on: a CA is added, never verification removed.
 */
import { readFileSync } from "node:fs";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from "@azure/identity";
import type { AzureSourceConfig } from "../../src/config/schema.js";

export function azureCredential(source: AzureSourceConfig): TokenCredential {
  const credential = source.credential;
  const common = { authorityHost: source.authorityHost };
  if (credential === "default") return new DefaultAzureCredential({ ...common, tenantId: source.tenantId });
  switch (credential.type) {
    case "client-secret":
      return new ClientSecretCredential(source.tenantId, credential.clientId, credential.clientSecret, common);
    case "certificate":
      return new ClientCertificateCredential(source.tenantId, credential.clientId, { certificatePath: credential.certificatePath }, common);
    case "access-token":
      return staticToken(credential.token);
  }
}

/** A token obtained beforehand (e.g. `az account get-access-token` in a CI job). */
function staticToken(token: string): TokenCredential {
  // Without an expiry from the issuer, assume the usual hour; the SDK only uses it for refresh timing.
  const expiresOnTimestamp = Date.now() + 3_600_000;
  return { getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp }) };
}

export interface AzureClientOptions {
  endpoint: string;
  credentialScopes: string[];
  tlsOptions?: { ca: string };
  retryOptions: { maxRetries: number };
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
  };
}

/** A sentence for an Azure SDK or REST error: status, ARM error code and message. */
export function describeAzureError(error: unknown, operation: string): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "Error") return error.message;
  const e = error as Error & { statusCode?: number; code?: string };
  if (e.name === "AbortError") return `${operation} was stopped: the collector timed out or the agent is shutting down`;
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError") return `no Azure credential could be used: ${e.message.split("\n")[0] ?? e.message}`;
  if (e.statusCode === 403 || e.code === "AuthorizationFailed") {
    return `access denied to ${operation} (HTTP 403${e.code ? `, ${e.code}` : ""}): grant the Reader role or config/permissions/azure-role.json (${e.message})`;
  }
  return `${operation} failed${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${e.code ? `${e.code}: ` : ""}${e.message}`;
}
