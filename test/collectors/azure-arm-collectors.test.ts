/**
 * The per-subscription ARM collectors (RBAC, Defender for Cloud, diagnostic settings, Azure Policy)
 * through the real Azure core pipeline over HTTPS against the loopback ARM server.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { azureAuthorizationCollector } from "../../collectors/azure/arm-authorization.js";
import { azureMonitorCollector } from "../../collectors/azure/arm-monitor.js";
import { azurePolicyCollector } from "../../collectors/azure/arm-policy.js";
import { azureSecurityCollector } from "../../collectors/azure/arm-security.js";
import { azureCredentials } from "../../collectors/azure/clients.js";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { azureSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import {
  AZURE_ARM_EVIDENCE,
  activityLogDiagnosticsEvidenceSchema,
  assessmentsEvidenceSchema,
  keyVaultDiagnosticsEvidenceSchema,
  policySummaryEvidenceSchema,
  pricingsEvidenceSchema,
  roleAssignmentsEvidenceSchema,
  securityContactsEvidenceSchema,
} from "../../src/evidence/azure-arm.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { DEMO_DEV_SUBSCRIPTION_ID, DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { startFakeAzure, type AzureFaults, type FakeAzureServer } from "../../demo/servers/azure.js";
import { tempDir } from "../helpers.js";

const servers: FakeAzureServer[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => d.cleanup());
});
const context = () => ({ signal: new AbortController().signal, now: () => new Date() });

async function setup(faults: AzureFaults = {}) {
  const estate = demoAzureEstate();
  const server = await startFakeAzure(estate, faults);
  servers.push(server);
  const source = azureSourceSchema.parse({
    name: "corp",
    tenantId: DEMO_TENANT_ID,
    credential: { type: "access-token", token: estate.token },
    endpoint: server.url,
    graphEndpoint: server.url,
    authorityHost: server.url,
    caFile: server.caFile,
  });
  const options = (subscriptionId: string) => ({ source, credential: azureCredentials(source).arm, subscriptionId });
  return { estate, server, options };
}

const payload = (evidence: { kind: string; payload: unknown }[], kind: string) => evidence.find((e) => e.kind === kind)?.payload;

describe("azure.authorization collector", () => {
  it("lists the role assignments at the subscription's scope ($filter=atScope()) across nextLink pages, stored as ARM gave them", async () => {
    const { estate, server, options } = await setup({ pageSize: 3 });
    const evidence = await azureAuthorizationCollector.collect(options(DEMO_SUBSCRIPTION_ID), context());
    const { assignments } = roleAssignmentsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.roleAssignments));
    expect(assignments).toHaveLength(4);
    expect(payload(evidence, AZURE_ARM_EVIDENCE.roleAssignments)).toEqual({ assignments: estate.subscriptions[0]?.roleAssignments });
    const calls = server.requests.filter((r) => r.path.includes("roleAssignments"));
    expect(calls).toHaveLength(2);
    expect(calls.every((r) => r.method === "GET" && decodeURIComponent(r.path).includes("api-version=2022-04-01&$filter=atScope()"))).toBe(true);
  });

  it("a refusal names the action to grant", async () => {
    const { options } = await setup({ denyPath: "Microsoft.Authorization/roleAssignments" });
    const error = await azureAuthorizationCollector.collect(options(DEMO_SUBSCRIPTION_ID), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toContain(
      `Role Assignments - List For Subscription): access denied to Role Assignments - List For Subscription (HTTP 403, AuthorizationFailed): the identity needs Microsoft.Authorization/roleAssignments/read on subscription ${DEMO_SUBSCRIPTION_ID}`,
    );
  });
});

describe("azure.security collector", () => {
  it("reads the Defender plans, security contacts and assessments, one listing each", async () => {
    const { server, options } = await setup();
    const evidence = await azureSecurityCollector.collect(options(DEMO_DEV_SUBSCRIPTION_ID), context());
    expect(evidence.map((e) => e.kind).sort()).toEqual(
      [AZURE_ARM_EVIDENCE.assessments, AZURE_ARM_EVIDENCE.securityContacts, AZURE_ARM_EVIDENCE.defenderPlans].sort(),
    );
    // A subscription that never turned Defender on lists every plan on the Free tier.
    const { pricings } = pricingsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.defenderPlans));
    expect(pricings.length).toBeGreaterThan(5);
    expect(new Set(pricings.map((p) => p.properties.pricingTier))).toEqual(new Set(["Free"]));
    expect(securityContactsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.securityContacts)).contacts).toEqual([]);
    expect(assessmentsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.assessments)).assessments).toHaveLength(4);
    expect(server.requests.map((r) => r.path.split("?")[0]).sort()).toEqual(
      ["assessments", "pricings", "securityContacts"].map((p) => `/subscriptions/${DEMO_DEV_SUBSCRIPTION_ID}/providers/Microsoft.Security/${p}`),
    );
  });

  it("a refused Defender read fails the collector naming Microsoft.Security/pricings/read", async () => {
    const { options } = await setup({ denyPath: "Microsoft.Security/pricings" });
    await expect(azureSecurityCollector.collect(options(DEMO_SUBSCRIPTION_ID), context())).rejects.toThrow(
      /access denied to Pricings - List \(HTTP 403, AuthorizationFailed\): the identity needs Microsoft\.Security\/pricings\/read on subscription/,
    );
  });

  it("an assessment without its status is a malformed answer, not evidence", async () => {
    const { estate, options, server } = await setup();
    const dev = estate.subscriptions.find((s) => s.subscriptionId === DEMO_DEV_SUBSCRIPTION_ID);
    dev?.assessments?.push({ id: "/subscriptions/x/providers/Microsoft.Security/assessments/y", name: "y", properties: { displayName: "no status" } });
    await expect(azureSecurityCollector.collect(options(DEMO_DEV_SUBSCRIPTION_ID), context())).rejects.toThrow(
      /malformed response from Assessments - List: an item has properties\.status/,
    );
    expect(server.requests.length).toBeGreaterThan(0);
  });
});

describe("azure.monitor collector", () => {
  it("reads the activity log's settings, the vault list, then one diagnostic-settings GET per vault", async () => {
    const { server, options } = await setup();
    const evidence = await azureMonitorCollector.collect(options(DEMO_SUBSCRIPTION_ID), context());
    const activity = activityLogDiagnosticsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.activityLogDiagnostics));
    expect(activity.settings.map((s) => s.name)).toEqual(["activity-to-sentinel"]);
    const vaults = keyVaultDiagnosticsEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.keyVaultDiagnostics));
    expect(vaults.vaults.map((v) => [v.name, v.settings.length])).toEqual([
      ["northwind-kv", 1],
      ["northwind-web-kv", 0],
    ]);
    const paths = server.requests.map((r) => r.path.split("?")[0] ?? "");
    expect(paths.filter((p) => p.endsWith("/diagnosticSettings"))).toHaveLength(3);
    expect(paths.filter((p) => p.endsWith("/Microsoft.KeyVault/vaults"))).toHaveLength(1);
  });
});

describe("azure.policy collector", () => {
  it("POSTs the latest-states summary and keeps it per assignment", async () => {
    const { server, options } = await setup();
    const evidence = await azurePolicyCollector.collect(options(DEMO_SUBSCRIPTION_ID), context());
    const { summaries } = policySummaryEvidenceSchema.parse(payload(evidence, AZURE_ARM_EVIDENCE.policySummary));
    expect(summaries[0]?.policyAssignments?.map((a) => [a.policyAssignmentId.split("/").at(-1), a.results.nonCompliantResources])).toEqual([
      ["mcsb-baseline", 0],
      ["require-classification-tag", 3],
    ]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /subscriptions/${DEMO_SUBSCRIPTION_ID}/providers/Microsoft.PolicyInsights/policyStates/latest/summarize?api-version=2019-10-01`,
    ]);
  });
});

/** A whole Azure run over the demo estate; its store, to read outcomes and findings. */
async function runDemo(faults: AzureFaults = {}) {
  const { estate, server } = await setup(faults);
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
        token: \${ISMS_TEST_ARM_TOKEN}
      endpoint: ${server.url}
      graphEndpoint: ${server.url}
      authorityHost: ${server.url}
      caFile: ${server.caFile}
`;
  const quiet: Output = { out: () => undefined, err: () => undefined };
  await runCommand(parseConfig(yaml, join(dir.path, "c.yaml"), { ...process.env, ISMS_TEST_ARM_TOKEN: estate.token }), quiet);
  const store = await openSqliteStore({ file: join(dir.path, "e.db") });
  const run = await store.latestFinishedRun();
  return { store, run: run! };
}

const NEW_CHECKS = [
  "azure.rbac.privileged-roles-via-groups",
  "azure.rbac.owner-count",
  "azure.defender.servers-plan",
  "azure.defender.storage-malware-scanning",
  "azure.defender.plans-standard",
  "azure.defender.security-contacts",
  "azure.defender.vulnerability-findings",
  "azure.monitor.activity-log-exported",
  "azure.monitor.keyvault-diagnostics",
  "azure.policy.compliance",
  "azure.inventory.classification-label",
];

describe("the demo estate", () => {
  it("gives every ARM check both a passing and a failing finding (production in order, development neglected)", async () => {
    const { store, run } = await runDemo();
    const findings = await store.findings(run.id);
    const outcomes = Object.fromEntries(NEW_CHECKS.map((id) => [id, [...new Set(findings.filter((f) => f.checkId === id).map((f) => f.status))].sort()]));
    for (const id of NEW_CHECKS) expect(outcomes[id], id).toEqual(expect.arrayContaining(["fail", "pass"]));
    expect(Object.values(outcomes).flat()).not.toContain("error");
    await store.close();
  });
});

describe("a refused Defender read in a run", () => {
  it("fails only azure.security: the Defender checks are errors, RBAC, logging and policy are judged", async () => {
    const { store, run } = await runDemo({ denyPath: "Microsoft.Security/pricings" });
    const outcomes = await store.collectorOutcomes(run!.id);
    expect(
      outcomes
        .filter((o) => o.status === "error")
        .map((o) => `${o.collector} ${o.account}`)
        .sort(),
    ).toEqual([`azure.security ${DEMO_DEV_SUBSCRIPTION_ID}`, `azure.security ${DEMO_SUBSCRIPTION_ID}`].sort());
    expect(outcomes.find((o) => o.status === "error")?.error).toMatch(/the identity needs Microsoft\.Security\/pricings\/read/);
    const findings = await store.findings(run.id);
    const statuses = (prefix: string) => [...new Set(findings.filter((f) => f.checkId.startsWith(prefix)).map((f) => f.status))].sort();
    expect(statuses("azure.defender.")).toEqual(["error"]);
    expect(statuses("azure.rbac.")).toEqual(["fail", "pass"]);
    expect(statuses("azure.policy.")).toEqual(["fail", "pass"]);
    expect(statuses("azure.monitor.")).toEqual(["fail", "pass"]);
    await store.close();
  });
});
