/**
 * Azure evidence shapes, shared by the collectors and the checks. ARM resources keep their
 * `properties` as Azure returned them; the checks read only the fields they need.
 */
import { z } from "zod";

export const AZURE_EVIDENCE = {
  inventory: "azure.resources.inventory",
  networkSecurityGroups: "azure.network.security-groups",
  storageAccounts: "azure.storage.accounts",
  keyVaults: "azure.keyvault.vaults",
  sqlServers: "azure.sql.servers",
  disks: "azure.compute.disks",
  registrationDetails: "azure.entra.registration-details",
} as const;

/** The resource types whose full properties are listed, each with the ARM api-version used. */
export const AZURE_TYPED_LISTS = [
  { kind: AZURE_EVIDENCE.networkSecurityGroups, type: "Microsoft.Network/networkSecurityGroups", apiVersion: "2023-09-01" },
  { kind: AZURE_EVIDENCE.storageAccounts, type: "Microsoft.Storage/storageAccounts", apiVersion: "2023-01-01" },
  { kind: AZURE_EVIDENCE.keyVaults, type: "Microsoft.KeyVault/vaults", apiVersion: "2022-07-01" },
  { kind: AZURE_EVIDENCE.sqlServers, type: "Microsoft.Sql/servers", apiVersion: "2021-11-01" },
  { kind: AZURE_EVIDENCE.disks, type: "Microsoft.Compute/disks", apiVersion: "2023-04-02" },
] as const;

export const inventoryEvidenceSchema = z.object({
  resources: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      type: z.string(),
      location: z.string().nullable(),
      tags: z.record(z.string(), z.string()),
    }),
  ),
});

export const armResourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  location: z.string().nullable().optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type ArmResource = z.infer<typeof armResourceSchema>;

export const typedListEvidenceSchema = z.object({ resources: z.array(armResourceSchema) });

/** One user of Graph's userRegistrationDetails, the fields the agent keeps. */
export const registrationUserSchema = z.object({
  id: z.string(),
  userPrincipalName: z.string(),
  userDisplayName: z.string().nullable().optional(),
  isAdmin: z.boolean().nullable().optional(),
  isMfaRegistered: z.boolean().nullable().optional(),
  userType: z.string().nullable().optional(),
});

export const registrationDetailsEvidenceSchema = z.object({ users: z.array(registrationUserSchema) });
