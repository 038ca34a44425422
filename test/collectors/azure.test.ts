import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { azureResourcesCollector } from "../../collectors/azure/resources.js";
import { azureEntraCollector } from "../../collectors/azure/entra.js";
import { azureCredentials } from "../../collectors/azure/clients.js";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { azureSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { AZURE_EVIDENCE, inventoryEvidenceSchema, typedListEvidenceSchema } from "../../src/evidence/azure.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { fakeAzureToken, startFakeAzure, type AzureFaults, type FakeAzureEstate, type FakeAzureServer } from "../../demo/servers/azure.js";
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

async function source(
  faults: AzureFaults = {},
  estate: FakeAzureEstate = demoAzureEstate(),
  credential: (e: FakeAzureEstate) => Record<string, string> = (e) => ({ token: e.token }),
) {
  const server = await startFakeAzure(estate, faults);
  servers.push(server);
  const config = azureSourceSchema.parse({
    name: "corp",
    tenantId: DEMO_TENANT_ID,
    credential: { type: "access-token", ...credential(estate) },
    endpoint: server.url,
    graphEndpoint: server.url,
    authorityHost: server.url,
    caFile: server.caFile,
  });
  const credentials = azureCredentials(config);
  return { server, config, credential: credentials.arm, graphCredential: credentials.graph };
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
    const error = await azureResourcesCollector
      .collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(
      new RegExp(`^azure\\.resources \\(source corp, account ${DEMO_SUBSCRIPTION_ID}, region global, Resources - List\\): access denied`),
    );
  });
});

describe("azure.entra collector (Microsoft Graph userRegistrationDetails)", () => {
  it("lists every user in one paged listing across @odata.nextLink", async () => {
    const { server, config, graphCredential } = await source({ pageSize: 2 });
    const [evidence] = await azureEntraCollector.collect({ source: config, credential: graphCredential }, context());
    expect((evidence?.payload as { users: unknown[] }).users).toHaveLength(5);
    expect(server.requests.filter((r) => r.path.startsWith("/v1.0/")).length).toBe(3);
  });

  it("without the Graph permission the collector fails naming it (AuditLog.Read.All; Reports.Read.All does not grant this report)", async () => {
    const { config, graphCredential } = await source({ denyGraph: true });
    const error = await azureEntraCollector.collect({ source: config, credential: graphCredential }, context()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/HTTP 403, Authorization_RequestDenied\): the identity needs the Microsoft Graph permission AuditLog\.Read\.All/);
    expect((error as Error).message).not.toMatch(/Reports\.Read\.All/);
  });

  it("a tenant without an Entra ID P1/P2 licence is named as a licence problem, not a missing permission", async () => {
    const { config, graphCredential } = await source({ unlicensedGraph: true });
    const error = await azureEntraCollector.collect({ source: config, credential: graphCredential }, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /Microsoft Graph refused GET \/reports\/authenticationMethods\/userRegistrationDetails \(HTTP 403, Authentication_RequestFromNonPremiumTenantOrB2CTenant\): this report needs a Microsoft Entra ID P1 or P2 licence in the tenant/,
    );
    expect(message).not.toMatch(/permission/i);
  });
});

describe("access tokens: one per audience", () => {
  const arm = (e: FakeAzureEstate) => fakeAzureToken(e, "arm");
  const graph = (e: FakeAzureEstate) => fakeAzureToken(e, "graph");

  it("armToken goes to ARM and graphToken to Microsoft Graph; both collectors deliver", async () => {
    const { server, config, credential, graphCredential } = await source({}, demoAzureEstate(), (e) => ({ armToken: arm(e), graphToken: graph(e) }));
    const resources = await azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context());
    const [entra] = await azureEntraCollector.collect({ source: config, credential: graphCredential }, context());
    expect(resources.length).toBeGreaterThan(1);
    expect((entra?.payload as { users: unknown[] }).users).toHaveLength(5);
    const audiences = (graphSide: boolean) => [...new Set(server.requests.filter((r) => r.path.startsWith("/v1.0/") === graphSide).map((r) => r.audience))];
    expect(audiences(false)).toEqual(["https://management.azure.com/"]);
    expect(audiences(true)).toEqual(["https://graph.microsoft.com"]);
  });

  it("an ARM token sent to Graph (the deprecated `token` alone) fails Entra naming the audience and graphToken; ARM still works", async () => {
    const { server, config, credential, graphCredential } = await source({}, demoAzureEstate(), (e) => ({ token: arm(e) }));
    await azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context());
    const error = await azureEntraCollector.collect({ source: config, credential: graphCredential }, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    const message = (error as Error).message;
    expect(message).toContain(
      `Microsoft Graph rejected the token: it was issued for another audience (https://management.azure.com/); give a token for ${server.url} (graphToken)`,
    );
    expect(message).not.toMatch(/AuditLog|permission/);
  });

  it("a graphToken that is really an ARM token is named the same way", async () => {
    const { server, config, graphCredential } = await source({}, demoAzureEstate(), (e) => ({ armToken: arm(e), graphToken: arm(e) }));
    await expect(azureEntraCollector.collect({ source: config, credential: graphCredential }, context())).rejects.toThrow(
      `Microsoft Graph rejected the token: it was issued for another audience (https://management.azure.com/); give a token for ${server.url} (graphToken)`,
    );
  });

  it("a Graph token given as armToken fails ARM naming the audience and armToken", async () => {
    const { server, config, credential } = await source({}, demoAzureEstate(), (e) => ({ armToken: graph(e), graphToken: graph(e) }));
    await expect(azureResourcesCollector.collect({ source: config, credential, subscriptionId: DEMO_SUBSCRIPTION_ID }, context())).rejects.toThrow(
      `Azure Resource Manager rejected the token: it was issued for another audience (https://graph.microsoft.com); give a token for ${server.url} (armToken)`,
    );
  });

  it("armToken without graphToken: Entra fails up front saying graphToken is missing, without sending the ARM token to Graph", async () => {
    const { server, config, graphCredential } = await source({}, demoAzureEstate(), (e) => ({ armToken: arm(e) }));
    expect(graphCredential).toBeNull();
    await expect(azureEntraCollector.collect({ source: config, credential: graphCredential }, context())).rejects.toThrow(
      /no graphToken is configured: Microsoft Graph accepts only a token issued for it/,
    );
    expect(server.requests.filter((r) => r.path.startsWith("/v1.0/"))).toEqual([]);
  });

  it("the config names the field: neither armToken nor token, or both", () => {
    const parse = (credential: Record<string, string>) =>
      azureSourceSchema.safeParse({ name: "corp", tenantId: DEMO_TENANT_ID, credential: { type: "access-token", ...credential } });
    const issues = (credential: Record<string, string>) => parse(credential).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ graphToken: "g" })).toEqual(["credential.armToken: an access-token credential needs armToken, a token for Azure Resource Manager"]);
    expect(issues({ token: "t", armToken: "a" })).toEqual(["credential.token: give armToken or its deprecated alias token, not both"]);
    expect(parse({ token: "t" }).success).toBe(true);
  });
});

describe("an Azure run end to end", () => {
  const quiet: Output = { out: () => undefined, err: () => undefined };

  it("a 403 on one subscription fails only that subscription; the other subscription and Entra land", async () => {
    const estate = demoAzureEstate();
    const second = {
      subscriptionId: "11111111-2222-4333-8444-555555555555",
      displayName: "northwind-dev",
      resources: estate.subscriptions[0]?.resources.slice(0, 2) ?? [],
    };
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
        armToken: \${ISMS_TEST_AZURE_ARM_TOKEN}
        graphToken: \${ISMS_TEST_AZURE_GRAPH_TOKEN}
      endpoint: ${server.url}
      graphEndpoint: ${server.url}
      authorityHost: ${server.url}
      caFile: ${server.caFile}
`;
    const env = { ...process.env, ISMS_TEST_AZURE_ARM_TOKEN: fakeAzureToken(estate, "arm"), ISMS_TEST_AZURE_GRAPH_TOKEN: fakeAzureToken(estate, "graph") };
    await runCommand(parseConfig(yaml, join(dir.path, "c.yaml"), env), quiet);
    // Each audience got its own token.
    expect(new Set(server.requests.filter((r) => r.path.startsWith("/v1.0/")).map((r) => r.audience))).toEqual(new Set(["https://graph.microsoft.com"]));
    expect(new Set(server.requests.filter((r) => !r.path.startsWith("/v1.0/")).map((r) => r.audience))).toEqual(new Set(["https://management.azure.com/"]));
    const store = await openSqliteStore({ file: join(dir.path, "e.db") });
    const run = await store.latestFinishedRun();
    expect(run?.status).toBe("partial");
    const outcomes = await store.collectorOutcomes(run!.id);
    expect(outcomes.map((o) => `${o.collector} ${o.account} ${o.status}`)).toEqual(
      expect.arrayContaining([
        `azure.discovery ${DEMO_TENANT_ID} ok`,
        `azure.entra ${DEMO_TENANT_ID} ok`,
        `azure.resources ${DEMO_SUBSCRIPTION_ID} error`,
        `azure.resources ${second.subscriptionId} ok`,
      ]),
    );
    // Every collector of the refused subscription failed (resources, RBAC, Defender, monitor, policy); all the others landed.
    expect(outcomes.filter((o) => o.status !== (o.account === DEMO_SUBSCRIPTION_ID ? "error" : "ok"))).toEqual([]);
    const findings = await store.findings(run!.id);
    expect(findings.filter((f) => f.account === DEMO_SUBSCRIPTION_ID).every((f) => f.status === "error")).toBe(true);
    expect(findings.filter((f) => f.account === second.subscriptionId && f.checkId === "azure.network.nsg-admin-ports-closed").map((f) => f.status)).toEqual([
      "pass",
      "fail",
    ]);
    // Four members judged; the guest shown as not_applicable.
    expect(
      findings
        .filter((f) => f.checkId === "azure.entra.user-mfa-registered")
        .map((f) => f.status)
        .sort(),
    ).toEqual(["fail", "not_applicable", "pass", "pass", "pass"]);
    // The access tokens are nowhere in the stored evidence.
    const stored = JSON.stringify(await store.evidence(run!.id));
    for (const token of [env.ISMS_TEST_AZURE_ARM_TOKEN, env.ISMS_TEST_AZURE_GRAPH_TOKEN]) expect(stored).not.toContain(token);
    await store.close();
  });
});
