/**
 * AWS IAM Identity Center evidence (sso-admin ListInstances, identitystore ListUsers), shared by
 * the collector (validating what it stores) and the checks (validating what the store gives back).
 *
 * What no public API shows: neither sso-admin nor identitystore has an operation for a user's MFA
 * devices or for the instance's MFA settings (they are set and seen only in the console), so MFA
 * state is never part of this evidence and no check may infer it.
 */
import { z } from "zod";

export const IDENTITY_CENTER_EVIDENCE = {
  users: "aws.identity-center.users",
} as const;

/** Why an instance's users were not listed from this account and region (its users are read where it is owned). */
export const NOT_OWNED = "owned by another account";
export const NOT_PRIMARY_REGION = "not the instance's primary region";

export const identityCenterUserSchema = z.object({
  userId: z.string().min(1),
  userName: z.string().nullable(),
  displayName: z.string().nullable(),
  /** ENABLED or DISABLED as AWS writes it; null when AWS sent none. */
  userStatus: z.string().nullable(),
  /** Identifiers given by an external identity provider (SCIM provisioning); empty for users created in Identity Center. */
  externalIds: z.array(z.object({ issuer: z.string(), id: z.string() })),
  createdAt: z.string().nullable(),
});
export type IdentityCenterUser = z.infer<typeof identityCenterUserSchema>;

export const identityCenterInstanceSchema = z.object({
  instanceArn: z.string().min(1),
  identityStoreId: z.string().min(1),
  ownerAccountId: z.string().nullable(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  primaryRegion: z.string().nullable(),
  /** null when the users were not listed here; `notListed` says why. */
  users: z.array(identityCenterUserSchema).nullable(),
  notListed: z.enum([NOT_OWNED, NOT_PRIMARY_REGION]).nullable(),
});
export type IdentityCenterInstance = z.infer<typeof identityCenterInstanceSchema>;

export const identityCenterEvidenceSchema = z.object({ instances: z.array(identityCenterInstanceSchema) });
export type IdentityCenterEvidence = z.infer<typeof identityCenterEvidenceSchema>;

/** The instance's id (ssoins-…) for messages: the last segment of its ARN. */
export function instanceLabel(instance: IdentityCenterInstance): string {
  const id = instance.instanceArn.split("/").pop() ?? instance.instanceArn;
  return instance.name ? `${instance.name} (${id})` : id;
}
