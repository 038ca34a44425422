/**
 * `sources.azure[]`: one Entra ID tenant and its subscriptions. Read by collectors/azure/.
 */
import { z } from "zod";
import { collectorSelection, requestConcurrency, maxResponseMiB, name, sourceSchedule, type ConfigVocabulary } from "../fields.js";

const uuid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "expected a GUID such as 00000000-0000-0000-0000-000000000000");
const httpsUrl = z.string().refine((v) => /^https:\/\/[^\s/]+/.test(v) && URL.canParse(v), "expected an https URL");

export const azureCredentialSchema = z
  .union(
    [
      z.literal("default"),
      z.object({ type: z.literal("client-secret"), clientId: uuid, clientSecret: z.string().min(1) }).strict(),
      z.object({ type: z.literal("certificate"), clientId: uuid, certificatePath: z.string().min(1) }).strict(),
      // Entra issues a token for one audience: ARM and Microsoft Graph each need their own.
      z
        .object({
          type: z.literal("access-token"),
          armToken: z
            .string()
            .min(1)
            .optional()
            .describe("A token for Azure Resource Manager, e.g. `az account get-access-token --resource https://management.azure.com`."),
          graphToken: z
            .string()
            .min(1)
            .optional()
            .describe(
              "A token for Microsoft Graph, e.g. `az account get-access-token --resource-type ms-graph`; without it Entra ID evidence is not collected (its checks report error).",
            ),
          token: z
            .string()
            .min(1)
            .optional()
            .describe("Deprecated alias of armToken. It is also tried on Microsoft Graph, which refuses a token issued for ARM: give graphToken."),
        })
        .strict(),
    ],
    { error: 'expected "default", or { type: client-secret | certificate | access-token, ... }' },
  )
  .default("default");

export const azureSourceSchema = z
  .object({
    name: name.describe("Your name for this source; it appears in every finding."),
    schedule: sourceSchedule,
    tenantId: uuid.describe("The Microsoft Entra tenant."),
    subscriptions: z
      .union([z.literal("all"), z.array(uuid).min(1)], { error: 'expected "all" or a list of subscription ids' })
      .default("all")
      .describe('Subscriptions to collect, or "all" that the identity can read.'),
    credential: azureCredentialSchema.describe("DefaultAzureCredential, a service principal, or a pre-obtained token; secrets from ${ENV} only."),
    endpoint: httpsUrl
      .default("https://management.azure.com")
      .describe("Azure Resource Manager endpoint (sovereign clouds: https://management.usgovcloudapi.net, ...)."),
    graphEndpoint: httpsUrl.default("https://graph.microsoft.com").describe("Microsoft Graph endpoint for Entra ID evidence."),
    authorityHost: httpsUrl.default("https://login.microsoftonline.com").describe("Entra ID authority host."),
    caFile: z.string().min(1).optional().describe("Extra CA certificates (PEM) to trust for these endpoints, e.g. a TLS-inspecting proxy's."),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe(
        "How many collectors of this source run at once (several per subscription, one per Entra ID API); requestConcurrency bounds their requests together.",
      ),
    requestConcurrency,
    maxResponseMiB,
    collectors: collectorSelection,
  })
  .strict()
  .superRefine((source, ctx) => {
    const credential = source.credential;
    if (credential === "default" || credential.type !== "access-token") return;
    if (credential.token && credential.armToken)
      ctx.addIssue({ code: "custom", path: ["credential", "token"], message: "give armToken or its deprecated alias token, not both" });
    if (!credential.token && !credential.armToken)
      ctx.addIssue({
        code: "custom",
        path: ["credential", "armToken"],
        message: "an access-token credential needs armToken, a token for Azure Resource Manager",
      });
  });

export function azureSource(_vocabulary: ConfigVocabulary) {
  return azureSourceSchema;
}
export type AzureSourceConfig = z.output<typeof azureSourceSchema>;
