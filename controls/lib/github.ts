/**
 * Shared reading for GitHub checks. The collector stores GitHub's answers as given; what the
 * checks share in reading them lives here: the repository listing's fields (visibility, archived,
 * default branch), the outside collaborators with admin rights, the open Dependabot alerts. Repo
 * checks give one finding per repository; archived ones are not_applicable; a part the token
 * could not read is an error naming the permission.
 */
import { z } from "zod";
import type { Check, ControlMapping, EvidenceView, FindingDraft, Severity, StoredEvidence } from "../../src/domain.js";
import { defineCheck, readEvidence } from "../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, reposEvidenceSchema, type DependabotAlert, type RepoEvidence, type Unavailable } from "../../src/evidence/github.js";

export type Judgement = Pick<FindingDraft, "status" | "reason">;

/** A stored repository with the listing's fields read the way every check reads them. */
export interface Repo extends RepoEvidence {
  name: string;
  archived: boolean;
  /** GitHub's visibility, or, from an older server that gives none, what `private` says. */
  visibility: string;
  defaultBranch: string | null;
  securityAndAnalysis: NonNullable<RepoEvidence["repository"]["security_and_analysis"]> | null;
}

function repoOf(stored: RepoEvidence): Repo {
  const listed = stored.repository;
  return {
    ...stored,
    name: listed.name,
    archived: listed.archived === true,
    visibility: listed.visibility ?? (listed.private ? "private" : "public"),
    defaultBranch: listed.default_branch ?? null,
    securityAndAnalysis: listed.security_and_analysis ?? null,
  };
}

// Several checks read the same (large) repos record in one evaluation: validate it once.
const parsed = new WeakMap<StoredEvidence, Repo[]>();

/** The organization's repositories, validated against the evidence schema. */
export function readRepos(view: EvidenceView): Repo[] {
  const record = view.get(GITHUB_EVIDENCE.repos);
  const cached = record ? parsed.get(record) : undefined;
  if (cached) return cached;
  const { record: read, data } = readEvidence(view, GITHUB_EVIDENCE.repos, reposEvidenceSchema);
  const repos = data.repos.map(repoOf);
  parsed.set(read, repos);
  return repos;
}

/** The logins of a repository's outside collaborators who hold admin on it. */
export function outsideAdmins(repo: RepoEvidence): string[] | Unavailable {
  return isUnavailable(repo.collaborators) ? repo.collaborators : repo.collaborators.filter((c) => c.permissions?.admin === true).map((c) => c.login);
}

/** GitHub's states of an alert that is no longer open. */
const CLOSED = new Set(["dismissed", "auto_dismissed", "fixed"]);

/**
 * The alerts still open. The collector asks for open ones; an alert that says it is closed does
 * not count, and one whose state is missing or unknown does (it could be open).
 */
export function openAlerts(alerts: readonly DependabotAlert[]): DependabotAlert[] {
  return alerts.filter((a) => !CLOSED.has((a.state ?? "open").toLowerCase()));
}

interface RepoCheck<S> {
  id: string;
  title: string;
  severity: Severity;
  controls: readonly ControlMapping[];
  remediation: string;
  settings: z.ZodType<S>;
  /** Evidence kinds read besides the repositories (organization-level listings). */
  alsoRequires?: readonly string[];
  judge(repo: Repo, settings: S, context: { org: string; now: Date; evidence: EvidenceView }): Judgement;
}

export function defineRepoCheck<S>(definition: RepoCheck<S>): Check {
  return defineCheck<S>({
    id: definition.id,
    title: definition.title,
    severity: definition.severity,
    sourceType: "github",
    controls: definition.controls,
    remediation: definition.remediation,
    requires: [GITHUB_EVIDENCE.repos, ...(definition.alsoRequires ?? [])],
    settings: definition.settings,
    evaluate({ evidence, settings, now }) {
      const org = evidence.scope.account;
      return readRepos(evidence).map((repo) => {
        const resourceId = `${org}/${repo.name}`;
        if (repo.archived) return { resourceId, status: "not_applicable", reason: `Repository ${resourceId} is archived (read-only).` };
        try {
          return { resourceId, ...definition.judge(repo, settings, { org, now, evidence }) };
        } catch (error) {
          if (error instanceof UnavailableEvidence)
            return { resourceId, status: "error", reason: `Repository ${resourceId} cannot be judged: ${error.message}.` };
          throw error;
        }
      });
    },
  });
}

class UnavailableEvidence extends Error {}

/** The value, or an UnavailableEvidence error that becomes an `error` finding with the reason. */
export function need<T>(value: T | Unavailable): T {
  if (isUnavailable(value)) throw new UnavailableEvidence(value.unavailable);
  return value;
}

/** The classic protection fields the depth checks read, by GitHub's names; values checked where used. */
const classicProtectionSchema = z.looseObject({
  enforce_admins: z.looseObject({ enabled: z.unknown().optional() }).nullish(),
  required_status_checks: z.looseObject({ contexts: z.array(z.unknown()).nullish(), checks: z.array(z.unknown()).nullish() }).nullish(),
  required_pull_request_reviews: z
    .looseObject({
      dismiss_stale_reviews: z.unknown().optional(),
      require_code_owner_reviews: z.unknown().optional(),
      require_last_push_approval: z.unknown().optional(),
    })
    .nullish(),
});
export type ClassicProtection = z.infer<typeof classicProtectionSchema>;
export type BranchRule = Exclude<RepoEvidence["rules"], Unavailable>[number];

/**
 * The default branch's classic protection: the object, null when the branch has none, undefined
 * when it could not be read; or a judgement when it cannot be judged at all.
 */
export function classicProtection(repo: Repo, name: string): ClassicProtection | null | undefined | Judgement {
  if (isUnavailable(repo.protection)) return undefined;
  if (repo.protection === null) return null;
  const parsed = classicProtectionSchema.safeParse(repo.protection);
  return parsed.success
    ? parsed.data
    : { status: "error", reason: `The branch protection of ${name}'s default branch is not in the shape GitHub documents, so it cannot be judged.` };
}

export function isJudgement(value: unknown): value is Judgement {
  return typeof value === "object" && value !== null && "status" in value && "reason" in value;
}

/** One property of the default branch's protection, set either by classic protection or by a ruleset rule. */
export interface BranchRequirement {
  /** What is required, as the sentences say it: "status checks to pass before merging". */
  what: string;
  byClassic(protection: ClassicProtection): boolean;
  byRule(rule: BranchRule): boolean;
}

/**
 * Whether the default branch requires it: pass when classic protection or a ruleset does; fail
 * when neither does; error when classic protection could not be read and the rulesets do not.
 * Only a documented `true` (or a non-empty list) counts.
 */
export function judgeBranchRequirement(repo: Repo, org: string, requirement: BranchRequirement): Judgement {
  const name = `${org}/${repo.name}`;
  if (repo.empty || !repo.defaultBranch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no default branch to protect.` };
  const rules = need(repo.rules);
  const classic = classicProtection(repo, name);
  if (isJudgement(classic)) return classic;
  const via = [classic && requirement.byClassic(classic) ? "branch protection" : null, rules.some((r) => requirement.byRule(r)) ? "a ruleset" : null].filter(
    Boolean,
  );
  if (via.length > 0)
    return { status: "pass", reason: `The default branch ${repo.defaultBranch} of ${name} requires ${requirement.what} (by ${via.join(" and ")}).` };
  // Classic protection could not be read: what rulesets show is not the whole picture.
  if (classic === undefined) need(repo.protection);
  const nothing = classic === null && rules.length === 0 ? " (it has no branch protection or ruleset)" : "";
  return { status: "fail", reason: `The default branch ${repo.defaultBranch} of ${name} does not require ${requirement.what}${nothing}.` };
}

/** A ruleset rule's parameter, true only when GitHub says `true`. */
export function ruleFlag(rule: BranchRule, type: string, parameter: string): boolean {
  return rule.type === type && rule.parameters?.[parameter] === true;
}

// Organization-level listings are read by one check per repository: validated once per record.
const listings = new WeakMap<StoredEvidence, unknown>();

/** An organization-level evidence record, validated against its schema once per evaluation. */
export function readOrgEvidence<T>(view: EvidenceView, kind: string, schema: z.ZodType<T>): T {
  const record = view.get(kind);
  if (record && listings.has(record)) return listings.get(record) as T;
  const { record: read, data } = readEvidence(view, kind, schema);
  listings.set(read, data);
  return data;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A timestamp as GitHub writes it (ISO 8601), or null when it is anything else. */
export function githubDate(value: string): Date | null {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value) : null;
}
