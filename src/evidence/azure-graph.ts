/**
 * Microsoft Entra ID and Intune evidence read from Microsoft Graph (v1.0), one tenant each: the
 * shapes the collectors validate each answer with and the checks read. Objects keep every field
 * Graph returned (passthrough); a field a check relies on is typed here, so a payload without it
 * cannot be judged. Secret material (application secret hints, certificate bodies) is never kept.
 */
import { z } from "zod";

export const ENTRA_EVIDENCE = {
  conditionalAccess: "azure.entra.conditional-access",
  authorizationPolicy: "azure.entra.authorization-policy",
  roleAssignments: "azure.entra.role-assignments",
  pimSchedules: "azure.entra.pim-schedules",
  users: "azure.entra.users",
  applications: "azure.entra.applications",
  managedDevices: "azure.intune.managed-devices",
} as const;

const strings = z.array(z.string());

/** conditionalAccessPolicy (Graph v1.0): the conditions and grant controls the checks read. */
export const conditionalAccessPolicySchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    state: z.string(),
    conditions: z
      .object({
        users: z
          .object({
            includeUsers: strings,
            excludeUsers: strings,
            includeGroups: strings.default([]),
            excludeGroups: strings.default([]),
            includeRoles: strings.default([]),
            excludeRoles: strings.default([]),
          })
          .passthrough(),
        applications: z.object({ includeApplications: strings, excludeApplications: strings.default([]) }).passthrough(),
        clientAppTypes: strings,
      })
      .passthrough(),
    grantControls: z
      .object({
        operator: z.string(),
        builtInControls: strings,
        authenticationStrength: z.object({ id: z.string() }).passthrough().nullable().optional(),
      })
      .passthrough()
      .nullable(),
  })
  .passthrough();
export type ConditionalAccessPolicy = z.infer<typeof conditionalAccessPolicySchema>;

/** What Graph refused for want of a licence, as the sentence naming it; the checks needing it say `error`. */
export const unlicensedSchema = z.object({ unlicensed: z.string() });
export type Unlicensed = z.infer<typeof unlicensedSchema>;
export function isUnlicensed(value: unknown): value is Unlicensed {
  return unlicensedSchema.safeParse(value).success;
}

export const conditionalAccessEvidenceSchema = z.object({
  /** identitySecurityDefaultsEnforcementPolicy.isEnabled */
  securityDefaults: z.object({ isEnabled: z.boolean() }).passthrough(),
  /** Unlicensed in a tenant without Microsoft Entra ID P1, where security defaults are the only enforcement. */
  policies: z.union([z.array(conditionalAccessPolicySchema), unlicensedSchema]),
});

/** authorizationPolicy (Graph v1.0): who may invite guests and what guests may read. */
export const authorizationPolicyEvidenceSchema = z.object({
  policy: z.object({ id: z.string(), allowInvitesFrom: z.string(), guestUserRoleId: z.string() }).passthrough(),
});

/** The principal Graph expands on a role assignment: a user, group or service principal. */
const principalSchema = z
  .object({ "@odata.type": z.string(), id: z.string(), displayName: z.string().nullable().optional(), userPrincipalName: z.string().nullable().optional() })
  .passthrough();

/** unifiedRoleAssignment with $expand=principal: active directory-role assignments. */
export const roleAssignmentSchema = z
  .object({
    id: z.string(),
    principalId: z.string(),
    roleDefinitionId: z.string(),
    directoryScopeId: z.string(),
    principal: principalSchema.nullable().optional(),
  })
  .passthrough();
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export const roleAssignmentsEvidenceSchema = z.object({ assignments: z.array(roleAssignmentSchema) });

const scheduleInfoSchema = z
  .object({
    startDateTime: z.string().nullable().optional(),
    expiration: z.object({ type: z.string(), endDateTime: z.string().nullable().optional() }).passthrough(),
  })
  .passthrough();

/** Privileged Identity Management: who may activate a role, and how each active assignment is held. */
export const pimSchedulesEvidenceSchema = z.object({
  eligibilitySchedules: z.array(
    z
      .object({ id: z.string(), principalId: z.string(), roleDefinitionId: z.string(), directoryScopeId: z.string(), status: z.string().nullable().optional() })
      .passthrough(),
  ),
  assignmentSchedules: z.array(
    z
      .object({
        id: z.string(),
        principalId: z.string(),
        roleDefinitionId: z.string(),
        directoryScopeId: z.string(),
        /** "Assigned" (given directly) or "Activated" (activated from an eligibility). */
        assignmentType: z.string(),
        scheduleInfo: scheduleInfoSchema,
      })
      .passthrough(),
  ),
});

/** user with signInActivity (Graph v1.0). */
export const entraUserSchema = z
  .object({
    id: z.string(),
    userPrincipalName: z.string(),
    displayName: z.string().nullable().optional(),
    userType: z.string().nullable(),
    accountEnabled: z.boolean().nullable(),
    createdDateTime: z.string().nullable(),
    signInActivity: z
      .object({ lastSignInDateTime: z.string().nullable().optional(), lastNonInteractiveSignInDateTime: z.string().nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();
export type EntraUser = z.infer<typeof entraUserSchema>;

export const usersEvidenceSchema = z.object({
  users: z.array(entraUserSchema),
  /** Present when signInActivity was refused for want of a P1 licence: the users were listed without it. */
  signInActivity: unlicensedSchema.optional(),
});

/** passwordCredential / keyCredential, as kept: without `hint`, `secretText` or `key`. */
const appCredentialSchema = z
  .object({ keyId: z.string(), displayName: z.string().nullable().optional(), startDateTime: z.string().nullable(), endDateTime: z.string().nullable() })
  .passthrough();

export const applicationSchema = z
  .object({
    id: z.string(),
    appId: z.string(),
    displayName: z.string(),
    passwordCredentials: z.array(appCredentialSchema),
    keyCredentials: z.array(appCredentialSchema),
  })
  .passthrough();
export type EntraApplication = z.infer<typeof applicationSchema>;

export const applicationsEvidenceSchema = z.object({ applications: z.array(applicationSchema) });

/** Fields of an application credential the collector drops: secret hints and certificate bodies. */
export const APP_CREDENTIAL_SECRET_FIELDS = ["hint", "secretText", "key"] as const;

/** managedDevice (Intune, Graph v1.0). */
export const managedDeviceSchema = z
  .object({
    id: z.string(),
    deviceName: z.string().nullable(),
    operatingSystem: z.string().nullable(),
    complianceState: z.string(),
    isEncrypted: z.boolean().nullable(),
    lastSyncDateTime: z.string().nullable().optional(),
  })
  .passthrough();
export type ManagedDevice = z.infer<typeof managedDeviceSchema>;

export const managedDevicesEvidenceSchema = z.object({ devices: z.array(managedDeviceSchema) });
