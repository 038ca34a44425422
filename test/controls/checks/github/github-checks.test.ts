import { describe, expect, it } from "vitest";
import twoFactor from "../../../../controls/checks/github/org/two-factor-required.js";
import members2fa from "../../../../controls/checks/github/org/members-2fa.js";
import adminCount from "../../../../controls/checks/github/org/admin-count.js";
import defaultPermission from "../../../../controls/checks/github/org/default-permission.js";
import protectedBranch from "../../../../controls/checks/github/repo/default-branch-protected.js";
import secretScanning from "../../../../controls/checks/github/repo/secret-scanning.js";
import dependabot from "../../../../controls/checks/github/repo/dependabot.js";
import outsideCollaborators from "../../../../controls/checks/github/org/outside-collaborators.js";
import { GITHUB_EVIDENCE, type RepoEvidence } from "../../../../src/evidence/github.js";
import { type runCheck, stored, vendorFile } from "../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const scope = { source: "gh", sourceType: "github" as const, account: "acme", region: "global" };
const org = (data: unknown) => [stored(GITHUB_EVIDENCE.org, data, scope)];
const json = (file: string) => JSON.parse(vendorFile(`github/${file}`)) as Record<string, unknown>;
/** A repository as the collector stores it; the listing's fields by their old names, for short cases. */
type Listed = {
  name?: string;
  archived?: boolean;
  visibility?: string;
  defaultBranch?: string | null;
  securityAndAnalysis?: Record<string, { status: string }> | null;
};
const repo = ({
  name = "r",
  archived = false,
  visibility = "private",
  defaultBranch = "main",
  securityAndAnalysis = null,
  ...rest
}: Listed & Partial<RepoEvidence>): RepoEvidence => ({
  repository: {
    name,
    archived,
    visibility,
    private: visibility !== "public",
    default_branch: defaultBranch,
    ...(securityAndAnalysis ? { security_and_analysis: securityAndAnalysis } : {}),
  },
  empty: false,
  protection: null,
  rules: [],
  hooks: [],
  deployKeys: [],
  vulnerabilityAlertsEnabled: true,
  dependabotAlerts: [],
  collaborators: [],
  ...rest,
});
/** A Dependabot alert as GitHub gives it. */
const alert = (number: number, severity: string, daysAgo: number, extra: Record<string, unknown> = {}) => ({
  number,
  state: "open",
  created_at: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  html_url: `https://github.com/acme/r/security/dependabot/${number}`,
  security_advisory: { ghsa_id: "GHSA-xxxx-xxxx-xxxx", severity, summary: "A vulnerability" },
  dependency: { package: { ecosystem: "npm", name: "lodash" }, manifest_path: "package-lock.json" },
  ...extra,
});
const repos = (...list: RepoEvidence[]) => [stored(GITHUB_EVIDENCE.repos, { repos: list }, scope)];
const run = (check: Parameters<typeof runCheck>[0], evidence: ReturnType<typeof stored>[], settings: unknown = {}) =>
  check.evaluate({ evidence: { scope, get: (k) => evidence.find((e) => e.kind === k) }, now, settings });

describe("GitHub organization checks on recorded payloads", () => {
  it("github.org.two-factor-required: the real recorded org without the requirement fails; GitHub's example with it passes", () => {
    expect(run(twoFactor, org(json("octokit_fixtures_GET_orgs_octokit-fixture-org.json")))[0]).toMatchObject({
      status: "fail",
      reason: "Organization octokit-fixture-org does not require two-factor authentication.",
    });
    expect(run(twoFactor, org(json("octokit_routes_2020_example_GET_orgs_org.json")))[0]?.status).toBe("pass");
  });

  it("github.org.default-permission: read passes, write fails, a non-owner's view (no field) is an error", () => {
    expect(run(defaultPermission, org({ login: "acme", default_repository_permission: "read" }))[0]?.status).toBe("pass");
    expect(run(defaultPermission, org({ login: "acme", default_repository_permission: "write" }))[0]?.reason).toBe(
      "Organization acme's base permission is write: every member can push to every repository.",
    );
    expect(run(defaultPermission, org(json("pygithub_GET_orgs_BeaverSoftware.json")))[0]?.status).toBe("error");
  });

  it("github.org.members-2fa and admin-count, including the error when the 2FA filter was refused", () => {
    const users = (logins: unknown) =>
      Array.isArray(logins) ? logins.map((login: string, i) => ({ login, id: i + 1, type: "User", site_admin: false })) : logins;
    const members = (twoFactorDisabled: unknown, owners: unknown = ["a"]) => [
      stored(GITHUB_EVIDENCE.members, { members: users(["a", "b"]), owners: users(owners), twoFactorDisabled: users(twoFactorDisabled) }, scope),
    ];
    expect(run(members2fa, members(["b"])).map((f) => f.status)).toEqual(["pass", "fail"]);
    expect(run(members2fa, members({ unavailable: "refused (HTTP 403): it needs an owner" }))[0]).toMatchObject({
      status: "error",
      reason: "The 2FA status of organization acme's members cannot be read: refused (HTTP 403): it needs an owner.",
    });
    expect(run(adminCount, members([], ["a", "b", "c", "d"]), { maxOwners: 3 })[0]).toMatchObject({
      status: "fail",
      reason: "Organization acme has 4 owners, more than 3: a, b, c, d.",
    });
  });
});

describe("GitHub repository checks", () => {
  const recordedProtection = json("pygithub_GET_repos_curvewise-forks_PyGithub_branches_master_protection.json");

  it("default-branch-protected: the real recorded protection (1 approval) passes; a ruleset alone passes; nothing fails", () => {
    const findings = run(
      protectedBranch,
      repos(
        repo({ name: "classic", protection: recordedProtection }),
        repo({
          name: "ruleset",
          rules: [{ type: "pull_request", parameters: { required_approving_review_count: 2 } }, { type: "non_fast_forward" }, { type: "deletion" }],
        }),
        repo({ name: "bare" }),
        repo({
          name: "patterns-only",
          rules: json("restapidesc_example_repository-rule-items__GET_repos_owner_repo_rules_branches_branch.json") as unknown as RepoEvidence["rules"],
        }),
      ),
      { minApprovals: 1 },
    );
    expect(Object.fromEntries(findings.map((f) => [f.resourceId, f.status]))).toEqual({
      "acme/classic": "pass",
      "acme/ruleset": "pass",
      "acme/bare": "fail",
      "acme/patterns-only": "fail",
    });
    expect(findings.find((f) => f.resourceId === "acme/ruleset")?.reason).toBe(
      "The default branch main of acme/ruleset is protected by rulesets: reviewed pull requests, no force pushes, no deletion.",
    );
  });

  it("default-branch-protected: archived and empty repos are not applicable; unreadable protection without a passing ruleset is an error", () => {
    const findings = run(
      protectedBranch,
      repos(
        repo({ name: "old", archived: true }),
        repo({ name: "empty", empty: true }),
        repo({ name: "hidden", protection: { unavailable: "refused (HTTP 403): it needs Administration: read" } }),
      ),
      { minApprovals: 1 },
    );
    expect(findings.map((f) => f.status)).toEqual(["not_applicable", "not_applicable", "error"]);
    expect(findings[2]?.reason).toContain("it needs Administration: read");
  });

  it("secret-scanning: the real recorded disabled settings fail, the enabled ones pass, hidden settings are an error", () => {
    const disabled = json("pygithub_GET_repos_jacquev6_PyGithub_security_and_analysis_disabled.json")["security_and_analysis"] as Listed["securityAndAnalysis"];
    const enabled = json("pygithub_PATCH_repos_PyGithub_PyGithub_security_and_analysis_enabled.json")["security_and_analysis"] as Listed["securityAndAnalysis"];
    const findings = run(
      secretScanning,
      repos(repo({ name: "off", securityAndAnalysis: disabled }), repo({ name: "on", securityAndAnalysis: enabled }), repo({ name: "hidden" })),
    );
    expect(findings.map((f) => f.status)).toEqual(["fail", "pass", "error"]);
  });

  it("dependabot: an old critical alert past its 15-day SLA fails, a fresh high one does not; alerts off fails", () => {
    const findings = run(
      dependabot,
      repos(
        repo({ name: "old", dependabotAlerts: [alert(20, "critical", 20)] }),
        repo({ name: "fresh", dependabotAlerts: [alert(20, "high", 20)] }),
        repo({ name: "off", vulnerabilityAlertsEnabled: false }),
      ),
      { criticalSlaDays: 15, highSlaDays: 30 },
    );
    expect(findings.map((f) => f.status)).toEqual(["fail", "pass", "fail"]);
    expect(findings[0]?.reason).toBe("Repository acme/old has Dependabot alerts past their SLA: #20 critical in lodash open since 2026-10-12.");
  });

  it("dependabot: the collector stores open alerts of every severity; low and medium ones have no SLA, and an alert no longer open does not count", () => {
    const findings = run(
      dependabot,
      repos(
        repo({ name: "low", dependabotAlerts: [alert(1, "low", 400), alert(2, "medium", 400)] }),
        repo({ name: "mixed", dependabotAlerts: [alert(1, "low", 400), alert(2, "high", 31), alert(3, "critical", 2)] }),
        repo({ name: "fixed", dependabotAlerts: [alert(4, "critical", 90, { state: "fixed" }), alert(5, "high", 90, { state: "dismissed" })] }),
      ),
    );
    expect(findings).toEqual([
      { resourceId: "acme/low", status: "pass", reason: "Repository acme/low has Dependabot alerts on and no critical or high alert past its SLA." },
      {
        resourceId: "acme/mixed",
        status: "fail",
        reason: "Repository acme/mixed has Dependabot alerts past their SLA: #2 high in lodash open since 2026-10-01.",
      },
      { resourceId: "acme/fixed", status: "pass", reason: "Repository acme/fixed has Dependabot alerts on and no critical or high alert past its SLA." },
    ]);
  });
});

describe("github.org.outside-collaborators on what the API returned", () => {
  const user = (login: string) => ({ login, id: 1, type: "User", site_admin: false });
  const collaborator = (login: string, admin: boolean) => ({
    ...user(login),
    permissions: { admin, maintain: admin, push: true, triage: true, pull: true },
    role_name: admin ? "admin" : "write",
  });
  const evidence = (list: RepoEvidence[]) => [
    stored(GITHUB_EVIDENCE.outsideCollaborators, { collaborators: [user("contractor"), user("writer")] }, scope),
    ...repos(...list),
  ];

  it("a collaborator with admin on a repository fails; one with write only passes", () => {
    const findings = run(
      outsideCollaborators,
      evidence([
        repo({ name: "infra", collaborators: [collaborator("contractor", true), collaborator("writer", false)] }),
        repo({ name: "web", collaborators: [collaborator("writer", false)] }),
      ]),
    );
    expect(findings).toEqual([
      { resourceId: "user/contractor", status: "fail", reason: "Outside collaborator contractor has admin on acme/infra." },
      { resourceId: "user/writer", status: "pass", reason: "Outside collaborator writer has no admin rights in acme." },
    ]);
  });

  it("an archived repository's rights do not count; a repository whose collaborators could not be read makes the others an error", () => {
    const findings = run(
      outsideCollaborators,
      evidence([
        repo({ name: "old", archived: true, collaborators: [collaborator("writer", true)] }),
        repo({ name: "web", collaborators: { unavailable: "refused" } }),
        repo({ name: "infra", collaborators: [collaborator("contractor", true)] }),
      ]),
    );
    expect(findings.map((f) => [f.resourceId, f.status, f.reason])).toEqual([
      ["user/contractor", "fail", "Outside collaborator contractor has admin on acme/infra."],
      ["user/writer", "error", "Outside collaborator writer's rights on 1 repositories could not be read."],
    ]);
  });
});
