import { afterEach, describe, expect, it } from "vitest";
import { githubOrgCollector } from "../../collectors/github/org.js";
import { githubSourceSchema } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import { GITHUB_EVIDENCE, membersEvidenceSchema, reposEvidenceSchema } from "../../src/evidence/github.js";
import { DEMO_GITHUB_ORG, demoGithubOrg } from "../../demo/estates/demo-github.js";
import { startFakeGithub, type FakeGithubOrg, type FakeGithubServer, type GithubFaults } from "../../demo/servers/github.js";

let server: FakeGithubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(faults: GithubFaults = {}, org: FakeGithubOrg = demoGithubOrg(), extra: Record<string, unknown> = {}) {
  server = await startFakeGithub(org, faults);
  const source = githubSourceSchema.parse({ name: "acme", org: org.login, baseUrl: server.url, token: org.token, ...extra });
  return githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => new Date() });
}
const payload = <T>(evidence: { kind: string; payload: unknown }[], kind: string, schema: { parse(v: unknown): T }) => schema.parse(evidence.find((e) => e.kind === kind)?.payload);

describe("github.org collector (real Octokit against the loopback REST server)", () => {
  it("follows Link-header pagination across several pages for members and repositories", async () => {
    const evidence = await collect({ pageSize: 3 });
    const members = payload(evidence, GITHUB_EVIDENCE.members, membersEvidenceSchema);
    expect(members.members).toHaveLength(10);
    expect(members.twoFactorDisabled).toEqual(["ivan-nw", "peter-nw"]);
    expect(members.owners).toEqual(["alice-nw", "dave-nw"]);
    const repos = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    expect(repos.map((r) => r.name)).toHaveLength(12);
    // 10 members at 3 a page: 4 pages; 12 repos: 4 pages.
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/members?`) && !r.path.includes("filter") && !r.path.includes("role")).length).toBe(4);
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/repos`)).length).toBe(4);
  });

  it("records an empty repository, an unprotected branch and an archived repository as they are", async () => {
    const repos = payload(await collect(), GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos;
    expect(repos.find((r) => r.name === "scratch")).toMatchObject({ empty: true, protection: null });
    expect(repos.find((r) => r.name === "infra")).toMatchObject({ empty: false, protection: null });
    expect(repos.find((r) => r.name === "legacy-app")).toMatchObject({ archived: true, protection: { unavailable: "not read: the repository is archived" } });
    expect(repos.find((r) => r.name === "web")?.rules).toHaveLength(3);
    // No per-repository calls for the archived one.
    expect(server?.requests.some((r) => r.path.startsWith(`/repos/${DEMO_GITHUB_ORG}/legacy-app/`))).toBe(false);
  });

  it("waits out a primary rate limit until its reset, then goes on", async () => {
    const started = Date.now();
    const evidence = await collect({ primaryLimitOnce: "/outside_collaborators" });
    expect(evidence).toHaveLength(5);
    expect(server?.requests.filter((r) => r.path.includes("/outside_collaborators")).map((r) => r.status)).toEqual([403, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it("waits out a secondary rate limit with retry-after, then goes on", async () => {
    await collect({ secondaryLimitOnce: "/hooks" });
    expect(server?.requests.filter((r) => r.path.startsWith(`/orgs/${DEMO_GITHUB_ORG}/hooks`)).map((r) => r.status)).toEqual([403, 200]);
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
    const payments = payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos.find((r) => r.name === "payments");
    expect(payments?.openDependabotAlerts).toEqual({ unavailable: expect.stringContaining("Dependabot alerts: read") });
  });

  it("an empty organization gives empty evidence, not an error", async () => {
    const evidence = await collect({}, { ...demoGithubOrg(), members: [], outsideCollaborators: [], hooks: [], repos: [] });
    expect(payload(evidence, GITHUB_EVIDENCE.repos, reposEvidenceSchema).repos).toEqual([]);
  });

  it("bad credentials fail the collector with a clear message", async () => {
    server = await startFakeGithub(demoGithubOrg());
    const source = githubSourceSchema.parse({ name: "acme", org: DEMO_GITHUB_ORG, baseUrl: server.url, token: "wrong" });
    await expect(githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => new Date() })).rejects.toThrow(/credentials were rejected \(HTTP 401\)/);
  });
});

describe("GitHub App authentication", () => {
  it("signs a JWT with the app's private key, exchanges it for an installation token, and collects with it", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const org = { ...demoGithubOrg(), appInstallationId: 456 };
    server = await startFakeGithub(org);
    const source = githubSourceSchema.parse({ name: "acme", org: org.login, baseUrl: server.url, app: { appId: 123, installationId: 456, privateKey } });
    const evidence = await githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => new Date() });
    expect(evidence).toHaveLength(5);
    expect(server.requests[0]).toMatchObject({ path: "/app/installations/456/access_tokens", status: 201 });
  });
});
