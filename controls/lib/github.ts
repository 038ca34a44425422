/**
 * Shared reading for GitHub repository checks: one finding per repository; archived ones are
 * not_applicable; a part the token could not read is an error naming the permission.
 */
import { z } from "zod";
import type { Check, ControlMapping, FindingDraft, Severity } from "../../src/domain.js";
import { defineCheck, readEvidence } from "../../src/engine/check.js";
import { GITHUB_EVIDENCE, isUnavailable, reposEvidenceSchema, type RepoEvidence, type Unavailable } from "../../src/evidence/github.js";

export type Judgement = Pick<FindingDraft, "status" | "reason">;

interface RepoCheck<S> {
  id: string;
  title: string;
  severity: Severity;
  controls: readonly ControlMapping[];
  remediation: string;
  settings: z.ZodType<S>;
  judge(repo: RepoEvidence, settings: S, context: { org: string; now: Date }): Judgement;
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
      const { data } = readEvidence(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema);
      return data.repos.map((repo) => {
        const resourceId = `${org}/${repo.name}`;
        if (repo.archived) return { resourceId, status: "not_applicable", reason: `Repository ${resourceId} is archived (read-only).` };
        try {
          return { resourceId, ...definition.judge(repo, settings, { org, now }) };
        } catch (error) {
          if (error instanceof UnavailableEvidence) return { resourceId, status: "error", reason: `Repository ${resourceId} cannot be judged: ${error.message}.` };
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
