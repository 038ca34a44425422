/**
 * The GitHub checks added for protection depth, the Actions policy, installed apps, code scanning,
 * secret scanning alerts and production environments: compliant and non-compliant cases on
 * payloads shaped as GitHub documents them (REST reference examples).
 */
import { describe, expect, it } from "vitest";
import actionsAllowed from "../../../../controls/checks/github/org/actions-allowed.js";
import appInstallations from "../../../../controls/checks/github/org/app-installations.js";
import workflowToken from "../../../../controls/checks/github/org/workflow-token-read-only.js";
import workflowsCannotApprove from "../../../../controls/checks/github/org/workflows-cannot-approve.js";
import adminsNotExempt from "../../../../controls/checks/github/repo/admins-not-exempt.js";
import codeOwnerReview from "../../../../controls/checks/github/repo/code-owner-review.js";
import codeScanningAlerts from "../../../../controls/checks/github/repo/code-scanning-alerts.js";
import codeScanningEnabled from "../../../../controls/checks/github/repo/code-scanning-enabled.js";
import lastPushApproval from "../../../../controls/checks/github/repo/last-push-approval.js";
import productionReviewers from "../../../../controls/checks/github/repo/production-environment-reviewers.js";
import requiredStatusChecks from "../../../../controls/checks/github/repo/required-status-checks.js";
import secretScanningAlerts from "../../../../controls/checks/github/repo/secret-scanning-alerts.js";
import staleReviews from "../../../../controls/checks/github/repo/stale-reviews-dismissed.js";
import type { Check } from "../../../../src/domain.js";
import { GITHUB_EVIDENCE, type RepoEvidence } from "../../../../src/evidence/github.js";
import { stored, vendorFile } from "../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const scope = { source: "gh", sourceType: "github" as const, account: "acme", region: "global" };
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const repo = (name: string, extra: Partial<RepoEvidence> = {}): RepoEvidence => ({
  repository: { name, archived: false, visibility: "private", private: true, default_branch: "main" },
  empty: false,
  protection: null,
  rules: [],
  hooks: [],
  deployKeys: [],
  vulnerabilityAlertsEnabled: true,
  dependabotAlerts: [],
  collaborators: [],
  rulesets: [],
  environments: [],
  codeScanningAnalyses: [],
  ...extra,
});
type Evidence = ReturnType<typeof stored>[];
const repos = (...list: RepoEvidence[]): Evidence => [stored(GITHUB_EVIDENCE.repos, { repos: list }, scope)];
const run = (check: Check, evidence: Evidence, settings: unknown = {}) =>
  check
    .evaluate({ evidence: { scope, get: (k) => evidence.find((e) => e.kind === k) }, now, settings })
    .map(({ resourceId, status, reason }) => ({ resourceId, status, reason }));
const statuses = (check: Check, evidence: Evidence, settings: unknown = {}) =>
  Object.fromEntries(run(check, evidence, settings).map((f) => [f.resourceId, f.status]));

// The recorded classic protection (PyGithub): 1 approval, admins enforced, required status checks; stale reviews kept, no code owners, no last-push approval.
const recorded = JSON.parse(vendorFile("github/pygithub_GET_repos_curvewise-forks_PyGithub_branches_master_protection.json")) as Record<string, unknown>;
// GitHub's documented pull_request rule parameters (rules for a branch).
const pullRequestRule = (parameters: Record<string, unknown>) => ({
  type: "pull_request",
  ruleset_id: 42,
  parameters: { required_approving_review_count: 1, ...parameters },
});

describe("protection depth, from the protection and rules already read", () => {
  it("the recorded protection: status checks and admin enforcement pass; stale reviews, code owners and last-push approval fail", () => {
    const evidence = repos(repo("classic", { protection: recorded }));
    expect(run(adminsNotExempt, evidence)[0]?.status).toBe("pass");
    expect(run(requiredStatusChecks, evidence)[0]?.status).toBe("pass");
    expect(run(staleReviews, evidence)[0]?.status).toBe("fail");
    expect(run(codeOwnerReview, evidence)[0]).toMatchObject({
      status: "fail",
      reason: "The default branch main of acme/classic does not require review from code owners.",
    });
    expect(run(lastPushApproval, evidence)[0]?.status).toBe("fail");
  });

  it("rulesets alone: each property passes when its documented parameter is true, and fails on a bare ruleset or nothing", () => {
    const full = pullRequestRule({ require_code_owner_review: true, require_last_push_approval: true, dismiss_stale_reviews_on_push: true });
    const checks = {
      type: "required_status_checks",
      ruleset_id: 42,
      parameters: { required_status_checks: [{ context: "ci/test" }], strict_required_status_checks_policy: true },
    };
    const evidence = repos(repo("ruled", { rules: [full, checks] }), repo("bare", { rules: [pullRequestRule({})] }), repo("none"));
    for (const check of [codeOwnerReview, lastPushApproval, staleReviews, requiredStatusChecks])
      expect(statuses(check, evidence)).toEqual({ "acme/ruled": "pass", "acme/bare": "fail", "acme/none": "fail" });
    expect(run(requiredStatusChecks, evidence)[0]?.reason).toBe(
      "The default branch main of acme/ruled requires status checks to pass before merging (by a ruleset).",
    );
    // "true" as a string is not GitHub's boolean.
    expect(run(lastPushApproval, repos(repo("s", { rules: [pullRequestRule({ require_last_push_approval: "true" })] })))[0]?.status).toBe("fail");
  });

  it("admins-not-exempt: enforce_admins off fails; a ruleset with bypass actors fails; a hidden bypass list or unreadable protection is an error", () => {
    const rules = [pullRequestRule({})];
    const ruleset = (bypass?: { actor_id: number; actor_type: string; bypass_mode: string }[]) => [
      { id: 42, name: "main", enforcement: "active", ...(bypass ? { bypass_actors: bypass } : {}) },
    ];
    const evidence = repos(
      repo("lax", { protection: { ...recorded, enforce_admins: { url: "x", enabled: false } } }),
      repo("ruled", { rules, rulesets: ruleset([]) }),
      repo("bypassed", { rules, rulesets: ruleset([{ actor_id: 5, actor_type: "RepositoryRole", bypass_mode: "always" }]) }),
      repo("hidden", { rules, rulesets: ruleset() }),
      repo("refused", { protection: { unavailable: "refused (HTTP 403): it needs Administration: read" } }),
    );
    expect(run(adminsNotExempt, evidence)).toEqual([
      {
        resourceId: "acme/lax",
        status: "fail",
        reason:
          "The default branch main of acme/lax can be changed without its protection: its branch protection does not apply to administrators (enforce_admins is off).",
      },
      {
        resourceId: "acme/ruled",
        status: "pass",
        reason: "The default branch main of acme/ruled is protected for everyone, administrators included: rulesets with no bypass list.",
      },
      {
        resourceId: "acme/bypassed",
        status: "fail",
        reason: 'The default branch main of acme/bypassed can be changed without its protection: ruleset "main" can be bypassed by RepositoryRole 5 (always).',
      },
      {
        resourceId: "acme/hidden",
        status: "error",
        reason: 'GitHub did not show who may bypass ruleset "main" of acme/hidden: it shows bypass lists only to a token with write access to the ruleset.',
      },
      { resourceId: "acme/refused", status: "error", reason: "Repository acme/refused cannot be judged: refused (HTTP 403): it needs Administration: read." },
    ]);
  });
});

describe("Actions policy", () => {
  const policy = (permissions: unknown, workflow: unknown): Evidence => [stored(GITHUB_EVIDENCE.actionsPolicy, { permissions, workflow }, scope)];
  const readOnly = { default_workflow_permissions: "read", can_approve_pull_request_reviews: false };

  it("actions-allowed: local_only and selected pass, all fails, disabled passes, a refusal is an error naming the permission", () => {
    const status = (permissions: unknown) => run(actionsAllowed, policy(permissions, readOnly))[0];
    expect(status({ enabled_repositories: "all", allowed_actions: "local_only" })?.status).toBe("pass");
    expect(status({ enabled_repositories: "selected", allowed_actions: "selected", selected_actions_url: "https://api.github.com/x" })?.status).toBe("pass");
    expect(status({ enabled_repositories: "all", allowed_actions: "all" })).toMatchObject({
      status: "fail",
      reason: "Organization acme allows workflows to run any action, from any author.",
    });
    expect(status({ enabled_repositories: "none" })?.status).toBe("pass");
    expect(
      status({ unavailable: "GET /orgs/{org}/actions/permissions was refused (HTTP 403): it needs the Administration: read organization permission" }),
    ).toMatchObject({
      status: "error",
      reason: expect.stringContaining("Administration: read"),
    });
  });

  it("workflow token and approvals: GitHub's documented example (read, cannot approve) passes; write and can-approve fail", () => {
    expect(run(workflowToken, policy({ enabled_repositories: "all" }, readOnly))[0]?.status).toBe("pass");
    expect(run(workflowsCannotApprove, policy({ enabled_repositories: "all" }, readOnly))[0]?.status).toBe("pass");
    const loose = { default_workflow_permissions: "write", can_approve_pull_request_reviews: true };
    expect(run(workflowToken, policy({ enabled_repositories: "all" }, loose))[0]?.reason).toBe(
      "Organization acme gives workflows a GITHUB_TOKEN with write access by default.",
    );
    expect(run(workflowsCannotApprove, policy({ enabled_repositories: "all" }, loose))[0]?.reason).toBe(
      "Organization acme allows GitHub Actions workflows to create and approve pull requests.",
    );
  });
});

describe("installed GitHub Apps", () => {
  const apps = (installations: unknown): Evidence => [stored(GITHUB_EVIDENCE.installations, { installations }, scope)];
  const app = (slug: string, repository_selection: string, permissions: Record<string, string>) => ({
    id: slug.length,
    app_id: 1,
    app_slug: slug,
    target_type: "Organization",
    repository_selection,
    permissions,
  });

  it("broad access fails unless allow-listed; selected read-only access passes", () => {
    const evidence = apps([
      app("ci-bot", "selected", { contents: "read", metadata: "read" }),
      app("admin-bot", "selected", { administration: "write", metadata: "read" }),
      app("renovate", "all", { contents: "write", metadata: "read" }),
    ]);
    expect(statuses(appInstallations, evidence)).toEqual({
      "org/acme/installations/ci-bot": "pass",
      "org/acme/installations/admin-bot": "fail",
      "org/acme/installations/renovate": "fail",
    });
    expect(run(appInstallations, evidence)[1]?.reason).toBe(
      "GitHub App admin-bot (installation 9) in organization acme has administration: write and is not in the allow list.",
    );
    expect(statuses(appInstallations, evidence, { allow: ["renovate"] })["org/acme/installations/renovate"]).toBe("pass");
    expect(run(appInstallations, apps({ unavailable: "refused (HTTP 403)" }))[0]?.status).toBe("error");
  });
});

describe("code scanning", () => {
  const alerts = (list: unknown): Evidence => [stored(GITHUB_EVIDENCE.codeScanningAlerts, { alerts: list }, scope)];
  // An alert as GET /orgs/{org}/code-scanning/alerts documents it.
  const alert = (number: number, repoName: string, level: string | null, days: number) => ({
    number,
    state: "open",
    created_at: daysAgo(days),
    rule: { id: "js/zipslip", severity: "error", security_severity_level: level, description: "Arbitrary file write during zip extraction" },
    tool: { name: "CodeQL", guid: null, version: "2.4.0" },
    repository: { id: 1296269, name: repoName, full_name: `acme/${repoName}` },
  });
  const analysis = (days: number) => [{ id: 201, created_at: daysAgo(days), tool: { name: "CodeQL", guid: null, version: "2.4.0" } }];

  it("code-scanning-enabled: a recent analysis passes; none, or a stale one, fails; an empty repository is not applicable", () => {
    const evidence = repos(
      repo("scanned", { codeScanningAnalyses: analysis(3) }),
      repo("stale", { codeScanningAnalyses: analysis(45) }),
      repo("never"),
      repo("empty", { empty: true }),
    );
    expect(statuses(codeScanningEnabled, evidence)).toEqual({
      "acme/scanned": "pass",
      "acme/stale": "fail",
      "acme/never": "fail",
      "acme/empty": "not_applicable",
    });
    expect(run(codeScanningEnabled, evidence)[1]?.reason).toBe(
      "Repository acme/stale was last analysed by code scanning by CodeQL on 2026-09-17, more than 30 days ago.",
    );
  });

  it("code-scanning-alerts: an overdue high alert fails, a recent or quality-only one passes, the org listing refused is an error", () => {
    const list = [alert(1, "late", "high", 40), alert(2, "fresh", "critical", 3), alert(3, "fresh", null, 400)];
    const evidence = [
      ...repos(repo("late", { codeScanningAnalyses: analysis(1) }), repo("fresh", { codeScanningAnalyses: analysis(1) }), repo("never")),
      ...alerts(list),
    ];
    expect(statuses(codeScanningAlerts, evidence)).toEqual({ "acme/late": "fail", "acme/fresh": "pass", "acme/never": "not_applicable" });
    expect(run(codeScanningAlerts, evidence)[0]?.reason).toBe(
      "Repository acme/late has code scanning alerts past their SLA: #1 high (js/zipslip) open since 2026-09-22.",
    );
    const refused = [
      ...repos(repo("late", { codeScanningAnalyses: analysis(1) })),
      ...alerts({ unavailable: "refused (HTTP 403): it needs GitHub Code Security" }),
    ];
    expect(run(codeScanningAlerts, refused)[0]).toMatchObject({ status: "error", reason: expect.stringContaining("GitHub Code Security") });
  });
});

describe("secret scanning alerts", () => {
  const alerts = (list: unknown): Evidence => [stored(GITHUB_EVIDENCE.secretScanningAlerts, { alerts: list }, scope)];
  it("an open alert fails naming its type, never the secret; a repository without open alerts passes", () => {
    const evidence = [
      ...repos(repo("leaky"), repo("clean")),
      ...alerts([
        {
          number: 2,
          state: "open",
          created_at: "2026-10-20T12:00:00Z",
          secret_type: "mailchimp_api_key",
          secret_type_display_name: "Mailchimp API Key",
          validity: "active",
          repository: { name: "leaky" },
        },
      ]),
    ];
    expect(run(secretScanningAlerts, evidence)).toEqual([
      {
        resourceId: "acme/leaky",
        status: "fail",
        reason: "Repository acme/leaky has open secret scanning alerts: #2 Mailchimp API Key open since 2026-10-20.",
      },
      { resourceId: "acme/clean", status: "pass", reason: "Repository acme/clean has no open secret scanning alert." },
    ]);
  });
});

describe("production environments", () => {
  // Environments as GET /repos/{owner}/{repo}/environments documents them.
  const env = (name: string, rules: { type: string; [key: string]: unknown }[]) => ({ id: 161088068, name, protection_rules: rules, can_admins_bypass: true });
  const reviewers = { id: 3736, type: "required_reviewers", prevent_self_review: false, reviewers: [{ type: "User", reviewer: { login: "octocat" } }] };
  it("production with a required reviewer passes, without one fails, none is not applicable; the pattern is a setting", () => {
    const evidence = repos(
      repo("reviewed", { environments: [env("production", [reviewers]), env("staging", [])] }),
      repo("unreviewed", { environments: [env("prod-eu", [{ id: 3755, type: "wait_timer", wait_timer: 30 }])] }),
      repo("no-prod", { environments: [env("staging", [])] }),
    );
    expect(statuses(productionReviewers, evidence)).toEqual({ "acme/reviewed": "pass", "acme/unreviewed": "fail", "acme/no-prod": "not_applicable" });
    expect(run(productionReviewers, evidence)[1]?.reason).toBe("Repository acme/unreviewed deploys to prod-eu without a required reviewer.");
    expect(statuses(productionReviewers, evidence, { productionPattern: "^staging$" })["acme/no-prod"]).toBe("fail");
    expect(
      run(productionReviewers, repos(repo("x", { environments: { unavailable: "refused (HTTP 403): it needs the Actions: read repository permission" } })))[0]
        ?.status,
    ).toBe("error");
  });
});
