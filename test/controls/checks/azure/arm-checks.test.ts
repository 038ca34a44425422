/**
 * The ARM checks (RBAC, Defender for Cloud, diagnostic settings, Azure Policy, classification
 * labels) on payloads shaped as the examples of Azure/azure-rest-api-specs: RoleAssignments_ListForScope
 * (2022-04-01), ListPricings_example (2024-01-01), GetSecurityContactsSubscription_example
 * (2023-12-01-preview), ListAssessments_example (2020-01-01), listSubscriptionDiagnosticSettings and
 * listDiagnosticSettings (2021-05-01-preview), PolicyStates_SummarizeSubscriptionScope (2019-10-01).
 */
import { describe, expect, it } from "vitest";
import classificationLabel from "../../../../controls/checks/azure/inventory/classification-label.js";
import activityLog from "../../../../controls/checks/azure/monitor/activity-log-exported.js";
import keyVaultDiagnostics from "../../../../controls/checks/azure/monitor/keyvault-diagnostics.js";
import plansStandard from "../../../../controls/checks/azure/defender/plans-standard.js";
import securityContacts from "../../../../controls/checks/azure/defender/security-contacts.js";
import serversPlan from "../../../../controls/checks/azure/defender/servers-plan.js";
import storageMalware from "../../../../controls/checks/azure/defender/storage-malware-scanning.js";
import vulnerabilities from "../../../../controls/checks/azure/defender/vulnerability-findings.js";
import policyCompliance from "../../../../controls/checks/azure/policy/compliance.js";
import ownerCount from "../../../../controls/checks/azure/rbac/owner-count.js";
import privilegedRoles from "../../../../controls/checks/azure/rbac/privileged-roles-via-groups.js";
import type { Check, Scope } from "../../../../src/domain.js";
import { AZURE_EVIDENCE } from "../../../../src/evidence/azure.js";
import { AZURE_ARM_EVIDENCE } from "../../../../src/evidence/azure-arm.js";
import { stored, view } from "../../../helpers.js";

const SUB = "a925f2f7-5c63-4b7b-8799-25a5f97bc3b2";
const scope: Scope = { source: "az", sourceType: "azure", account: SUB, region: "global" };
const now = new Date("2026-11-01T00:00:00Z");
const run = (check: Check, kind: string, payload: unknown, settings: unknown = {}) =>
  check
    .evaluate({ evidence: view([stored(kind, payload, scope)], scope), now, settings })
    .map(({ resourceId, status, reason }) => ({ resourceId, status, reason }));

const ROLE = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  uaa: "18d7d88d-d35e-4fb5-a5c3-7773c4a72741",
};
// RoleAssignments_ListForScope's item; its example role (0b5fe924…) is no privileged role.
const assignment = (name: string, role: string, principalType: string | null, scopeId = `/subscriptions/${SUB}`) => ({
  properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId: `p-${name}`, principalType, scope: scopeId },
  id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/${name}`,
  type: "Microsoft.Authorization/roleAssignments",
  name,
});

describe("azure.rbac.privileged-roles-via-groups", () => {
  it("compliant: privileged roles held by a group and a service principal; non-compliant: Owner and UAA assigned to users (one inherited); other roles not judged", () => {
    const findings = run(privilegedRoles, AZURE_ARM_EVIDENCE.roleAssignments, {
      assignments: [
        assignment("b0f43c54", "0b5fe924-9a61-425c-96af-cfe6e287ca2d", "User"),
        assignment("g", ROLE.owner, "Group"),
        assignment("sp", ROLE.contributor, "ServicePrincipal"),
        assignment("u", ROLE.owner, "User"),
        assignment("mg", ROLE.uaa, "User", "/providers/Microsoft.Management/managementGroups/root"),
      ],
    });
    expect(findings.map((f) => [f.resourceId.split("/").at(-1), f.status])).toEqual([
      ["g", "pass"],
      ["sp", "pass"],
      ["u", "fail"],
      ["mg", "fail"],
    ]);
    expect(findings[2]?.reason).toBe(
      `Owner is assigned directly to user p-u on subscription ${SUB} (assignment u); ARM does not say whether the user is a guest.`,
    );
    expect(findings[3]?.reason).toContain(
      "User Access Administrator is assigned directly to user p-mg inherited from /providers/Microsoft.Management/managementGroups/root",
    );
  });

  it("no privileged assignment: not applicable; an unknown principal type: error", () => {
    expect(run(privilegedRoles, AZURE_ARM_EVIDENCE.roleAssignments, { assignments: [] })[0]?.status).toBe("not_applicable");
    expect(run(privilegedRoles, AZURE_ARM_EVIDENCE.roleAssignments, { assignments: [assignment("x", ROLE.owner, null)] })[0]?.status).toBe("error");
  });
});

describe("azure.rbac.owner-count", () => {
  const owners = (n: number) => ({ assignments: Array.from({ length: n }, (_, i) => assignment(`o${i}`, ROLE.owner, i === 0 ? "Group" : "User")) });
  it("compliant: three Owners (the default cap); non-compliant: four", () => {
    expect(run(ownerCount, AZURE_ARM_EVIDENCE.roleAssignments, owners(3))[0]?.status).toBe("pass");
    expect(run(ownerCount, AZURE_ARM_EVIDENCE.roleAssignments, owners(4))).toEqual([
      {
        resourceId: `/subscriptions/${SUB}`,
        status: "fail",
        reason: `Subscription ${SUB} has 4 Owner assignments, more than the 3 allowed: Group p-o0, User p-o1, User p-o2, User p-o3.`,
      },
    ]);
    expect(run(ownerCount, AZURE_ARM_EVIDENCE.roleAssignments, owners(4), { maxOwners: 4 })[0]?.status).toBe("pass");
  });
});

// ListPricings_example (2024-01-01), trimmed to the plans the checks read.
const pricing = (name: string, pricingTier: string, extra: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/${name}`,
  name,
  type: "Microsoft.Security/pricings",
  properties: { pricingTier, freeTrialRemainingTime: "PT0S", enforce: "False", ...extra },
});
const vendorPlans = {
  pricings: [
    pricing("VirtualMachines", "Standard", { subPlan: "P2", resourcesCoverageStatus: "PartiallyCovered" }),
    pricing("SqlServers", "Standard"),
    pricing("AppServices", "Free"),
    pricing("StorageAccounts", "Standard", {
      subPlan: "DefenderForStorageV2",
      extensions: [
        { name: "OnUploadMalwareScanning", isEnabled: "True", additionalExtensionProperties: { capGBPerMonthPerStorageAccount: 10 } },
        { name: "SensitiveDataDiscovery", isEnabled: "True" },
      ],
    }),
    pricing("KeyVaults", "Standard"),
    pricing("Arm", "Standard"),
    pricing("Containers", "Standard"),
    pricing("KubernetesService", "Free", { deprecated: true, replacedBy: ["Containers"] }),
  ],
};
const allFree = { pricings: vendorPlans.pricings.map((p) => ({ ...p, properties: { ...p.properties, pricingTier: "Free", extensions: undefined } })) };

describe("azure.defender.servers-plan", () => {
  it("compliant: the vendor example's VirtualMachines plan (Standard, P2); non-compliant: Free", () => {
    expect(run(serversPlan, AZURE_ARM_EVIDENCE.defenderPlans, vendorPlans)[0]).toMatchObject({
      status: "pass",
      reason: `Subscription ${SUB} has Defender for Servers on the Standard tier (P2).`,
    });
    expect(run(serversPlan, AZURE_ARM_EVIDENCE.defenderPlans, allFree)[0]).toMatchObject({
      status: "fail",
      reason: `Subscription ${SUB} has Defender for Servers off (Free tier).`,
    });
    expect(run(serversPlan, AZURE_ARM_EVIDENCE.defenderPlans, { pricings: [] })[0]?.status).toBe("fail");
  });
});

describe("azure.defender.storage-malware-scanning", () => {
  it("compliant: the vendor example's on-upload scanning; non-compliant: the plan on without it, or off", () => {
    expect(run(storageMalware, AZURE_ARM_EVIDENCE.defenderPlans, vendorPlans)[0]?.status).toBe("pass");
    const withoutScanning = { pricings: [pricing("StorageAccounts", "Standard", { extensions: [{ name: "OnUploadMalwareScanning", isEnabled: "False" }] })] };
    expect(run(storageMalware, AZURE_ARM_EVIDENCE.defenderPlans, withoutScanning)[0]?.reason).toBe(
      `Subscription ${SUB} has Defender for Storage on without on-upload malware scanning.`,
    );
    expect(run(storageMalware, AZURE_ARM_EVIDENCE.defenderPlans, allFree)[0]?.status).toBe("fail");
  });
});

describe("azure.defender.plans-standard", () => {
  it("compliant: the default plans on Standard in the vendor example; non-compliant: a Free or missing plan", () => {
    expect(run(plansStandard, AZURE_ARM_EVIDENCE.defenderPlans, vendorPlans).map((f) => f.status)).toEqual(Array(6).fill("pass"));
    const findings = run(plansStandard, AZURE_ARM_EVIDENCE.defenderPlans, vendorPlans, { plans: ["AppServices", "CosmosDbs"] });
    expect(findings.map((f) => f.reason)).toEqual([
      `Defender plan AppServices is off (Free tier) for subscription ${SUB}.`,
      `Subscription ${SUB} does not list the Defender plan CosmosDbs.`,
    ]);
  });
});

// GetSecurityContactsSubscription_example (2023-12-01-preview).
const contact = (properties: Record<string, unknown>) => ({
  contacts: [
    {
      id: `/subscriptions/${SUB}/providers/Microsoft.Security/securityContact/default`,
      name: "default",
      type: "Microsoft.Security/securityContact",
      properties,
    },
  ],
});
const vendorContact = {
  notificationsByRole: { state: "On", roles: ["Owner", "Admin"] },
  isEnabled: true,
  emails: "john@contoso.com;Jane@contoso.com",
  phone: "(214)275-4038",
  notificationsSources: [
    { sourceType: "AttachPath", minimalRiskLevel: "Critical" },
    { sourceType: "Alert", minimalSeverity: "Medium" },
  ],
};

describe("azure.defender.security-contacts", () => {
  it("compliant: the vendor example (alerts of Medium and above mailed); non-compliant: no contact, turned off, or no alert source", () => {
    expect(run(securityContacts, AZURE_ARM_EVIDENCE.securityContacts, contact(vendorContact))[0]).toMatchObject({
      status: "pass",
      reason: `Subscription ${SUB} mails Defender alerts of severity Medium and above to security contact default.`,
    });
    expect(run(securityContacts, AZURE_ARM_EVIDENCE.securityContacts, { contacts: [] })[0]?.reason).toBe(
      `Subscription ${SUB} has no Defender for Cloud security contact, so its alerts are mailed to no one.`,
    );
    expect(run(securityContacts, AZURE_ARM_EVIDENCE.securityContacts, contact({ ...vendorContact, isEnabled: false }))[0]?.reason).toBe(
      `Subscription ${SUB} has no security contact receiving high-severity alerts: default is turned off.`,
    );
    expect(run(securityContacts, AZURE_ARM_EVIDENCE.securityContacts, contact({ ...vendorContact, notificationsSources: [] }))[0]?.status).toBe("fail");
  });
});

// ListAssessments_example (2020-01-01) shape, with vulnerability assessment keys.
const assessed = (resource: string, key: string, code: string, extra: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${SUB}/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachines/${resource}/providers/Microsoft.Security/assessments/${key}`,
  name: key,
  type: "Microsoft.Security/assessments",
  properties: {
    resourceDetails: { source: "Azure", id: `/subscriptions/${SUB}/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachines/${resource}` },
    status: { code, ...extra },
  },
});
const VULNS = "1195afff-c881-495e-9bc5-1486211ae03f";
const UPDATES = "4ab6e3c5-74dd-8b35-9ab9-f61b30875b27";
const ENDPOINT_PROTECTION = "21300918-b2e3-0346-785f-c77ff57d243b";

describe("azure.defender.vulnerability-findings", () => {
  it("compliant: a machine healthy on findings and updates; non-compliant: one with unresolved findings; other assessments ignored", () => {
    const findings = run(vulnerabilities, AZURE_ARM_EVIDENCE.assessments, {
      assessments: [
        assessed("vm1", VULNS, "Healthy"),
        assessed("vm1", UPDATES, "Healthy"),
        assessed("vm2", VULNS, "Unhealthy"),
        assessed("vm2", UPDATES, "Healthy"),
        assessed("vm3", ENDPOINT_PROTECTION, "Unhealthy"),
        assessed("vm4", VULNS, "NotApplicable", { cause: "OffByPolicy" }),
      ],
    });
    expect(findings.map((f) => [f.resourceId.split("/").at(-1), f.status])).toEqual([
      ["vm1", "pass"],
      ["vm2", "fail"],
      ["vm4", "not_applicable"],
    ]);
    expect(findings[1]?.reason).toBe("Resource vm2 is unhealthy in Defender for Cloud: Machines should have vulnerability findings resolved.");
  });

  it("no vulnerability assessment at all: not applicable for the subscription", () => {
    expect(run(vulnerabilities, AZURE_ARM_EVIDENCE.assessments, { assessments: [assessed("vm3", ENDPOINT_PROTECTION, "Healthy")] })).toEqual([
      expect.objectContaining({ resourceId: `/subscriptions/${SUB}`, status: "not_applicable" }),
    ]);
  });
});

// listSubscriptionDiagnosticSettings (2021-05-01-preview): type null, no leading slash in its id.
const subscriptionSetting = (properties: Record<string, unknown>) => ({
  settings: [{ id: `subscriptions/${SUB}/providers/AzureResourceManager/diagnosticSettings/ds4`, type: null, name: "ds4", properties }],
});

describe("azure.monitor.activity-log-exported", () => {
  it("compliant: the vendor example (allLogs to storage, workspace and event hub); non-compliant: no setting, or Security left out", () => {
    const vendor = subscriptionSetting({
      storageAccountId: `/subscriptions/${SUB}/resourceGroups/apptest/providers/Microsoft.Storage/storageAccounts/appteststorage1`,
      workspaceId: `/subscriptions/${SUB}/resourceGroups/apptest/providers/Microsoft.OperationalInsights/workspaces/test1`,
      eventHubAuthorizationRuleId: `/subscriptions/${SUB}/resourceGroups/apptest/providers/microsoft.eventhub/namespaces/mynamespace/eventhubs/myeventhub/authorizationrules/myrule`,
      logs: [{ categoryGroup: "allLogs", enabled: true }],
    });
    expect(run(activityLog, AZURE_ARM_EVIDENCE.activityLogDiagnostics, vendor)[0]?.reason).toBe(
      `Subscription ${SUB} sends its activity log (Administrative and Security events) to a Log Analytics workspace and a storage account and an event hub (setting ds4).`,
    );
    expect(run(activityLog, AZURE_ARM_EVIDENCE.activityLogDiagnostics, { settings: [] })[0]?.status).toBe("fail");
    const adminOnly = subscriptionSetting({
      workspaceId: "/w",
      logs: [
        { category: "Administrative", enabled: true },
        { category: "Security", enabled: false },
      ],
    });
    expect(run(activityLog, AZURE_ARM_EVIDENCE.activityLogDiagnostics, adminOnly)[0]?.reason).toBe(
      `Subscription ${SUB} exports its activity log without the Security events.`,
    );
    // A setting with an empty destination (the vendor example's workspaceId "") exports nothing.
    expect(
      run(
        activityLog,
        AZURE_ARM_EVIDENCE.activityLogDiagnostics,
        subscriptionSetting({ workspaceId: "", logs: [{ categoryGroup: "allLogs", enabled: true }] }),
      )[0]?.status,
    ).toBe("fail");
  });
});

describe("azure.monitor.keyvault-diagnostics", () => {
  const vault = (name: string, settings: unknown[]) => ({
    id: `/subscriptions/${SUB}/resourceGroups/sec/providers/Microsoft.KeyVault/vaults/${name}`,
    name,
    settings,
  });
  // listDiagnosticSettings (2021-05-01-preview): storage and event hub, allLogs, workspaceId "".
  const vendorSetting = {
    id: "/subscriptions/x/providers/microsoft.insights/diagnosticSettings/mysetting",
    type: "Microsoft.Insights/diagnosticSettings",
    name: "mysetting",
    properties: {
      storageAccountId: "/subscriptions/df602c9c/resourceGroups/apptest/providers/Microsoft.Storage/storageAccounts/appteststorage1",
      workspaceId: "",
      logs: [{ categoryGroup: "allLogs", enabled: true, retentionPolicy: { enabled: false, days: 0 } }],
    },
  };
  it("compliant: AuditEvent (via allLogs) to storage; non-compliant: no setting, or only metrics", () => {
    const metricsOnly = { ...vendorSetting, properties: { ...vendorSetting.properties, logs: [{ categoryGroup: "allLogs", enabled: false }] } };
    const findings = run(keyVaultDiagnostics, AZURE_ARM_EVIDENCE.keyVaultDiagnostics, {
      vaults: [vault("kv-ok", [vendorSetting]), vault("kv-none", []), vault("kv-metrics", [metricsOnly])],
    });
    expect(findings.map((f) => [f.resourceId.split("/").at(-1), f.status])).toEqual([
      ["kv-ok", "pass"],
      ["kv-none", "fail"],
      ["kv-metrics", "fail"],
    ]);
    expect(findings[1]?.reason).toBe("Key Vault sec/kv-none has no diagnostic setting, so access to its keys and secrets is not logged.");
  });
});

describe("azure.policy.compliance", () => {
  // PolicyStates_SummarizeSubscriptionScope (2019-10-01), trimmed to what the check reads.
  const results = (nonCompliantResources: number, nonCompliantPolicies: number) => ({
    nonCompliantResources,
    nonCompliantPolicies,
    resourceDetails: [
      { complianceState: "compliant", count: 140 },
      { complianceState: "noncompliant", count: nonCompliantResources },
    ],
  });
  const summary = (assignments: [string, number][]) => ({
    summaries: [
      {
        "@odata.id": null,
        results: results(619, 40),
        policyAssignments: assignments.map(([name, n]) => ({
          policyAssignmentId: `/subscriptions/${SUB}/providers/microsoft.authorization/policyassignments/${name}`,
          policySetDefinitionId: "",
          results: results(n, n > 0 ? 1 : 0),
          policyDefinitions: [],
        })),
      },
    ],
  });
  it("compliant: an assignment with no non-compliant resource; non-compliant: the vendor example's 557; no assignment at all fails", () => {
    const findings = run(
      policyCompliance,
      AZURE_ARM_EVIDENCE.policySummary,
      summary([
        ["e46af646ebdb461dba708e01", 557],
        ["clean", 0],
      ]),
    );
    expect(findings.map((f) => f.status)).toEqual(["fail", "pass"]);
    expect(findings[0]?.reason).toBe(`Policy assignment e46af646ebdb461dba708e01 on subscription ${SUB} has 557 non-compliant resources across 1 policy.`);
    expect(run(policyCompliance, AZURE_ARM_EVIDENCE.policySummary, summary([]))[0]).toMatchObject({ resourceId: `/subscriptions/${SUB}`, status: "fail" });
  });
});

describe("azure.inventory.classification-label", () => {
  const resource = (name: string, tags: Record<string, string>) => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`,
    name,
    type: "Microsoft.Storage/storageAccounts",
    location: "westeurope",
    tags,
  });
  it("compliant: a label from the scheme (tag names case-insensitive); non-compliant: none, empty, or outside the scheme", () => {
    const inventory = {
      resources: [
        resource("a", { "Data-Classification": "Internal" }),
        resource("b", {}),
        resource("c", { "data-classification": " " }),
        resource("d", { "data-classification": "secret" }),
      ],
    };
    const findings = run(classificationLabel, AZURE_EVIDENCE.inventory, inventory, { allowedValues: ["public", "internal", "confidential"] });
    expect(findings.map((f) => f.status)).toEqual(["pass", "fail", "fail", "fail"]);
    expect(findings[3]?.reason).toBe(
      "Resource rg/d (Microsoft.Storage/storageAccounts) is labelled data-classification=secret, which is not a level of the scheme (public, internal, confidential).",
    );
    // Without the scheme's levels, any label passes.
    expect(run(classificationLabel, AZURE_EVIDENCE.inventory, inventory)[3]?.status).toBe("pass");
  });
});
