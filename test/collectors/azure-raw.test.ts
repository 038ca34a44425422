/**
 * The Azure collectors store what the API returned (redacted by the runner), not the fields
 * today's checks read: a new check can then be judged from evidence already stored.
 */
import { afterEach, describe, expect, it } from "vitest";
import { azureCredentials } from "../../collectors/azure/clients.js";
import { azureEntraCollector } from "../../collectors/azure/entra.js";
import { azureResourcesCollector } from "../../collectors/azure/resources.js";
import { azureSourceSchema } from "../../src/config/schema.js";
import { AZURE_EVIDENCE, AZURE_TYPED_LISTS } from "../../src/evidence/azure.js";
import { DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { startFakeAzure, type FakeAzureServer } from "../../demo/servers/azure.js";

let server: FakeAzureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect() {
  const estate = demoAzureEstate();
  server = await startFakeAzure(estate, { pageSize: 2 });
  const config = azureSourceSchema.parse({
    name: "corp",
    tenantId: DEMO_TENANT_ID,
    credential: { type: "access-token", token: estate.token },
    endpoint: server.url,
    graphEndpoint: server.url,
    authorityHost: server.url,
    caFile: server.caFile,
  });
  const credentials = azureCredentials(config);
  const context = { signal: new AbortController().signal, now: () => new Date() };
  const resources = await azureResourcesCollector.collect({ source: config, credential: credentials.arm, subscriptionId: DEMO_SUBSCRIPTION_ID }, context);
  const entra = await azureEntraCollector.collect({ source: config, credential: credentials.graph }, context);
  return { estate, evidence: [...resources, ...entra] };
}

describe("Azure evidence is what ARM and Graph returned", () => {
  it("typed lists keep every field of each resource (tags included), as ARM gave it", async () => {
    const { estate, evidence } = await collect();
    const subscription = estate.subscriptions.find((s) => s.subscriptionId === DEMO_SUBSCRIPTION_ID);
    for (const list of AZURE_TYPED_LISTS) {
      const served = (subscription?.resources ?? [])
        .filter((r) => r.type.toLowerCase() === list.type.toLowerCase())
        .map((r) => ({ ...r, tags: r.tags ?? {}, properties: r.properties ?? {} }));
      expect(evidence.find((e) => e.kind === list.kind)?.payload, list.kind).toEqual({ resources: served });
    }
  });

  it("Graph's userRegistrationDetails keep every field of each user (the methods registered included)", async () => {
    const { estate, evidence } = await collect();
    const users = (evidence.find((e) => e.kind === AZURE_EVIDENCE.registrationDetails)?.payload as { users: Record<string, unknown>[] }).users;
    expect(users).toHaveLength(estate.users.length);
    for (const user of users) expect(Object.keys(user)).toEqual(expect.arrayContaining(["methodsRegistered", "isSsprRegistered", "isPasswordlessCapable"]));
    expect(users.find((u) => u["isMfaRegistered"] === true)?.["methodsRegistered"]).toEqual(["microsoftAuthenticatorPush"]);
  });
});
