/**
 * GitHub evidence shapes, shared by the collector and the checks. Each payload holds the API's
 * answers as GitHub returned them (all pages of a list, concatenated); the schemas validate only
 * the fields the checks rely on and let the rest through, so a new check can read what is
 * already stored. A part the token may not read is recorded as
 * `{ unavailable: "<why, naming the permission>" }`: the checks that need it report `error` with
 * that reason, never `pass`.
 */
import { z } from "zod";

export const GITHUB_EVIDENCE = {
  org: "github.org",
  members: "github.members",
  outsideCollaborators: "github.outside-collaborators",
  orgHooks: "github.org-hooks",
  repos: "github.repos",
  actionsPolicy: "github.actions-policy",
  codeScanningAlerts: "github.code-scanning-alerts",
  secretScanningAlerts: "github.secret-scanning-alerts",
  installations: "github.installations",
} as const;

export const unavailableSchema = z.object({ unavailable: z.string() });
export type Unavailable = z.infer<typeof unavailableSchema>;
export const orUnavailable = <T extends z.ZodType>(schema: T) => z.union([schema, unavailableSchema]);

export function isUnavailable(value: unknown): value is Unavailable {
  return unavailableSchema.safeParse(value).success;
}

/** GET /orgs/{org}. The two settings are given to organization owners only. */
export const orgEvidenceSchema = z.looseObject({
  login: z.string(),
  two_factor_requirement_enabled: z.boolean().nullish(),
  default_repository_permission: z.string().nullish(),
});

/** A user as GitHub lists one (simple-user). */
export const userSchema = z.looseObject({ login: z.string() });
export type GithubUser = z.infer<typeof userSchema>;

/** The three answers of GET /orgs/{org}/members: everyone, `role=admin` (owners), `filter=2fa_disabled`. */
export const membersEvidenceSchema = z.object({
  members: z.array(userSchema),
  owners: orUnavailable(z.array(userSchema)),
  twoFactorDisabled: orUnavailable(z.array(userSchema)),
});

/** GET /orgs/{org}/outside_collaborators: every outside collaborator, whatever their rights. */
export const outsideCollaboratorsEvidenceSchema = z.object({ collaborators: orUnavailable(z.array(userSchema)) });

export const hookSchema = z.looseObject({
  id: z.number(),
  name: z.string().optional(),
  active: z.boolean().optional(),
  config: z.looseObject({ url: z.string().optional(), insecure_ssl: z.union([z.string(), z.number()]).optional() }),
});
export const orgHooksEvidenceSchema = z.object({ hooks: orUnavailable(z.array(hookSchema)) });

/** A repository as GET /orgs/{org}/repos lists it. */
export const repositorySchema = z.looseObject({
  name: z.string(),
  archived: z.boolean().optional(),
  visibility: z.string().optional(),
  private: z.boolean().optional(),
  default_branch: z.string().nullish(),
  /** Given to the repository's admins only. */
  security_and_analysis: z.record(z.string(), z.looseObject({ status: z.string() })).nullish(),
});

/** GET /repos/{owner}/{repo}/dependabot/alerts?state=open: open alerts of every severity. */
export const dependabotAlertSchema = z.looseObject({
  number: z.number(),
  state: z.string().optional(),
  created_at: z.string(),
  html_url: z.string().optional(),
  security_advisory: z.looseObject({ severity: z.string().nullish() }).nullish(),
  dependency: z.looseObject({ package: z.looseObject({ name: z.string().nullish() }).nullish() }).nullish(),
});
export type DependabotAlert = z.infer<typeof dependabotAlertSchema>;

/** GET /repos/{owner}/{repo}/collaborators?affiliation=outside: every outside collaborator, with their rights. */
export const collaboratorSchema = z.looseObject({
  login: z.string(),
  permissions: z.looseObject({ admin: z.boolean().optional() }).optional(),
});

/** GET /repos/{owner}/{repo}/rulesets/{id} for a ruleset that applies to the default branch. `bypass_actors` is given only to a token with write access to the ruleset. */
export const rulesetSchema = z.looseObject({
  id: z.number(),
  name: z.string().optional(),
  enforcement: z.string().optional(),
  bypass_actors: z.array(z.looseObject({ actor_id: z.number().nullish(), actor_type: z.string(), bypass_mode: z.string().optional() })).optional(),
});
export type Ruleset = z.infer<typeof rulesetSchema>;

/** An environment as GET /repos/{owner}/{repo}/environments lists it, with its protection rules. */
export const environmentSchema = z.looseObject({
  name: z.string(),
  protection_rules: z.array(z.looseObject({ type: z.string(), reviewers: z.array(z.looseObject({ type: z.string().optional() })).optional() })).optional(),
});
export type Environment = z.infer<typeof environmentSchema>;

/** The latest code scanning analysis (GET .../code-scanning/analyses?per_page=1): an empty list when there is none. */
export const codeScanningAnalysisSchema = z.looseObject({
  id: z.number(),
  created_at: z.string(),
  tool: z.looseObject({ name: z.string().nullish() }).nullish(),
});

export const repoEvidenceSchema = z.object({
  repository: repositorySchema,
  /** The default branch does not exist (an empty repository): the protection call answered 404 "Branch not found", or the listing names none. */
  empty: z.boolean(),
  /** GET .../branches/{branch}/protection; null for its 404 "Branch not protected". */
  protection: orUnavailable(z.record(z.string(), z.unknown()).nullable()),
  /** GET .../rules/branches/{branch}: the rules that apply to the default branch. */
  rules: orUnavailable(z.array(z.looseObject({ type: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }))),
  hooks: orUnavailable(z.array(hookSchema)),
  deployKeys: orUnavailable(z.array(z.looseObject({ id: z.number(), title: z.string().nullable().optional(), read_only: z.boolean() }))),
  /** GET .../vulnerability-alerts: 204 is true, 404 false. */
  vulnerabilityAlertsEnabled: orUnavailable(z.boolean()),
  dependabotAlerts: orUnavailable(z.array(dependabotAlertSchema)),
  collaborators: orUnavailable(z.array(collaboratorSchema)),
  // Added later: absent in evidence stored before they were collected (the checks then say so).
  /** The rulesets whose rules apply to the default branch, each read once. */
  rulesets: orUnavailable(z.array(rulesetSchema)).optional(),
  /** GET .../environments: every deployment environment with its protection rules. */
  environments: orUnavailable(z.array(environmentSchema)).optional(),
  /** GET .../code-scanning/analyses?per_page=1: the latest analysis, or none (404 "no analysis found"). */
  codeScanningAnalyses: orUnavailable(z.array(codeScanningAnalysisSchema)).optional(),
});
export type RepoEvidence = z.infer<typeof repoEvidenceSchema>;
export const reposEvidenceSchema = z.object({ repos: z.array(repoEvidenceSchema) });

/** GET /orgs/{org}/actions/permissions and .../actions/permissions/workflow, as GitHub gave them. */
export const actionsPolicyEvidenceSchema = z.object({
  permissions: orUnavailable(z.looseObject({ enabled_repositories: z.string(), allowed_actions: z.string().nullish() })),
  workflow: orUnavailable(z.looseObject({ default_workflow_permissions: z.string(), can_approve_pull_request_reviews: z.boolean() })),
});

/** A code scanning alert as GET /orgs/{org}/code-scanning/alerts?state=open lists it. */
export const codeScanningAlertSchema = z.looseObject({
  number: z.number(),
  state: z.string().nullish(),
  created_at: z.string(),
  html_url: z.string().optional(),
  rule: z.looseObject({ id: z.string().nullish(), security_severity_level: z.string().nullish(), description: z.string().nullish() }),
  tool: z.looseObject({ name: z.string().nullish() }).nullish(),
  repository: z.looseObject({ name: z.string() }),
});
export type CodeScanningAlert = z.infer<typeof codeScanningAlertSchema>;
export const codeScanningAlertsEvidenceSchema = z.object({ alerts: orUnavailable(z.array(codeScanningAlertSchema)) });

/** A secret scanning alert as GET /orgs/{org}/secret-scanning/alerts?state=open lists it, its `secret` removed by the collector. */
export const secretScanningAlertSchema = z.looseObject({
  number: z.number(),
  state: z.string().nullish(),
  created_at: z.string(),
  secret_type: z.string().nullish(),
  secret_type_display_name: z.string().nullish(),
  repository: z.looseObject({ name: z.string() }),
});
export type SecretScanningAlert = z.infer<typeof secretScanningAlertSchema>;
export const secretScanningAlertsEvidenceSchema = z.object({ alerts: orUnavailable(z.array(secretScanningAlertSchema)) });

/** A GitHub App installation as GET /orgs/{org}/installations lists it. */
export const installationSchema = z.looseObject({
  id: z.number(),
  app_slug: z.string(),
  repository_selection: z.string(),
  permissions: z.record(z.string(), z.string()),
});
export type Installation = z.infer<typeof installationSchema>;
export const installationsEvidenceSchema = z.object({ installations: orUnavailable(z.array(installationSchema)) });
