/**
 * Microsoft Entra ID, one tenant: MFA registration of every user from Microsoft Graph's
 * userRegistrationDetails report (one paged listing, never a call per user).
 */
import type { TokenCredential } from "@azure/core-auth";
import { ServiceClient } from "@azure/core-client";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { z } from "zod";
import type { AzureSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { AZURE_EVIDENCE, registrationUserSchema } from "../../src/evidence/azure.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { describeAzureError, graphClientOptions } from "./clients.js";
import { parseAzureBody } from "./resources.js";

export const AZURE_ENTRA_COLLECTOR = "azure.entra";
export const GRAPH_REPORT_PERMISSION = "AuditLog.Read.All (or Reports.Read.All)";

export interface AzureEntraOptions {
  source: AzureSourceConfig;
  credential: TokenCredential;
}

const pageSchema = z.object({ value: z.array(z.unknown()), "@odata.nextLink": z.string().optional() });

export const azureEntraCollector: CollectorDefinition<AzureEntraOptions> = {
  name: AZURE_ENTRA_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_EVIDENCE.registrationDetails],
  permissions: [`Microsoft Graph: ${GRAPH_REPORT_PERMISSION}`],
  async collect(options, context) {
    const { source } = options;
    const graph = graphClientOptions(source);
    const client = new ServiceClient({ credential: options.credential, ...graph });
    const operation = "GET /reports/authenticationMethods/userRegistrationDetails";
    const first = `${graph.endpoint}/v1.0/reports/authenticationMethods/userRegistrationDetails`;
    try {
      const users = await collectAll(operation, async (token) => {
        const response = await client.sendRequest(createPipelineRequest({ url: token ?? first, method: "GET", abortSignal: context.signal }));
        const page = pageSchema.safeParse(parseAzureBody(response, operation));
        if (!page.success) throw new Error(`malformed response from ${operation}: expected { value: [...] }`);
        return {
          items: page.data.value.map((item) => {
            const user = registrationUserSchema.safeParse(item);
            if (!user.success) throw new Error(`malformed response from ${operation}: a user lacks its id or userPrincipalName`);
            return user.data;
          }),
          next: page.data["@odata.nextLink"],
        };
      });
      return [evidenceFor({ source: source.name, sourceType: "azure", account: source.tenantId, region: "global" }, context)(AZURE_EVIDENCE.registrationDetails, operation, { users })];
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      const message =
        status === 403 || status === 401
          ? `Microsoft Graph refused ${operation} (HTTP ${status}): the identity needs the application permission ${GRAPH_REPORT_PERMISSION}`
          : describeAzureError(error, operation);
      throw new CollectorError({ collector: AZURE_ENTRA_COLLECTOR, source: source.name, account: source.tenantId, region: "global", apiCall: operation }, message, { cause: error });
    }
  },
};
