/**
 * What every Microsoft Graph collector of a tenant shares: the client (the source's Graph endpoint
 * and credential), paged listings that follow @odata.nextLink, single-object reads, and refusals
 * turned into a sentence naming what to fix (token audience, licence, or the permission).
 */
import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { z } from "zod";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import type { Evidence } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectContext, type CollectorDefinition } from "../types.js";
import { audienceRefusal, describeAzureError, graphClientOptions } from "./clients.js";
import { parseAzureBody } from "./resources.js";

export interface AzureGraphOptions {
  source: AzureSourceConfig;
  /** The credential for Microsoft Graph; null when the config gives no token for Graph. */
  credential: TokenCredential | null;
}

/** What a Graph collector needs from the tenant, for the sentence a refusal turns into. */
export interface GraphNeeds {
  /** Least-privileged application permissions, e.g. ["Policy.Read.All"]. */
  permissions: readonly string[];
  /** The licence the API needs, e.g. "Microsoft Entra ID P1"; absent when none. */
  licence?: string;
}

/** Graph error codes that say the tenant lacks a licence rather than the identity a permission. */
const LICENCE_CODES = /NonPremiumTenant|PremiumLicenseRequired|LicenseRequired|NotLicensed/i;

/** True when Graph refused a call because the tenant lacks a licence (not the identity a permission). */
export function isLicenceRefusal(error: unknown): boolean {
  const { statusCode: status, code, message } = error as { statusCode?: number; code?: string; message?: string };
  return (status === 403 || status === 400) && (LICENCE_CODES.test(code ?? "") || /licen[cs]e/i.test(message ?? ""));
}

/** Why Graph refused `operation`, as a sentence naming what to fix; undefined when it is not a refusal. */
export function graphRefusal(error: unknown, source: AzureSourceConfig, operation: string, needs: GraphNeeds): string | undefined {
  const audience = audienceRefusal(error, source, "graph");
  if (audience) return audience;
  const { statusCode: status, code, message } = error as { statusCode?: number; code?: string; message?: string };
  const said = `${status === undefined ? "" : `HTTP ${status}`}${code ? `, ${code}` : ""}`;
  const permissions = needs.permissions.join(" and ");
  if (isLicenceRefusal(error)) {
    return `Microsoft Graph refused ${operation} (${said}): this API needs ${needs.licence ? `a ${needs.licence} licence` : "a licence"} in the tenant; Graph said: ${message ?? ""}`;
  }
  if (status === 403) {
    return `Microsoft Graph refused ${operation} (${said}): the identity needs the Microsoft Graph permission ${permissions} (an application permission with admin consent)${needs.licence ? `, and the tenant a ${needs.licence} licence` : ""}; Graph said: ${message ?? ""}`;
  }
  if (status === 401) return `Microsoft Graph rejected the token for ${operation} (${said}): it is invalid or expired; Graph said: ${message ?? ""}`;
  return undefined;
}

const pageSchema = z.object({ value: z.array(z.unknown()), "@odata.nextLink": z.string().optional() });

/** Reads one tenant's Graph API: each call named by its operation (e.g. "GET /users"). */
export interface GraphReader {
  /** Every item of a paged listing, each validated against `item` (a malformed one fails the call). */
  list(path: string, operation: string, item: z.ZodType): Promise<unknown[]>;
  /** One object, validated against `schema`. */
  get(path: string, operation: string, schema: z.ZodType): Promise<unknown>;
}

function graphReader(source: AzureSourceConfig, credential: TokenCredential, context: CollectContext, onCall: (operation: string) => void): GraphReader {
  const graph = graphClientOptions(source);
  const client = new ServiceClient({ credential, ...graph });
  const send = async (url: string, operation: string) => {
    onCall(operation);
    return parseAzureBody(await client.sendRequest(createPipelineRequest({ url, method: "GET", abortSignal: context.signal })), operation);
  };
  return {
    list: (path, operation, item) =>
      collectAll(operation, async (token) => {
        const page = pageSchema.safeParse(await send(token ?? `${graph.endpoint}/v1.0${path}`, operation));
        if (!page.success) throw Object.assign(new Error(`malformed response from ${operation}: expected { value: [...] }`), { operation });
        for (const value of page.data.value) {
          const parsed = item.safeParse(value);
          if (!parsed.success) {
            const first = parsed.error.issues[0];
            throw Object.assign(
              new Error(`malformed response from ${operation}: ${first ? `${first.path.join(".")}: ${first.message}` : "an item is invalid"}`),
              {
                operation,
              },
            );
          }
        }
        // Stored as Graph gave it: what today's checks read and what they do not.
        return { items: page.data.value, next: page.data["@odata.nextLink"] };
      }),
    async get(path, operation, schema) {
      const body = await send(`${graph.endpoint}/v1.0${path}`, operation);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw Object.assign(new Error(`malformed response from ${operation}: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`), {
          operation,
        });
      }
      return body;
    },
  };
}

/**
 * A collector of one tenant's Graph evidence: one evidence kind, read by `read` through the reader.
 * Any refusal or failure fails the collector (its checks `error`), naming the call that failed.
 */
export function graphCollector(definition: {
  name: string;
  kind: string;
  needs: GraphNeeds;
  /** The calls it makes, in order (the evidence's apiCall; a failure names the one that failed). */
  operations: readonly string[];
  read(reader: GraphReader, source: AzureSourceConfig): Promise<unknown>;
}): CollectorDefinition<AzureGraphOptions> {
  return {
    name: definition.name,
    sourceType: "azure",
    produces: [definition.kind],
    permissions: definition.needs.permissions.map((p) => `Microsoft Graph: ${p}`),
    async collect(options, context): Promise<Evidence[]> {
      const { source } = options;
      let operation = definition.operations[0] ?? definition.name;
      const scope = () => ({ collector: definition.name, source: source.name, account: source.tenantId, region: "global", apiCall: operation });
      if (!options.credential) {
        // Not sent to Graph at all: an ARM token there could only be refused.
        throw new CollectorError(
          scope(),
          `no graphToken is configured: Microsoft Graph accepts only a token issued for it, so give credential.graphToken (a token for ${source.graphEndpoint.replace(/\/+$/, "")}, e.g. from \`az account get-access-token --resource-type ms-graph\`)`,
        );
      }
      const reader = graphReader(source, options.credential, context, (op) => (operation = op));
      try {
        const payload = await definition.read(reader, source);
        return [
          evidenceFor({ source: source.name, sourceType: "azure", account: source.tenantId, region: "global" }, context)(
            definition.kind,
            definition.operations.join("; "),
            payload,
          ),
        ];
      } catch (error) {
        throw new CollectorError(scope(), graphRefusal(error, source, operation, definition.needs) ?? describeAzureError(error, operation), { cause: error });
      }
    },
  };
}
