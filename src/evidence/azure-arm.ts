/**
 * Evidence read from Azure Resource Manager per subscription beyond resource properties: role
 * assignments, Defender for Cloud (plans, security contacts, assessments), diagnostic settings and
 * the Azure Policy compliance summary. Items are stored as ARM returned them; these schemas hold
 * only the fields the checks read, loose elsewhere, so an unknown field never breaks a read.
 */
import { z } from "zod";

export const AZURE_ARM_EVIDENCE = {
  roleAssignments: "azure.authorization.role-assignments",
  defenderPlans: "azure.security.pricings",
  securityContacts: "azure.security.contacts",
  assessments: "azure.security.assessments",
  activityLogDiagnostics: "azure.monitor.activity-log-diagnostic-settings",
  keyVaultDiagnostics: "azure.monitor.key-vault-diagnostic-settings",
  policySummary: "azure.policy.compliance-summary",
} as const;

/** The api-version of each read, from Azure/azure-rest-api-specs (the examples the fixtures follow). */
export const AZURE_ARM_API_VERSIONS = {
  roleAssignments: "2022-04-01",
  pricings: "2024-01-01",
  securityContacts: "2023-12-01-preview",
  assessments: "2020-01-01",
  diagnosticSettings: "2021-05-01-preview",
  keyVaults: "2022-07-01",
  policyStates: "2019-10-01",
} as const;

const text = z.string().nullable().optional();

/** RoleAssignments - List For Scope (2022-04-01): principalType is User, Group, ServicePrincipal, ForeignGroup or Device. */
export const roleAssignmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.object({
    roleDefinitionId: z.string(),
    principalId: z.string(),
    principalType: text,
    scope: text,
    condition: text,
  }),
});
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
export const roleAssignmentsEvidenceSchema = z.object({ assignments: z.array(roleAssignmentSchema) });

/** Pricings - List (2024-01-01): one per Defender plan; pricingTier Free or Standard. */
export const pricingSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.object({
    pricingTier: z.string(),
    subPlan: text,
    deprecated: z.boolean().nullable().optional(),
    extensions: z
      .array(z.object({ name: z.string(), isEnabled: z.string() }))
      .nullable()
      .optional(),
  }),
});
export type Pricing = z.infer<typeof pricingSchema>;
export const pricingsEvidenceSchema = z.object({ pricings: z.array(pricingSchema) });

/** Security Contacts - List (2023-12-01-preview). */
export const securityContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z
    .object({
      emails: text,
      isEnabled: z.boolean().nullable().optional(),
      notificationsByRole: z
        .object({ state: text, roles: z.array(z.string()).nullable().optional() })
        .nullable()
        .optional(),
      notificationsSources: z
        .array(z.object({ sourceType: z.string(), minimalSeverity: text, minimalRiskLevel: text }))
        .nullable()
        .optional(),
    })
    .default({}),
});
export type SecurityContact = z.infer<typeof securityContactSchema>;
export const securityContactsEvidenceSchema = z.object({ contacts: z.array(securityContactSchema) });

/** Assessments - List (2020-01-01): the name is the assessment key (the recommendation's GUID). */
export const assessmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.object({
    displayName: text,
    resourceDetails: z.record(z.string(), z.unknown()).nullable().optional(),
    status: z.object({ code: z.string(), cause: text, description: text }),
  }),
});
export type Assessment = z.infer<typeof assessmentSchema>;
export const assessmentsEvidenceSchema = z.object({ assessments: z.array(assessmentSchema) });

/** Diagnostic Settings - List (2021-05-01-preview); the subscription's own list gives `type: null`. */
export const diagnosticSettingSchema = z.object({
  id: z.string(),
  name: z.string(),
  properties: z.object({
    storageAccountId: text,
    workspaceId: text,
    eventHubAuthorizationRuleId: text,
    marketplacePartnerId: text,
    logs: z
      .array(z.object({ category: text, categoryGroup: text, enabled: z.boolean() }))
      .nullable()
      .optional(),
  }),
});
export type DiagnosticSetting = z.infer<typeof diagnosticSettingSchema>;
export const activityLogDiagnosticsEvidenceSchema = z.object({ settings: z.array(diagnosticSettingSchema) });
export const keyVaultDiagnosticsEvidenceSchema = z.object({
  vaults: z.array(z.object({ id: z.string(), name: z.string(), settings: z.array(diagnosticSettingSchema) })),
});

const summaryResultsSchema = z.object({
  nonCompliantResources: z.number().int().nonnegative().nullable().optional(),
  nonCompliantPolicies: z.number().int().nonnegative().nullable().optional(),
  resourceDetails: z
    .array(z.object({ complianceState: z.string(), count: z.number().int().nonnegative() }))
    .nullable()
    .optional(),
});

/** Policy States - Summarize For Subscription (2019-10-01): one summary, broken down per assignment. */
export const policySummarySchema = z.object({
  results: summaryResultsSchema,
  policyAssignments: z
    .array(
      z.object({
        policyAssignmentId: z.string(),
        policySetDefinitionId: text,
        results: summaryResultsSchema,
        policyDefinitions: z
          .array(z.object({ policyDefinitionId: z.string(), effect: text, results: summaryResultsSchema }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type PolicySummary = z.infer<typeof policySummarySchema>;
export const policySummaryEvidenceSchema = z.object({ summaries: z.array(policySummarySchema) });

/**
 * Azure built-in roles by their definition GUID, the same in every tenant and cloud (Microsoft
 * Learn, "Azure built-in roles"), so the checks name them without reading role definitions.
 */
export const AZURE_PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c4a72741": "User Access Administrator",
};
export const AZURE_OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

/** The role GUID at the end of a roleDefinitionId, lower-cased ("/…/roleDefinitions/<guid>"). */
export function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").at(-1) ?? "").toLowerCase();
}

/** The principal types ARM documents for a role assignment. */
export const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"] as const;
