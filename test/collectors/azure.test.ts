import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { azureResourcesCollector } from "../../collectors/azure/resources.js";
import { azureEntraCollector } from "../../collectors/azure/entra.js";
import { azureCredential } from "../../collectors/azure/clients.js";
import { runCommand, type Output } from "../../src/cli/commands.js";
import { parseConfig } from "../../src/config/load.js";
import { azureSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { AZURE_EVIDENCE, inventoryEvidenceSchema, typedListEvidenceSchema } from "../../src/evidence/azure.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, demoAzureEstate } from "../fixtures/estates/demo-azure.js";
import { startFakeAzure, type AzureFaults, type FakeAzureEstate, type FakeAzureServer } from "../fixtures/servers/azure.js";
import { tempDir } from "../helpers.js";

const servers: FakeAzureServer[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => d.cleanup());
});
beforeAll(() => {
  process.env["ISMS_TEST_AZURE_TOKEN"] = demoAzureEstate().token;
});
const context = () => ({ signal: new AbortController().signal, now: () => new Date() });

async function source(faults: AzureFaults = {}, estate: FakeAzureEstate = demoAzureEstate()) {
  const server = await startFakeAzure(estate, faults);
  servers.push(server);
  const config = azureSourceSchema.parse({
    name: "corp",
    tenantId: DEMO_TENANT_ID,
    credential: { type: "access-token", token: estate.token },
    endpoint: server.url,
    graphEndpoint: server.url,
    authorityHost: server.url,
    caFile: server.caFile,
  });
  return { server, config, credential: azureCredential(config) };
}

describe("azure.resources collector (real @azure/arm-resources over HTTPS against the loopback ARM server)", () => {
  it("collects the inventory across nextLink pages and the typed lists, one paged call per type", async () => {
    const { server, config, credential } = await source({ pageSize: 2 });
    const evidence = await azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context());
    const inventory = inventoryEvidenceSchema.parse(evidence.find((e) => e.kind === AZURE_EVIDENCE.inventory)?.payload);
    expect(inventory.resources).toHaveLength(9);
    // A type no check knows stays in the inventory.
    expect(inventory.resources.find((r) => r.type === "Microsoft.Web/sites")).toMatchObject({ name: "northwind-portal", location: "westeurope" });
    const nsgs = typedListEvidenceSchema.parse(evidence.find((e) => e.kind === AZURE_EVIDENCE.networkSecurityGroups)?.payload);
    expect(nsgs.resources.map((r) => r.name)).toEqual(["web-nsg", "jumpbox-nsg"]);
    expect(evidence.every((e) => e.account === DEMO_SUBSCRIPTION_ID && e.sourceType === "azure")).toBe(true);
    // 9 resources at 2 a page: 5 inventory pages; each typed list 1 page (2 or fewer of each type).
    expect(server.requests.filter((r) => r.path.includes("/resources?")).length).toBe(5);
    expect(server.requests.filter((r) => r.path.includes("/providers/")).length).toBe(5);
  });

  it("honours a 429 with Retry-After, then succeeds", async () => {
    const { server, config, credential } = await source({ throttleOnce: "/providers/Microsoft.Storage" });
    const started = Date.now();
    const evidence = await azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests.filter((r) => r.path.includes("Microsoft.Storage")).map((r) => r.status)).toEqual([429, 200]);
    expect(typedListEvidenceSchema.parse(evidence.find((e) => e.kind === AZURE_EVIDENCE.storageAccounts)?.payload).resources).toHaveLength(2);
  });

  it("a 403 on the subscription fails with a CollectorError naming the subscription and the operation", async () => {
    const { config, credential } = await source({ denySubscription: DEMO_SUBSCRIPTION_ID });
    const error = await azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(new RegExp(`^azure\\.resources \\(source corp, account ${DEMO_SUBSCRIPTION_ID}, region global, Resources - List\\): access denied`));
  });
});

describe("azure.entra collector (Microsoft Graph userRegistrationDetails)", () => {
  it("lists every user in one paged listing across @odata.nextLink", async () => {
    const { server, config, credential } = await source({ pageSize: 2 });
    const [evidence] = await azureEntraCollector.collect({ source: config, credential }, context());
    expect((evidence?.payload as { users: unknown[] }).users).toHaveLength(5);
    expect(server.requests.filter((r) => r.path.startsWith("/v1.0/")).length).toBe(3);
  });

  it("without the Graph permission the collector fails naming it", async () => {
    const { config, credential } = await source({ denyGraph: true });
    await expect(azureEntraCollector.collect({ source: config, credential }, context())).rejects.toThrow(/needs the application permission AuditLog\.Read\.All \(or Reports\.Read\.All\)/);
  });
});

describe("an Azure run end to end", () => {
  const quiet: Output = { out: () => undefined, err: () => undefined };

  it("a 403 on one subscription fails only that subscription; the other subscription and Entra land", async () => {
    const estate = demoAzureEstate();
    const second = { subscriptionId: "11111111-2222-4333-8444-555555555555", displayName: "northwind-dev", resources: estate.subscriptions[0]?.resources.slice(0, 2) ?? [] };
    const { server } = await source({ denySubscription: DEMO_SUBSCRIPTION_ID }, { ...estate, subscriptions: [...estate.subscriptions, second] });
    const dir = tempDir();
    dirs.push(dir);
    const yaml = `organization: X
database: ${join(dir.path, "e.db")}
output: ${join(dir.path, "out")}
sources:
  azure:
    - name: corp
      tenantId: ${DEMO_TENANT_ID}
      credential:
        type: access-token
        token: \${ISMS_TEST_AZURE_TOKEN}
      endpoint: ${server.url}
      graphEndpoint: ${server.url}
      authorityHost: ${server.url}
      caFile: ${server.caFile}
`;
    await runCommand(parseConfig(yaml, join(dir.path, "c.yaml"), process.env), quiet);
    const store = await openSqliteStore({ file: join(dir.path, "e.db") });
    const run = await store.latestFinishedRun();
    expect(run?.status).toBe("partial");
    const outcomes = await store.collectorOutcomes(run!.id);
    expect(outcomes.map((o) => `${o.collector} ${o.account} ${o.status}`).sort()).toEqual([
      `azure.discovery ${DEMO_TENANT_ID} ok`,
      `azure.entra ${DEMO_TENANT_ID} ok`,
      `azure.resources ${DEMO_SUBSCRIPTION_ID} error`,
      `azure.resources ${second.subscriptionId} ok`,
    ]);
    const findings = await store.findings(run!.id);
    expect(findings.filter((f) => f.account === DEMO_SUBSCRIPTION_ID).every((f) => f.status === "error")).toBe(true);
    expect(findings.filter((f) => f.account === second.subscriptionId && f.checkId === "azure.network.nsg-admin-ports-closed").map((f) => f.status)).toEqual(["pass", "fail"]);
    expect(findings.filter((f) => f.checkId === "azure.entra.user-mfa-registered")).toHaveLength(4);
    // The access token is nowhere in the stored evidence.
    expect(JSON.stringify(await store.evidence(run!.id))).not.toContain(estate.token);
    await store.close();
  });
});
