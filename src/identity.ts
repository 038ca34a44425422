/**
 * A person's account in an identity provider (Google Workspace, Okta), as the cross-source identity
 * checks (joiners, movers, leavers) compare them with the accounts clouds and GitHub hold. Each
 * identity-provider source turns its stored evidence into these with an IdentityProviderReader, so
 * the identity checks never read a vendor's payload shape themselves.
 */
import type { EvidenceView, SourceType } from "./domain.js";

/** Where the account stands in the identity provider; anything but `active` makes the person a leaver. */
export type IdentityAccountStatus = "active" | "suspended" | "deprovisioned" | "deleted";

export interface IdentityProviderUser {
  /** The source type and the config's source name it was read from. */
  sourceType: SourceType;
  source: string;
  /** The provider's own user id. */
  id: string;
  /** Primary email or login, lower-cased: the default key that links accounts in other sources to this person. */
  email: string;
  /** Other verified addresses (aliases, secondary emails), lower-cased. */
  otherEmails: string[];
  displayName: string | null;
  status: IdentityAccountStatus;
  /** When the status last changed (ISO 8601), if the provider says. */
  statusSince: string | null;
  lastSignIn: string | null;
  /** Whether the user has a second factor enrolled; null when the evidence does not say. */
  mfaEnrolled: boolean | null;
  /** Administrator roles held in the provider itself (e.g. "SUPER_ADMIN", "super admin"). */
  adminRoles: string[];
  /** The stored evidence record these facts come from (its sha256), for the finding's citation. */
  evidenceSha256: string;
}

/** How one identity-provider source type exposes its users from the evidence it stored for one scope. */
export interface IdentityProviderReader {
  sourceType: SourceType;
  /** The evidence kind holding the users (e.g. "okta.users"); the identity checks wait for it. */
  usersKind: string;
  /** The users in one scope's evidence; throws (like readEvidence) when the payload is not in the expected shape. */
  users(view: EvidenceView): IdentityProviderUser[];
}
