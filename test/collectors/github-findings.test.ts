/**
 * The GitHub collector and checks together, as a run uses them (collected through the real
 * Octokit, redacted, stored as JSON, judged): every GitHub check's findings on fixed estates,
 * pinned in test/fixtures/github-findings.json. The file was written from the collector that
 * filtered what it stored; a collector that stores raw answers and checks that filter must give
 * the same statuses and sentences.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { githubOrgCollector } from "../../collectors/github/org.js";
import { CHECKS } from "../../controls/registry.js";
import { githubSourceSchema } from "../../src/config/schema.js";
import type { FindingDraft, Scope } from "../../src/domain.js";
import { Redactor } from "../../src/engine/redact.js";
import { DEMO_GITHUB_ORG, demoGithubOrg } from "../../demo/estates/demo-github.js";
import { startFakeGithub, type FakeGithubOrg, type FakeGithubServer, type GithubFaults } from "../../demo/servers/github.js";
import { stored } from "../helpers.js";

const NOW = new Date("2026-11-01T00:00:00Z");
const EXPECTED = new URL("../fixtures/github-findings.json", import.meta.url);

let server: FakeGithubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every GitHub check's findings (status and reason per resource), keyed by check id. */
async function judge(org: FakeGithubOrg, faults: GithubFaults = {}): Promise<Record<string, Pick<FindingDraft, "resourceId" | "status" | "reason">[]>> {
  server = await startFakeGithub(org, faults, NOW);
  const source = githubSourceSchema.parse({ name: "gh", org: org.login, baseUrl: server.url, token: org.token });
  const evidence = await githubOrgCollector.collect({ source }, { signal: new AbortController().signal, now: () => NOW });
  // As the runner stores it: redacted, then JSON.
  const redactor = new Redactor([org.token]);
  const scope: Scope = { source: "gh", sourceType: "github", account: org.login, region: "global" };
  const records = evidence.map((e, i) => stored(e.kind, JSON.parse(JSON.stringify(redactor.value(e.payload))) as unknown, scope, i + 1));
  const view = { scope, get: (kind: string) => records.find((r) => r.kind === kind) };
  const out: Record<string, Pick<FindingDraft, "resourceId" | "status" | "reason">[]> = {};
  for (const check of CHECKS.filter((c) => c.sourceType === "github")) {
    out[check.id] = check.evaluate({ evidence: view, now: NOW, settings: {} }).map(({ resourceId, status, reason }) => ({ resourceId, status, reason }));
  }
  return out;
}

/** The demo organization with more to judge: non-admin outside collaborators, alerts of every severity, rulesets as GitHub documents them. */
function variedOrg(): FakeGithubOrg {
  const demo = demoGithubOrg();
  return {
    ...demo,
    outsideCollaborators: ["acme-contractor", "docs-writer", "auditor-ro"],
    repos: demo.repos.map((repo) => {
      if (repo.name === "infra")
        return {
          ...repo,
          outsideCollaborators: [
            { login: "acme-contractor", admin: true },
            { login: "docs-writer", admin: false },
          ],
        };
      if (repo.name === "ml-models") return { ...repo, alerts: [{ number: 8, severity: "low", createdDaysAgo: 90, package: "chalk" }] };
      if (repo.name === "web")
        return {
          ...repo,
          outsideCollaborators: [
            { login: "docs-writer", admin: false },
            { login: "auditor-ro", admin: false },
          ],
        };
      if (repo.name === "api") {
        return {
          ...repo,
          alerts: [
            { number: 1, severity: "high", createdDaysAgo: 10, package: "express" },
            { number: 2, severity: "critical", createdDaysAgo: 16, package: "jsonwebtoken" },
            { number: 3, severity: "medium", createdDaysAgo: 400, package: "minimist" },
            { number: 4, severity: "low", createdDaysAgo: 400, package: "debug" },
            { number: 5, severity: "critical", createdDaysAgo: 90, package: "lodash", state: "fixed" },
          ],
        };
      }
      return repo;
    }),
  };
}

const org = DEMO_GITHUB_ORG;
const ESTATES: Record<string, () => Promise<Awaited<ReturnType<typeof judge>>>> = {
  demo: () => judge(demoGithubOrg()),
  varied: () => judge(variedOrg()),
  "parts refused": () =>
    judge(variedOrg(), {
      forbid: [
        "filter=2fa_disabled",
        "role=admin",
        `/orgs/${org}/hooks`,
        `/repos/${org}/web/collaborators`,
        `/repos/${org}/tools/keys`,
        `/repos/${org}/status-page/hooks`,
        `/repos/${org}/infra/branches/main/protection`,
        `/repos/${org}/web/rules/`,
        `/repos/${org}/payments/dependabot/alerts`,
        `/repos/${org}/data-pipeline/vulnerability-alerts`,
      ],
    }),
  "outside collaborators refused": () => judge(variedOrg(), { forbid: ["/outside_collaborators"] }),
};

describe("GitHub findings on fixed estates (collector + checks, as a run stores and judges them)", () => {
  it("every GitHub check gives the pinned statuses and sentences", async () => {
    const actual: Record<string, unknown> = {};
    for (const [name, run] of Object.entries(ESTATES)) {
      actual[name] = await run();
      await server?.close();
      server = undefined;
    }
    if (process.env["UPDATE_GITHUB_FINDINGS"] === "1") writeFileSync(EXPECTED, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(EXPECTED, "utf8")));
  });
});
