/**
 * Microsoft Entra ID, one tenant: MFA registration of every user from Microsoft Graph's
 * userRegistrationDetails report (one paged listing, never a call per user). The report needs the
 * permission AuditLog.Read.All and a tenant with a Microsoft Entra ID P1 or P2 licence; each
 * refusal is told apart (token audience, licence, permission), so the fix named is the right one.
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
import { audienceRefusal, describeAzureError, graphClientOptions } from "./clients.js";
import { parseAzureBody } from "./resources.js";

export const AZURE_ENTRA_COLLECTOR = "azure.entra";
/** Microsoft Learn, "List userRegistrationDetails": AuditLog.Read.All, delegated and application; no alternative. */
export const GRAPH_REPORT_PERMISSION = "AuditLog.Read.All";
/** For delegated access, the signed-in user also needs one of these Entra roles (same page). */
const GRAPH_REPORT_ROLES = "Reports Reader, Security Reader, Security Administrator or Global Reader";

export interface AzureEntraOptions {
  source: AzureSourceConfig;
  /** The credential for Microsoft Graph; null when the config gives no token for Graph. */
  credential: TokenCredential | null;
}

/** Why Graph refused the report, as a sentence naming what to fix; undefined when it is not a refusal. */
function graphRefusal(error: unknown, source: AzureSourceConfig, operation: string): string | undefined {
  const audience = audienceRefusal(error, source, "graph");
  if (audience) return audience;
  const { statusCode: status, code, message } = error as { statusCode?: number; code?: string; message?: string };
  const said = `${status === undefined ? "" : `HTTP ${status}`}${code ? `, ${code}` : ""}`;
  if (status === 403 && code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant") {
    return `Microsoft Graph refused ${operation} (${said}): this report needs a Microsoft Entra ID P1 or P2 licence in the tenant (and is not offered in Azure AD B2C tenants); Graph said: ${message ?? ""}`;
  }
  if (status === 403) {
    return `Microsoft Graph refused ${operation} (${said}): the identity needs the Microsoft Graph permission ${GRAPH_REPORT_PERMISSION} (an application permission with admin consent; for a signed-in user, the delegated permission and the role ${GRAPH_REPORT_ROLES}); Graph said: ${message ?? ""}`;
  }
  if (status === 401) return `Microsoft Graph rejected the token for ${operation} (${said}): it is invalid or expired; Graph said: ${message ?? ""}`;
  return undefined;
}

const pageSchema = z.object({ value: z.array(z.unknown()), "@odata.nextLink": z.string().optional() });

export const azureEntraCollector: CollectorDefinition<AzureEntraOptions> = {
  name: AZURE_ENTRA_COLLECTOR,
  sourceType: "azure",
  produces: [AZURE_EVIDENCE.registrationDetails],
  permissions: [`Microsoft Graph: ${GRAPH_REPORT_PERMISSION}`],
  async collect(options, context) {
    const { source } = options;
    const operation = "GET /reports/authenticationMethods/userRegistrationDetails";
    const scope = { collector: AZURE_ENTRA_COLLECTOR, source: source.name, account: source.tenantId, region: "global", apiCall: operation };
    if (!options.credential) {
      // Not sent to Graph at all: an ARM token there could only be refused.
      throw new CollectorError(
        scope,
        `no graphToken is configured: Microsoft Graph accepts only a token issued for it, so give credential.graphToken (a token for ${source.graphEndpoint.replace(/\/+$/, "")}, e.g. from \`az account get-access-token --resource-type ms-graph\`)`,
      );
    }
    const graph = graphClientOptions(source);
    const client = new ServiceClient({ credential: options.credential, ...graph });
    const first = `${graph.endpoint}/v1.0/reports/authenticationMethods/userRegistrationDetails`;
    try {
      const users = await collectAll(operation, async (token) => {
        const response = await client.sendRequest(createPipelineRequest({ url: token ?? first, method: "GET", abortSignal: context.signal }));
        const page = pageSchema.safeParse(parseAzureBody(response, operation));
        if (!page.success) throw new Error(`malformed response from ${operation}: expected { value: [...] }`);
        return {
          items: page.data.value.map((item) => {
            if (!registrationUserSchema.safeParse(item).success)
              throw new Error(`malformed response from ${operation}: a user lacks its id or userPrincipalName`);
            // Stored as Graph gave it (methods registered, SSPR…), not only what today's checks read.
            return item;
          }),
          next: page.data["@odata.nextLink"],
        };
      });
      return [
        evidenceFor({ source: source.name, sourceType: "azure", account: source.tenantId, region: "global" }, context)(
          AZURE_EVIDENCE.registrationDetails,
          operation,
          { users },
        ),
      ];
    } catch (error) {
      throw new CollectorError(scope, graphRefusal(error, source, operation) ?? describeAzureError(error, operation), { cause: error });
    }
  },
};
