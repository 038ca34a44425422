/**
 * Reads shared by the ARM collectors of one subscription beyond the resource lists: a paged GET
 * (ARM's `nextLink`, or `@odata.nextLink` for Policy Insights), a POST, each item validated, and a
 * refusal turned into a sentence naming the permission the call needs.
 */
import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { z } from "zod";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import type { CollectContext } from "../../src/collect.js";
import { CollectorError } from "../../src/errors.js";
import { collectAll } from "../pagination.js";
import { evidenceFor } from "../types.js";
import { armClientOptions, audienceRefusal, describeAzureError } from "./clients.js";
import { parseAzureBody } from "./resources.js";

export interface AzureArmOptions {
  source: AzureSourceConfig;
  credential: TokenCredential;
  subscriptionId: string;
}

const pageSchema = z.object({ value: z.array(z.unknown()), nextLink: z.string().nullable().optional(), "@odata.nextLink": z.string().nullable().optional() });

/** What a call needs: its operation name (for messages) and the ARM action that grants it. */
export interface ArmCall {
  operation: string;
  permission: string;
}

export function armReader(collector: string, options: AzureArmOptions, context: CollectContext) {
  const { source, subscriptionId } = options;
  const clientOptions = armClientOptions(source);
  const client = new ServiceClient({ credential: options.credential, ...clientOptions });
  const base = `${clientOptions.endpoint}/subscriptions/${subscriptionId}`;

  const fail = (call: ArmCall, error: unknown): never => {
    if (error instanceof CollectorError) throw error;
    throw new CollectorError(
      { collector, source: source.name, account: subscriptionId, region: "global", apiCall: call.operation },
      refusal(error, call, source, subscriptionId) ?? describeAzureError(error, call.operation, source),
      { cause: error },
    );
  };

  /** Every item of a paged list, each checked against `schema` (stored as ARM gave it, not as parsed). */
  const list = async (call: ArmCall, url: string, schema: z.ZodType, method: "GET" | "POST" = "GET"): Promise<unknown[]> =>
    collectAll(call.operation, async (token) => {
      // A nextLink is followed with the method of the first call (Policy Insights pages by POST).
      const response = await client.sendRequest(createPipelineRequest({ url: token ?? url, method, abortSignal: context.signal }));
      const page = pageSchema.safeParse(parseAzureBody(response, call.operation));
      if (!page.success) throw new Error(`malformed response from ${call.operation}: expected { value: [...] }`);
      return {
        items: page.data.value.map((item) => {
          const parsed = schema.safeParse(item);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new Error(
              `malformed response from ${call.operation}: an item ${issue ? `has ${issue.path.join(".") || "(root)"}: ${issue.message}` : "is invalid"}`,
            );
          }
          return item;
        }),
        next: page.data.nextLink ?? page.data["@odata.nextLink"] ?? undefined,
      };
    }).catch((error: unknown) => fail(call, error));

  return {
    endpoint: clientOptions.endpoint,
    base,
    list,
    fail,
    evidence: evidenceFor({ source: source.name, sourceType: "azure", account: subscriptionId, region: "global" }, context),
  };
}

/** A 403 as a sentence naming the action to grant; undefined for anything else. */
function refusal(error: unknown, call: ArmCall, source: AzureSourceConfig, subscriptionId: string): string | undefined {
  if (audienceRefusal(error, source, "arm")) return undefined;
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode !== 403 && e.code !== "AuthorizationFailed") return undefined;
  return `access denied to ${call.operation} (HTTP ${e.statusCode ?? 403}${e.code ? `, ${e.code}` : ""}): the identity needs ${call.permission} on subscription ${subscriptionId} (granted by the built-in Reader role, or add it to the custom role in config/permissions/azure-role.json); ARM said: ${e.message ?? ""}`;
}
