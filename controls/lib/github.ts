/**
 * Shared reading for GitHub checks. The collector stores GitHub's answers as given; what the
 * checks share in reading them lives here: the repository listing's fields (visibility, archived,
 * default branch), the outside collaborators with admin rights, the open Dependabot alerts. Repo
 * checks give one finding per repository; archived ones are not_applicable; a part the token
 * could not read is an error naming the permission.
 */
import type { z } from "zod";
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
  judge(repo: Repo, settings: S, context: { org: string; now: Date }): Judgement;
}

export function defineRepoCheck<S>(definition: RepoCheck<S>): Check {
  return defineCheck<S>({
    id: definition.id,
    title: definition.title,
    severity: definition.severity,
    sourceType: "github",
    controls: definition.controls,
    remediation: definition.remediation,
    requires: [GITHUB_EVIDENCE.repos],
    settings: definition.settings,
    evaluate({ evidence, settings, now }) {
      const org = evidence.scope.account;
      return readRepos(evidence).map((repo) => {
        const resourceId = `${org}/${repo.name}`;
        if (repo.archived) return { resourceId, status: "not_applicable", reason: `Repository ${resourceId} is archived (read-only).` };
        try {
          return { resourceId, ...definition.judge(repo, settings, { org, now }) };
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
