/**
 * The Microsoft Graph collectors of a tenant (Conditional Access, authorization policy, directory
 * roles, PIM, users, applications, Intune devices) through the real @azure/core-client over HTTPS
 * against the loopback Graph server: paging, $select, redaction, and each refusal named.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { azureCredentials } from "../../collectors/azure/clients.js";
import { AZURE_GRAPH_COLLECTORS } from "../../collectors/azure/graph-collectors.js";
import { azureEntraApplicationsCollector, azureEntraUsersCollector, azureIntuneDevicesCollector } from "../../collectors/azure/graph-directory.js";
import { azureEntraAccessCollector, azureEntraAuthorizationCollector } from "../../collectors/azure/graph-policies.js";
import { azureEntraPimCollector, azureEntraRolesCollector } from "../../collectors/azure/graph-roles.js";
import type { Output } from "../../app/cli/output.js";
import { runCommand } from "../../app/cli/run.js";
import { parseConfig } from "../../app/config.js";
import { azureSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import {
  applicationsEvidenceSchema,
  authorizationPolicyEvidenceSchema,
  conditionalAccessEvidenceSchema,
  isUnlicensed,
  managedDevicesEvidenceSchema,
  pimSchedulesEvidenceSchema,
  roleAssignmentsEvidenceSchema,
  usersEvidenceSchema,
} from "../../src/evidence/azure-graph.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { DEMO_TENANT_ID, demoAzureEstate } from "../../demo/estates/demo-azure.js";
import { fakeAzureToken, startFakeAzure, type AzureFaults, type FakeAzureServer } from "../../demo/servers/azure.js";
import { tempDir } from "../helpers.js";

const servers: FakeAzureServer[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => d.cleanup());
});
const context = () => ({ signal: new AbortController().signal, now: () => new Date() });

async function tenant(faults: AzureFaults = {}, graphToken = true) {
  const estate = demoAzureEstate();
  const server = await startFakeAzure(estate, faults);
  servers.push(server);
  const config = azureSourceSchema.parse({
    name: "corp",
    tenantId: DEMO_TENANT_ID,
    credential: { type: "access-token", armToken: fakeAzureToken(estate, "arm"), ...(graphToken ? { graphToken: fakeAzureToken(estate, "graph") } : {}) },
    endpoint: server.url,
    graphEndpoint: server.url,
    authorityHost: server.url,
    caFile: server.caFile,
  });
  return { server, options: { source: config, credential: azureCredentials(config).graph } };
}

const refusal = async (collector: (typeof AZURE_GRAPH_COLLECTORS)[number], faults: AzureFaults) => {
  const { options } = await tenant(faults);
  const error = await collector.collect(options, context()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CollectorError);
  return (error as Error).message;
};

describe("Microsoft Graph collectors of a tenant", () => {
  it("each reads its evidence in one paged listing per API (following @odata.nextLink), with a Graph token, scoped to the tenant", async () => {
    const { server, options } = await tenant({ pageSize: 2 });
    const payload = async (collector: (typeof AZURE_GRAPH_COLLECTORS)[number]) => {
      const [evidence] = await collector.collect(options, context());
      expect(evidence).toMatchObject({ kind: collector.produces[0], account: DEMO_TENANT_ID, region: "global", sourceType: "azure" });
      return evidence?.payload;
    };
    const access = conditionalAccessEvidenceSchema.parse(await payload(azureEntraAccessCollector));
    expect(access.securityDefaults.isEnabled).toBe(false);
    expect(isUnlicensed(access.policies) ? [] : access.policies.map((p) => p.displayName)).toEqual([
      "Require MFA for all users",
      "Block legacy authentication",
      "Admins: compliant or hybrid-joined device",
    ]);
    const authorization = authorizationPolicyEvidenceSchema.parse(await payload(azureEntraAuthorizationCollector));
    expect(authorization.policy).toMatchObject({ allowInvitesFrom: "everyone", guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3" });
    const roles = roleAssignmentsEvidenceSchema.parse(await payload(azureEntraRolesCollector));
    expect(roles.assignments).toHaveLength(7);
    expect(roles.assignments[0]?.principal).toMatchObject({ "@odata.type": "#microsoft.graph.user", userPrincipalName: "alice@northwind.example" });
    const pim = pimSchedulesEvidenceSchema.parse(await payload(azureEntraPimCollector));
    expect([pim.eligibilitySchedules.length, pim.assignmentSchedules.length]).toEqual([1, 5]);
    const users = usersEvidenceSchema.parse(await payload(azureEntraUsersCollector));
    expect(users.users.map((u) => [u.userPrincipalName, u.userType])).toContainEqual(["partner_contoso.example#EXT#@northwind.example", "Guest"]);
    expect(users.users[0]?.signInActivity?.lastSignInDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const apps = applicationsEvidenceSchema.parse(await payload(azureEntraApplicationsCollector));
    expect(apps.applications.map((a) => a.displayName)).toEqual(["northwind-portal", "legacy-directory-sync", "hr-connector", "intranet-spa"]);
    const devices = managedDevicesEvidenceSchema.parse(await payload(azureIntuneDevicesCollector));
    expect(devices.devices.map((d) => [d.deviceName, d.complianceState, d.isEncrypted])).toEqual([
      ["LAPTOP-ALICE", "compliant", true],
      ["MBP-CAROL", "noncompliant", false],
      ["IPHONE-DAVE", "compliant", true],
    ]);

    const graph = server.requests.filter((r) => r.path.startsWith("/v1.0/"));
    expect(new Set(graph.map((r) => r.audience))).toEqual(new Set(["https://graph.microsoft.com"]));
    const calls = (prefix: string) => graph.filter((r) => r.path.startsWith(prefix)).length;
    // 2 a page: 3 policies → 2 pages, 7 assignments → 4, 5 users → 3, 4 apps → 2, 3 devices → 2; single objects 1 each.
    expect(calls("/v1.0/identity/conditionalAccess/policies")).toBe(2);
    expect(calls("/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).toBe(1);
    expect(calls("/v1.0/policies/authorizationPolicy")).toBe(1);
    expect(calls("/v1.0/roleManagement/directory/roleAssignments?")).toBe(4);
    expect(calls("/v1.0/roleManagement/directory/roleEligibilitySchedules")).toBe(1);
    expect(calls("/v1.0/roleManagement/directory/roleAssignmentSchedules")).toBe(3);
    expect(calls("/v1.0/users")).toBe(3);
    expect(calls("/v1.0/applications")).toBe(2);
    expect(calls("/v1.0/deviceManagement/managedDevices")).toBe(2);
    // Only the fields needed are asked for, and every page keeps the query.
    const users1 = graph.filter((r) => r.path.startsWith("/v1.0/users"));
    for (const r of users1)
      expect(decodeURIComponent(r.path)).toContain("$select=id,userPrincipalName,displayName,userType,accountEnabled,createdDateTime,signInActivity");
    expect(
      graph
        .filter((r) => r.path.startsWith("/v1.0/roleManagement/directory/roleAssignments?"))
        .every((r) => decodeURIComponent(r.path).includes("$expand=principal")),
    ).toBe(true);
  });

  it("users come 500 a page ($top, the most Graph gives with signInActivity): 1,201 users are 3 requests", async () => {
    const estate = demoAzureEstate();
    estate.users = Array.from({ length: 1201 }, (_, i) => ({
      id: `u${i}`,
      userPrincipalName: `user${i}@northwind.example`,
      userDisplayName: `User ${i}`,
      isAdmin: false,
      isMfaRegistered: true,
    }));
    const server = await startFakeAzure(estate);
    servers.push(server);
    const source = azureSourceSchema.parse({
      name: "corp",
      tenantId: DEMO_TENANT_ID,
      credential: { type: "access-token", armToken: "x", graphToken: fakeAzureToken(estate, "graph") },
      endpoint: server.url,
      graphEndpoint: server.url,
      authorityHost: server.url,
      caFile: server.caFile,
    });
    const [evidence] = await azureEntraUsersCollector.collect({ source, credential: azureCredentials(source).graph }, context());
    expect(usersEvidenceSchema.parse(evidence?.payload).users).toHaveLength(1201);
    const calls = server.requests.filter((r) => r.path.startsWith("/v1.0/users"));
    expect(calls).toHaveLength(3);
    expect(calls.every((r) => decodeURIComponent(r.path).includes("$top=500"))).toBe(true);
  });

  it("application secret hints and certificate bodies are never stored", async () => {
    const { options } = await tenant();
    const [evidence] = await azureEntraApplicationsCollector.collect(options, context());
    const text = JSON.stringify(evidence?.payload);
    expect(text).not.toContain('"hint"');
    expect(text).not.toContain('"secretText"');
    expect(text).not.toContain('"key"');
    // The validity dates the checks read are kept.
    expect(text).toContain('"endDateTime"');
  });

  it("a refused permission is named: Policy.Read.All, RoleManagement.Read.Directory, User.Read.All and AuditLog.Read.All, Application.Read.All, DeviceManagementManagedDevices.Read.All", async () => {
    expect(await refusal(azureEntraAccessCollector, { denyGraphPath: "/identity/conditionalAccess" })).toMatch(
      /Microsoft Graph refused GET \/identity\/conditionalAccess\/policies \(HTTP 403, Authorization_RequestDenied\): the identity needs the Microsoft Graph permission Policy\.Read\.All/,
    );
    expect(await refusal(azureEntraAuthorizationCollector, { denyGraphPath: "/policies/authorizationPolicy" })).toMatch(/permission Policy\.Read\.All/);
    expect(await refusal(azureEntraRolesCollector, { denyGraphPath: "/roleManagement/" })).toMatch(
      /refused GET \/roleManagement\/directory\/roleAssignments \(HTTP 403, Authorization_RequestDenied\): the identity needs the Microsoft Graph permission RoleManagement\.Read\.Directory/,
    );
    expect(await refusal(azureEntraUsersCollector, { denyGraphPath: "/users" })).toMatch(/permission User\.Read\.All and AuditLog\.Read\.All/);
    expect(await refusal(azureEntraApplicationsCollector, { denyGraphPath: "/applications" })).toMatch(/permission Application\.Read\.All/);
    expect(await refusal(azureIntuneDevicesCollector, { denyGraphPath: "/deviceManagement/" })).toMatch(
      /permission DeviceManagementManagedDevices\.Read\.All \(an application permission with admin consent\), and the tenant a Microsoft Intune licence/,
    );
  });

  it("without P1, Conditional Access and sign-in activity are recorded as unlicensed (named) while security defaults and the users still land", async () => {
    const { options } = await tenant({ unlicensedGraphPath: "/identity/conditionalAccess" });
    const [access] = await azureEntraAccessCollector.collect(options, context());
    expect(conditionalAccessEvidenceSchema.parse(access?.payload)).toEqual({
      securityDefaults: expect.objectContaining({ isEnabled: false }) as unknown,
      policies: {
        unlicensed:
          "Microsoft Graph refused GET /identity/conditionalAccess/policies (HTTP 403, Authentication_RequestFromNonPremiumTenantOrB2CTenant): this API needs a Microsoft Entra ID P1 (Conditional Access) licence in the tenant; Graph said: Neither tenant is B2C or tenant doesn't have premium license",
      },
    });
    const unlicensedUsers = await tenant({ unlicensedGraphPath: "/users" });
    const [users] = await azureEntraUsersCollector.collect(unlicensedUsers.options, context());
    const payload = usersEvidenceSchema.parse(users?.payload);
    expect(payload.users).toHaveLength(5);
    expect(payload.users.every((u) => u.signInActivity === undefined)).toBe(true);
    expect(payload.signInActivity?.unlicensed).toMatch(/this API needs a Microsoft Entra ID P1 \(sign-in activity\) licence/);
    // Refused with signInActivity, then listed without it.
    const calls = unlicensedUsers.server.requests
      .filter((r) => r.path.startsWith("/v1.0/users"))
      .map((r) => [decodeURIComponent(r.path).includes("signInActivity"), r.status]);
    expect(calls).toEqual([
      [true, 403],
      [false, 200],
    ]);
  });

  it("a missing licence that leaves nothing to judge fails the collector naming it: P2 for PIM, Intune for devices", async () => {
    expect(await refusal(azureEntraPimCollector, { unlicensedGraphPath: "Schedules" })).toMatch(
      /refused GET \/roleManagement\/directory\/roleEligibilitySchedules \(HTTP 403, AadPremiumLicenseRequired\): this API needs a Microsoft Entra ID P2 \(Privileged Identity Management\) licence/,
    );
    expect(await refusal(azureIntuneDevicesCollector, { unlicensedGraphPath: "/deviceManagement/" })).toMatch(/this API needs a Microsoft Intune licence/);
  });

  it("without a graphToken nothing is sent to Graph and each collector says graphToken is missing", async () => {
    const { server, options } = await tenant({}, false);
    expect(options.credential).toBeNull();
    for (const collector of AZURE_GRAPH_COLLECTORS)
      await expect(collector.collect(options, context())).rejects.toThrow(/no graphToken is configured: Microsoft Graph accepts only a token issued for it/);
    expect(server.requests).toEqual([]);
  });

  it("an ARM token sent to Graph is named as a token for another audience", async () => {
    const estate = demoAzureEstate();
    const { options } = await tenant();
    const source = azureSourceSchema.parse({
      ...options.source,
      credential: { type: "access-token", armToken: "x", graphToken: fakeAzureToken(estate, "arm") },
    });
    const wrong = { source, credential: azureCredentials(source).graph };
    await expect(azureEntraRolesCollector.collect(wrong, context())).rejects.toThrow(
      /Microsoft Graph rejected the token: it was issued for another audience \(https:\/\/management\.azure\.com\/\)/,
    );
  });
});

describe("Graph permissions are documented", () => {
  it("README and config/permissions/azure-role.json name every Microsoft Graph permission the collectors declare", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const role = (JSON.parse(readFileSync(new URL("../../config/permissions/azure-role.json", import.meta.url), "utf8")) as { Description: string })
      .Description;
    const declared = [...new Set(AZURE_GRAPH_COLLECTORS.flatMap((c) => c.permissions))];
    expect(declared.sort()).toEqual([
      "Microsoft Graph: Application.Read.All",
      "Microsoft Graph: AuditLog.Read.All",
      "Microsoft Graph: DeviceManagementManagedDevices.Read.All",
      "Microsoft Graph: Policy.Read.All",
      "Microsoft Graph: RoleManagement.Read.Directory",
      "Microsoft Graph: User.Read.All",
    ]);
    for (const permission of declared.map((p) => p.replace("Microsoft Graph: ", ""))) {
      expect(readme, permission).toContain(`\`${permission}\``);
      expect(role, permission).toContain(permission);
    }
  });
});

describe("an Azure run with the Graph collectors", () => {
  const quiet: Output = { out: () => undefined, err: () => undefined };

  it("judges every new Entra check with both outcomes; a tenant without P2 makes only the PIM check `error`, naming the licence", async () => {
    const { server } = await tenant({ unlicensedGraphPath: "Schedules" });
    const estate = demoAzureEstate();
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
    const store = await openSqliteStore({ file: join(dir.path, "e.db") });
    const run = await store.latestFinishedRun();
    const outcomes = await store.collectorOutcomes(run!.id);
    expect(
      outcomes
        .filter((o) => o.collector.startsWith("azure.entra-") || o.collector.startsWith("azure.intune"))
        .map((o) => `${o.collector} ${o.status}`)
        .sort(),
    ).toEqual([
      "azure.entra-access ok",
      "azure.entra-applications ok",
      "azure.entra-authorization ok",
      "azure.entra-pim error",
      "azure.entra-roles ok",
      "azure.entra-users ok",
      "azure.intune-devices ok",
    ]);
    const findings = await store.findings(run!.id);
    const statuses = (checkId: string) => [...new Set(findings.filter((f) => f.checkId === checkId).map((f) => f.status))].sort();
    for (const id of [
      "azure.entra.mfa-enforced",
      "azure.entra.legacy-auth-blocked",
      "azure.entra.compliant-device-required",
      "azure.entra.privileged-role-count",
      "azure.entra.privileged-role-guests",
      "azure.entra.stale-users",
      "azure.entra.guest-access-restricted",
      "azure.entra.app-credential-expiry",
      "azure.entra.app-credential-lifetime",
      "azure.entra.device-compliant",
      "azure.entra.device-encrypted",
    ])
      expect(statuses(id), id).toEqual(expect.arrayContaining(["fail", "pass"]));
    const pim = findings.filter((f) => f.checkId === "azure.entra.permanent-global-admin");
    expect(pim.map((f) => f.status)).toEqual(["error"]);
    expect(pim[0]?.reason).toMatch(/Microsoft Entra ID P2 \(Privileged Identity Management\) licence/);
    await store.close();
  });
});
