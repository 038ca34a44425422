import { afterEach, describe, expect, it } from "vitest";
import { githubOrgCollector } from "../../collectors/github/org.js";
import { githubSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { GITHUB_EVIDENCE, membersEvidenceSchema, reposEvidenceSchema } from "../../src/evidence/github.js";
import { Redactor } from "../../src/engine/redact.js";
import { DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN, demoGithubOrg } from "../../demo/estates/demo-github.js";
import { startFakeGithub, type FakeGithubOrg, type FakeGithubServer, type FakeRepo, type GithubFaults } from "../../demo/servers/github.js";

let server: FakeGithubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the collector asked to wait (rate limits, retries): recorded, never slept. */
let waits: number[] = [];
async function collect(faults: GithubFaults = {}, org: FakeGithubOrg = demoGithubOrg(), extra: Record<string, unknown> = {}) {
  server = await startFakeGithub(org, faults);
  const source = githubSourceSchema.parse({ name: "acme", org: org.login, baseUrl: server.url, token: org.token, ...extra });
  waits = [];
  const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
  return githubOrgCollector.collect({ source, sleep }, { signal: new AbortController().signal, now: () => new Date() });
}
const payload = <T>(evidence: { kind: string; payload: unknown }[], kind: string, schema: { parse(v: unknown): T }) =>
  schema.parse(evidence.find((e) => e.kind === kind)?.payload);

describe("github.org collector (real Octokit against the loopback REST server)", () => {
  it("follows Link-header pagination across several pages for members and repositories", async () => {
    const evidence = await collect({ pageSize: 3 });
    const members = payload(evidence, GITHUB_EVIDENCE.members, membersEvidenceSchema);
    const logins = (users: { login: string }[] | { unavailable: string }) => (Array.isArray(users) ? users.map((u) => u.login) : users);
    expect(members.members).toHaveLength(10);
    expect(logins(members.twoFactorDisabled)).toEqual(["ivan-nw", "peter-nw"]);
    expect(logins(members.owners)).toEqual(["alice-nw", "dave-nw"]);
    const repos = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    expect(repos.map((r) => r.repository.name)).toHaveLength(12);
    // 10 members at 3 a page: 4 pages; 12 repos: 4 pages.
    expect(
      server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/members?`) && !r.path.includes("filter") && !r.path.includes("role")).length,
    ).toBe(4);
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/repos`)).length).toBe(4);
  });

  it("records an empty repository, an unprotected branch and an archived repository as they are", async () => {
    const repos = payload(await collect(), GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    const named = (name: string) => repos.find((r) => r.repository.name === name);
    expect(named("scratch")).toMatchObject({ empty: true, protection: null });
    expect(named("infra")).toMatchObject({ empty: false, protection: null });
    expect(named("legacy-app")).toMatchObject({ repository: { archived: true }, protection: { unavailable: "not read: the repository is archived" } });
    expect(named("web")?.rules).toHaveLength(3);
    // No per-repository calls for the archived one.
    expect(server?.requests.some((r) => r.path.startsWith(`/repos/${DEMO_GITHUB_ORG}/legacy-app/`))).toBe(false);
  });

  it("waits out a primary rate limit until its reset, then goes on", async () => {
    const evidence = await collect({ primaryLimitOnce: "/outside_collaborators" });
    expect(evidence).toHaveLength(9);
    expect(server?.requests.filter((r) => r.path.includes("/outside_collaborators")).map((r) => r.status)).toEqual([403, 200]);
    // The reset is 1 to 2 s away (whole seconds): waited out before the retry (and by every
    // request made meanwhile, for what is left of it).
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(500);
  });

  it("waits out a secondary rate limit with retry-after, then goes on", async () => {
    await collect({ secondaryLimitOnce: "/hooks" });
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/hooks`)).map((r) => r.status)).toEqual([403, 200]);
    // retry-after: 1, waited out before the retry (and by every request made meanwhile, for what
    // is left of it).
    expect(Math.max(...waits)).toBeGreaterThan(500);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1000);
  });

  it("fails with a clear error when a rate limit resets later than the configured maximum wait", async () => {
    const error = await collect({ secondaryLimitOnce: "/hooks" }, demoGithubOrg(), { maxRateLimitWaitSeconds: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as Error).message).toMatch(/secondary rate limit/);
  });

  it("a 403 for a missing permission records that part as unavailable, naming the permission", async () => {
    const evidence = await collect({ forbid: ["filter=2fa_disabled", "/dependabot/alerts"] });
    expect(payload(evidence, GITHUB_EVIDENCE.members, membersEvidenceSchema).twoFactorDisabled).toEqual({
      unavailable: expect.stringMatching(/^GET \/orgs\/\{org\}\/members was refused \(HTTP 403\): it needs an organization owner's token/),
    });
    const payments = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos.find((r) => r.repository.name === "payments");
    expect(payments?.dependabotAlerts).toEqual({ unavailable: expect.stringContaining("Dependabot alerts: read") });
  });

  it("an empty organization gives empty evidence, not an error", async () => {
    const evidence = await collect({}, { ...demoGithubOrg(), members: [], outsideCollaborators: [], hooks: [], repos: [] });
    expect(payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos).toEqual([]);
  });

  it("bad credentials fail the collector with a clear message", async () => {
    server = await startFakeGithub(demoGithubOrg());
    const source = githubSourceSchema.parse({ name: "acme", org: DEMO_GITHUB_ORG, baseUrl: server.url, token: "wrong" });
    await expect(githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => new Date() })).rejects.toThrow(
      /credentials were rejected \(HTTP 401\)/,
    );
  });
});

describe("github.org collector stores what the API returned", () => {
  /** The demo organization with rights and alerts the checks must sort out themselves. */
  const varied = (): FakeGithubOrg => {
    const demo = demoGithubOrg();
    return {
      ...demo,
      outsideCollaborators: ["acme-contractor", "docs-writer"],
      repos: demo.repos.map((repo) =>
        repo.name === "infra"
          ? {
              ...repo,
              outsideCollaborators: [
                { login: "acme-contractor", admin: true },
                { login: "docs-writer", admin: false },
              ],
              alerts: [
                { number: 1, severity: "low", createdDaysAgo: 400, package: "debug" },
                { number: 2, severity: "medium", createdDaysAgo: 90, package: "minimist" },
                { number: 3, severity: "critical", createdDaysAgo: 2, package: "lodash" },
                { number: 4, severity: "critical", createdDaysAgo: 90, package: "axios", state: "fixed" },
              ],
            }
          : repo,
      ),
    };
  };

  it("each payload equals GitHub's answers: the whole organization, every member and collaborator with their rights, open alerts of every severity", async () => {
    const org = varied();
    const evidence = await collect({ pageSize: 3 }, org);
    const served = server;
    if (!served) throw new Error("no server");
    // The same calls, asked again straight from the server: a list's pages (Link rel="next") concatenated.
    const answer = async (path: string): Promise<unknown> => {
      let url: string | undefined = `${served.url}${path}`;
      const items: unknown[] = [];
      while (url) {
        const response: Response = await fetch(url, { headers: { authorization: `token ${org.token}` } });
        if (response.status === 204) return true;
        const body = (await response.json()) as unknown;
        if (!Array.isArray(body)) return body;
        items.push(...(body as unknown[]));
        url = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
      }
      return items;
    };
    const all = "per_page=100";
    const o = org.login;
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.org)?.payload).toEqual(await answer(`/orgs/${o}`));
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.members)?.payload).toEqual({
      members: await answer(`/orgs/${o}/members?${all}`),
      owners: await answer(`/orgs/${o}/members?role=admin&${all}`),
      twoFactorDisabled: await answer(`/orgs/${o}/members?filter=2fa_disabled&${all}`),
    });
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.outsideCollaborators)?.payload).toEqual({
      collaborators: await answer(`/orgs/${o}/outside_collaborators?${all}`),
    });
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.orgHooks)?.payload).toEqual({ hooks: await answer(`/orgs/${o}/hooks?${all}`) });

    const repos = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    expect(repos.map((r) => r.repository)).toEqual(await answer(`/orgs/${o}/repos?type=all&${all}`));
    const infra = repos.find((r) => r.repository.name === "infra");
    const at = `/repos/${o}/infra`;
    expect(infra).toEqual({
      repository: expect.objectContaining({ name: "infra" }),
      empty: false,
      protection: null,
      rules: await answer(`${at}/rules/branches/main?${all}`),
      hooks: await answer(`${at}/hooks?${all}`),
      deployKeys: await answer(`${at}/keys?${all}`),
      vulnerabilityAlertsEnabled: await answer(`${at}/vulnerability-alerts`),
      dependabotAlerts: await answer(`${at}/dependabot/alerts?state=open&${all}`),
      collaborators: await answer(`${at}/collaborators?affiliation=outside&${all}`),
      rulesets: [],
      environments: [],
      codeScanningAnalyses: [],
    });
    const web = repos.find((r) => r.repository.name === "web");
    expect(web?.rulesets).toEqual([await answer(`/repos/${o}/web/rulesets/42`)]);
    expect(web?.environments).toEqual(((await answer(`/repos/${o}/web/environments?${all}`)) as { environments: unknown[] }).environments);
    expect(web?.codeScanningAnalyses).toEqual(await answer(`/repos/${o}/web/code-scanning/analyses?per_page=1`));
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.actionsPolicy)?.payload).toEqual({
      permissions: await answer(`/orgs/${o}/actions/permissions`),
      workflow: await answer(`/orgs/${o}/actions/permissions/workflow`),
    });
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.installations)?.payload).toEqual({
      installations: ((await answer(`/orgs/${o}/installations?${all}`)) as { installations: unknown[] }).installations,
    });
    expect(evidence.find((e) => e.kind === GITHUB_EVIDENCE.codeScanningAlerts)?.payload).toEqual({
      alerts: await answer(`/orgs/${o}/code-scanning/alerts?state=open&${all}`),
    });
    // What the old collector left out is there: the non-admin collaborator and the low and medium alerts.
    expect(Array.isArray(infra?.collaborators) && infra.collaborators.map((c) => [c.login, c.permissions?.admin])).toEqual([
      ["acme-contractor", true],
      ["docs-writer", false],
    ]);
    expect(Array.isArray(infra?.dependabotAlerts) && infra.dependabotAlerts.map((a) => `${a.number} ${a.security_advisory?.severity ?? ""}`)).toEqual([
      "1 low",
      "2 medium",
      "3 critical",
    ]);
    // Protection objects as given (the "url" GitHub adds included), ruleset rules with their sources.
    expect(repos.find((r) => r.repository.name === "api")?.protection).toEqual(await answer(`/repos/${o}/api/branches/main/protection`));
  });

  it("makes one request per page of each org list (and two for the Actions policy), and per active repository its reads: seven as before, its environments, its latest code scanning analysis (not for an empty one) and each ruleset that applies; none for an archived one", async () => {
    const org = demoGithubOrg();
    await collect({ pageSize: 3 }, org);
    const pages = (n: number) => Math.max(1, Math.ceil(n / 3));
    const active = org.repos.filter((r) => !r.archived);
    const perRepo = (r: FakeRepo) =>
      1 + // protection (404 "Branch not found" for an empty repository)
      (r.empty ? 0 : pages(r.rules?.length ?? 0)) +
      pages(r.hooks?.length ?? 0) +
      pages(r.keys?.length ?? 0) +
      1 + // vulnerability-alerts
      pages(r.alerts?.length ?? 0) +
      pages(r.outsideCollaborators?.length ?? 0) +
      pages(r.environments?.length ?? 0) +
      (r.empty ? 0 : 1) + // latest code scanning analysis
      ((r.rules?.length ?? 0) > 0 ? 1 : 0); // the one ruleset its rules come from
    const expected =
      1 + // the organization
      pages(org.members.length) +
      pages(org.members.filter((m) => m.owner).length) +
      pages(org.members.filter((m) => !m.twoFactor).length) +
      pages(org.outsideCollaborators.length) +
      pages(org.hooks.length) +
      pages(org.repos.length) +
      2 + // Actions permissions and workflow permissions
      pages(org.installations?.length ?? 0) +
      pages(org.repos.flatMap((r) => (r.codeScanningAlerts ?? []).filter((a) => (a.state ?? "open") === "open")).length) +
      pages(org.repos.flatMap((r) => (r.secretScanningAlerts ?? []).filter((a) => (a.state ?? "open") === "open")).length) +
      active.reduce((sum, r) => sum + perRepo(r), 0);
    expect(server?.requests.length).toBe(expected);
  });

  it("never stores the secret of a secret scanning alert, though GitHub gives it in clear", async () => {
    const evidence = await collect();
    const alerts = evidence.find((e) => e.kind === GITHUB_EVIDENCE.secretScanningAlerts)?.payload as { alerts: Record<string, unknown>[] };
    expect(alerts.alerts.map((a) => [a["number"], a["secret_type"]])).toEqual([[4, "stripe_api_key"]]);
    expect(alerts.alerts.every((a) => !("secret" in a))).toBe(true);
    // The server did send it: the collector removed it before the evidence left it.
    const raw = (await (
      await fetch(`${server?.url ?? ""}/orgs/${DEMO_GITHUB_ORG}/secret-scanning/alerts?state=open`, {
        headers: { authorization: `token ${DEMO_GITHUB_TOKEN}` },
      })
    ).json()) as { secret: string }[];
    expect(raw[0]?.secret).toMatch(/LEAKED/);
    expect(JSON.stringify(evidence.map((e) => e.payload))).not.toContain(raw[0]?.secret ?? "never");
  });

  it("a refused or unlicensed feature is recorded as unavailable naming the permission or licence; no analysis is an empty list", async () => {
    const evidence = await collect({
      forbid: [
        "/code-scanning/alerts",
        "/secret-scanning/alerts",
        "/actions/permissions/workflow",
        "/installations",
        "/repos/northwind-analytics/web/environments",
        "/repos/northwind-analytics/api/code-scanning/analyses",
      ],
    });
    const of = (kind: string) => evidence.find((e) => e.kind === kind)?.payload as Record<string, unknown>;
    expect(of(GITHUB_EVIDENCE.codeScanningAlerts)["alerts"]).toEqual({
      unavailable: expect.stringMatching(/HTTP 403.*Code scanning alerts: read.*GitHub Code Security/),
    });
    expect(of(GITHUB_EVIDENCE.secretScanningAlerts)["alerts"]).toEqual({
      unavailable: expect.stringMatching(/HTTP 403.*Secret scanning alerts: read.*Secret Protection/),
    });
    expect(of(GITHUB_EVIDENCE.installations)["installations"]).toEqual({
      unavailable: expect.stringContaining("Administration: read organization permission"),
    });
    expect(of(GITHUB_EVIDENCE.actionsPolicy)).toEqual({
      permissions: expect.objectContaining({ allowed_actions: "selected" }),
      workflow: { unavailable: expect.stringContaining("GET /orgs/{org}/actions/permissions/workflow was refused (HTTP 403)") },
    });
    const repos = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    const named = (name: string) => repos.find((r) => r.repository.name === name);
    expect(named("web")?.environments).toEqual({ unavailable: expect.stringContaining("Actions: read") });
    expect(named("api")?.codeScanningAnalyses).toEqual({ unavailable: expect.stringContaining("GitHub Code Security or Advanced Security") });
    // 404 "no analysis found": never scanned, an answer rather than a refusal.
    expect(named("infra")?.codeScanningAnalyses).toEqual([]);
    expect(named("scratch")?.codeScanningAnalyses).toEqual({ unavailable: "not read: the repository is empty" });
  });

  it("waits out a rate limit on the new org-level listings too", async () => {
    await collect({ secondaryLimitOnce: "/code-scanning/alerts" });
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/code-scanning/alerts`)).map((r) => r.status)).toEqual([403, 200]);
    expect(Math.max(...waits)).toBeGreaterThan(500);
  });

  it("what the runner stores of it keeps no webhook secret or token from a hook URL", async () => {
    const evidence = await collect();
    const storedText = JSON.stringify(new Redactor([DEMO_GITHUB_TOKEN]).value(evidence.map((e) => e.payload)));
    expect(storedText).not.toContain("********");
    expect(storedText).not.toContain("token=abc");
    expect(storedText).not.toContain(DEMO_GITHUB_TOKEN);
  });
});

describe("GitHub App authentication", () => {
  it("signs a JWT with the app's private key, exchanges it for an installation token, and collects with it", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const org = { ...demoGithubOrg(), appInstallationId: 456 };
    server = await startFakeGithub(org);
    const source = githubSourceSchema.parse({ name: "acme", org: org.login, baseUrl: server.url, app: { appId: 123, installationId: 456, privateKey } });
    const evidence = await githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => new Date() });
    expect(evidence).toHaveLength(9);
    expect(server.requests[0]).toMatchObject({ path: "/app/installations/456/access_tokens", status: 201 });
  });
});
