/**
 * GitHub evidence shapes, shared by the collector and the checks. A part the token may not read
 * is recorded as `{ unavailable: "<why, naming the permission>" }`: the checks that need it
 * report `error` with that reason, never `pass`.
 */
import { z } from "zod";

export const GITHUB_EVIDENCE = {
  org: "github.org",
  members: "github.members",
  outsideCollaborators: "github.outside-collaborators",
  orgHooks: "github.org-hooks",
  repos: "github.repos",
} as const;

export const unavailableSchema = z.object({ unavailable: z.string() });
export type Unavailable = z.infer<typeof unavailableSchema>;
export const orUnavailable = <T extends z.ZodType>(schema: T) => z.union([schema, unavailableSchema]);

export function isUnavailable(value: unknown): value is Unavailable {
  return unavailableSchema.safeParse(value).success;
}

export const orgEvidenceSchema = z.object({
  login: z.string(),
  two_factor_requirement_enabled: z.boolean().nullable().optional(),
  default_repository_permission: z.string().nullable().optional(),
});

export const membersEvidenceSchema = z.object({
  members: z.array(z.string()),
  owners: orUnavailable(z.array(z.string())),
  twoFactorDisabled: orUnavailable(z.array(z.string())),
});

export const outsideCollaboratorsEvidenceSchema = z.object({ collaborators: orUnavailable(z.array(z.string())) });

export const hookSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  active: z.boolean().optional(),
  config: z.object({ url: z.string().optional(), insecure_ssl: z.union([z.string(), z.number()]).optional() }).passthrough(),
});
export const orgHooksEvidenceSchema = z.object({ hooks: orUnavailable(z.array(hookSchema)) });

export const repoEvidenceSchema = z.object({
  name: z.string(),
  archived: z.boolean(),
  visibility: z.string(),
  defaultBranch: z.string().nullable(),
  /** The default branch does not exist (an empty repository). */
  empty: z.boolean(),
  securityAndAnalysis: z.record(z.string(), z.object({ status: z.string() }).passthrough()).nullable(),
  protection: orUnavailable(z.record(z.string(), z.unknown()).nullable()),
  rules: orUnavailable(z.array(z.object({ type: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }).passthrough())),
  hooks: orUnavailable(z.array(hookSchema)),
  deployKeys: orUnavailable(z.array(z.object({ id: z.number(), title: z.string().nullable().optional(), read_only: z.boolean() }).passthrough())),
  vulnerabilityAlertsEnabled: orUnavailable(z.boolean()),
  openDependabotAlerts: orUnavailable(
    z.array(z.object({ number: z.number(), severity: z.string(), createdAt: z.string(), package: z.string().nullable(), url: z.string().nullable() })),
  ),
  outsideCollaboratorsWithAdmin: orUnavailable(z.array(z.string())),
});
export type RepoEvidence = z.infer<typeof repoEvidenceSchema>;
export const reposEvidenceSchema = z.object({ repos: z.array(repoEvidenceSchema) });
