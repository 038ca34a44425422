/**
 * Azure Resource Manager, one subscription: the inventory of every resource (type, location,
 * tags; paged with nextLink), and the full properties of the types the checks need, listed per
 * type (one paged call per type, not one call per resource). Fetches and validates; never judges.
 */
import { getContinuationToken, ResourceManagementClient } from "@azure/arm-resources";
import type { TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { z } from "zod";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import type { Evidence } from "../../src/domain.js";
import { CollectorError } from "../../src/errors.js";
import { AZURE_EVIDENCE, AZURE_TYPED_LISTS, armResourceSchema } from "../../src/evidence/azure.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { armClientOptions, describeAzureError } from "./clients.js";

export const AZURE_RESOURCES_COLLECTOR = "azure.resources";

export interface AzureResourcesOptions {
  source: AzureSourceConfig;
  credential: TokenCredential;
  subscriptionId: string;
}

const listPageSchema = z.object({ value: z.array(z.unknown()), nextLink: z.string().nullable().optional() });

export const azureResourcesCollector: CollectorDefinition<AzureResourcesOptions> = {
  name: AZURE_RESOURCES_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_EVIDENCE.inventory, ...AZURE_TYPED_LISTS.map((t) => t.kind)],
  permissions: ["Microsoft.Resources/subscriptions/resources/read", ...AZURE_TYPED_LISTS.map((t) => `${t.type}/read`)],
  async collect(options, context) {
    const { source, subscriptionId } = options;
    const clientOptions = armClientOptions(source);
    const client = new ResourceManagementClient(options.credential, subscriptionId, clientOptions);
    const fail = (operation: string, error: unknown): never => {
      if (error instanceof CollectorError) throw error;
      throw new CollectorError(
        { collector: AZURE_RESOURCES_COLLECTOR, source: source.name, account: subscriptionId, region: "global", apiCall: operation },
        describeAzureError(error, operation, source),
        { cause: error },
      );
    };
    const evidence = evidenceFor({ source: source.name, sourceType: "azure", account: subscriptionId, region: "global" }, context);

    // Paging is sequential by nature (each page names the next), so the inventory and the typed
    // lists of one subscription are read side by side; the source's request limiter bounds them.
    const readInventory = async (): Promise<Evidence> => {
      const inventory: { id: string; name: string; type: string; location: string | null; tags: Record<string, string> }[] = [];
      try {
        // The SDK follows absolute nextLinks; each page is reduced to what the inventory keeps.
        const seen = new Set<string>();
        for await (const page of client.resources.list({ abortSignal: context.signal }).byPage()) {
          // The SDK follows nextLinks as given; one it has already followed would never end.
          const next = getContinuationToken(page);
          if (next !== undefined && seen.has(next))
            throw new Error(`the API returned a nextLink it had already given (${next.slice(0, 80)}), so paging would never end`);
          if (next !== undefined) seen.add(next);
          for (const r of page) {
            if (!r.id || !r.type) throw new Error("malformed response: a resource has no id or type");
            inventory.push({ id: r.id, name: r.name ?? r.id.split("/").at(-1) ?? r.id, type: r.type, location: r.location ?? null, tags: r.tags ?? {} });
          }
        }
      } catch (error) {
        fail("Resources - List", error);
      }
      return evidence(AZURE_EVIDENCE.inventory, "Resources - List", { resources: inventory });
    };
    const readTyped = async (list: (typeof AZURE_TYPED_LISTS)[number]): Promise<Evidence> => {
      const operation = `${list.type} - List`;
      const first = `${clientOptions.endpoint}/subscriptions/${subscriptionId}/providers/${list.type}?api-version=${list.apiVersion}`;
      const resources = await collectAll(operation, async (token) => {
        const response = await client.sendRequest(createPipelineRequest({ url: token ?? first, method: "GET", abortSignal: context.signal }));
        const body = parseAzureBody(response, operation);
        const page = listPageSchema.safeParse(body);
        if (!page.success) throw new Error(`malformed response from ${operation}: expected { value: [...] }`);
        return {
          items: page.data.value.map((item) => {
            if (!armResourceSchema.safeParse(item).success) throw new Error(`malformed response from ${operation}: a resource lacks its id, name or type`);
            // Stored as ARM gave it (tags, sku, identity…), not only what today's checks read.
            return item;
          }),
          next: page.data.nextLink ?? undefined,
        };
      }).catch((error: unknown) => fail(operation, error));
      return evidence(list.kind, operation, { resources });
    };
    const reads = [readInventory(), ...AZURE_TYPED_LISTS.map((list) => readTyped(list))];
    // Settled, so a failure does not leave the other reads' rejections unhandled; the first failure wins.
    const settled = await Promise.allSettled(reads);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<Evidence>).value);
  },
};

/** The JSON body of a 2xx response; an ARM error body becomes an error carrying its status and code. */
export function parseAzureBody(response: PipelineResponse, operation: string): unknown {
  let body: unknown;
  try {
    body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    throw new Error(`malformed response from ${operation}: the body is not JSON (HTTP ${response.status})`);
  }
  if (response.status >= 200 && response.status < 300) return body;
  const armError = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const error = new Error(armError?.message ?? `HTTP ${response.status}`) as Error & { statusCode: number; code?: string };
  error.name = "RestError";
  error.statusCode = response.status;
  if (armError?.code) error.code = armError.code;
  throw error;
}
