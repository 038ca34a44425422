/**
 * Microsoft Entra ID users and applications, and Intune's managed devices, one tenant, each one
 * paged listing with only the fields the checks read: users with their last sign-in (AuditLog.Read.All
 * and a P1 licence for signInActivity), application registrations with their secrets' and
 * certificates' validity (Graph never returns secret values; the hint and any certificate body are
 * dropped), and Intune devices with compliance and encryption (an Intune licence).
 */
import { APP_CREDENTIAL_SECRET_FIELDS, applicationSchema, ENTRA_EVIDENCE, entraUserSchema, managedDeviceSchema } from "../../src/evidence/azure-graph.js";
import { graphCollector, graphRefusal, isLicenceRefusal, type GraphNeeds } from "./graph-common.js";

const USERS = "GET /users";
const APPLICATIONS = "GET /applications";
const MANAGED_DEVICES = "GET /deviceManagement/managedDevices";

// Microsoft Learn, "List users": User.Read.All; signInActivity also needs AuditLog.Read.All and P1.
const USERS_NEEDS: GraphNeeds = { permissions: ["User.Read.All", "AuditLog.Read.All"], licence: "Microsoft Entra ID P1 (sign-in activity)" };

export const azureEntraUsersCollector = graphCollector({
  name: "azure.entra-users",
  kind: ENTRA_EVIDENCE.users,
  needs: USERS_NEEDS,
  operations: [USERS],
  async read(graph, source) {
    const select = "id,userPrincipalName,displayName,userType,accountEnabled,createdDateTime,signInActivity";
    // 500 a page, the most /users gives when signInActivity is selected (Microsoft Learn, "List users"):
    // a tenant of 10,000 users is 20 requests.
    try {
      const users = await graph.list(`/users?$select=${select}&$top=500`, USERS, entraUserSchema);
      return { users };
    } catch (error) {
      // Without P1, Graph refuses signInActivity but lists users: the Conditional Access checks
      // still need them (security defaults), so they are listed without it and the refusal kept.
      if (!isLicenceRefusal(error)) throw error;
      const unlicensed = graphRefusal(error, source, USERS, USERS_NEEDS) ?? USERS;
      const users = await graph.list(`/users?$select=${select.replace(",signInActivity", "")}&$top=999`, USERS, entraUserSchema);
      return { users, signInActivity: { unlicensed } };
    }
  },
});

/** A credential without the fields that could carry secret material. */
function redactCredential(credential: unknown): unknown {
  if (credential === null || typeof credential !== "object") return credential;
  const copy: Record<string, unknown> = { ...(credential as Record<string, unknown>) };
  for (const field of APP_CREDENTIAL_SECRET_FIELDS) delete copy[field];
  return copy;
}

export const azureEntraApplicationsCollector = graphCollector({
  name: "azure.entra-applications",
  kind: ENTRA_EVIDENCE.applications,
  // Microsoft Learn, "List applications": Application.Read.All.
  needs: { permissions: ["Application.Read.All"] },
  operations: [APPLICATIONS],
  async read(graph) {
    const applications = await graph.list(
      "/applications?$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=999",
      APPLICATIONS,
      applicationSchema,
    );
    return {
      applications: applications.map((app) => {
        const a = app as Record<string, unknown> & { passwordCredentials: unknown[]; keyCredentials: unknown[] };
        return { ...a, passwordCredentials: a.passwordCredentials.map(redactCredential), keyCredentials: a.keyCredentials.map(redactCredential) };
      }),
    };
  },
});

export const azureIntuneDevicesCollector = graphCollector({
  name: "azure.intune-devices",
  kind: ENTRA_EVIDENCE.managedDevices,
  // Microsoft Learn, "List managedDevices": DeviceManagementManagedDevices.Read.All; the tenant needs Intune.
  needs: { permissions: ["DeviceManagementManagedDevices.Read.All"], licence: "Microsoft Intune" },
  operations: [MANAGED_DEVICES],
  async read(graph) {
    const select = "id,deviceName,operatingSystem,complianceState,isEncrypted,lastSyncDateTime";
    const devices = await graph.list(`/deviceManagement/managedDevices?$select=${select}`, MANAGED_DEVICES, managedDeviceSchema);
    return { devices };
  },
});
