/**
 * Values the evidence schemas let through but the vendors never send: each was a `pass` before
 * (found by test/controls/checks.properties.test.ts) and is now an `error` or a `fail` that says why.
 */
import { describe, expect, it } from "vitest";
import storageTls from "../../../controls/checks/azure/storage/min-tls-1-2.js";
import sqlTls from "../../../controls/checks/azure/sql/min-tls-1-2.js";
import nsgAdminPorts from "../../../controls/checks/azure/network/nsg-admin-ports-closed.js";
import webhooksTls from "../../../controls/checks/github/org/webhooks-tls.js";
import protectedBranch from "../../../controls/checks/github/repo/default-branch-protected.js";
import dependabot from "../../../controls/checks/github/repo/dependabot.js";
import publicVisibility from "../../../controls/checks/github/repo/public-visibility.js";
import type { Check, StoredEvidence } from "../../../src/domain.js";
import { AZURE_EVIDENCE } from "../../../src/evidence/azure.js";
import { GITHUB_EVIDENCE, type RepoEvidence } from "../../../src/evidence/github.js";
import { stored } from "../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const github = { source: "gh", sourceType: "github" as const, account: "acme", region: "global" };
const azure = { source: "az", sourceType: "azure" as const, account: "00000000-0000-0000-0000-000000000000", region: "global" };
const run = (check: Check, evidence: StoredEvidence[]) =>
  check
    .evaluate({ evidence: { scope: evidence[0]?.sourceType === "azure" ? azure : github, get: (k) => evidence.find((e) => e.kind === k) }, now, settings: {} })
    .map(({ status, reason }) => ({ status, reason }));

// A repository as the collector stores it (GitHub's answers); `visibility` goes into the listing.
const repo = ({ visibility = "private", ...overrides }: Partial<RepoEvidence> & { visibility?: string }): RepoEvidence => ({
  repository: { name: "r", archived: false, visibility, private: visibility !== "public", default_branch: "main" },
  empty: false,
  protection: null,
  rules: [],
  hooks: [],
  deployKeys: [],
  vulnerabilityAlertsEnabled: true,
  dependabotAlerts: [],
  collaborators: [],
  ...overrides,
});
const repos = (...list: RepoEvidence[]) => [stored(GITHUB_EVIDENCE.repos, { repos: list }, github)];
const arm = (kind: string, type: string, properties: Record<string, unknown>) => [
  stored(
    kind,
    { resources: [{ id: `/subscriptions/${azure.account}/resourceGroups/rg/providers/${type}/x`, name: "x", type, location: "westeurope", properties }] },
    azure,
  ),
];

describe("checks on values the vendor does not document", () => {
  it("dependabot: a critical alert whose creation date cannot be read, or of an unknown severity, is an error; an overdue one still fails", () => {
    // A Dependabot alert as GitHub gives it, with its severity and creation date set per case.
    const raw = ({ number = 3, severity = "critical", createdAt = "2026-10-30T00:00:00Z" }: { number?: number; severity?: string; createdAt?: string }) => ({
      number,
      state: "open",
      created_at: createdAt,
      security_advisory: { severity },
      dependency: { package: { ecosystem: "npm", name: "lodash" } },
    });
    expect(run(dependabot, repos(repo({ dependabotAlerts: [raw({ createdAt: "yesterday" })] })))).toEqual([
      {
        status: "error",
        reason: 'Repository acme/r has Dependabot alerts whose severity or creation date cannot be read: #3 (severity "critical", created "yesterday").',
      },
    ]);
    // A severity GitHub does not document (or none, read as "unknown") is not evidence of a low one.
    expect(run(dependabot, repos(repo({ dependabotAlerts: [raw({ severity: "unknown" })] })))).toEqual([
      {
        status: "error",
        reason:
          'Repository acme/r has Dependabot alerts whose severity or creation date cannot be read: #3 (severity "unknown", created "2026-10-30T00:00:00Z").',
      },
    ]);
    // Case does not hide a critical alert; a low one has no SLA, so its date does not matter.
    expect(
      run(
        dependabot,
        repos(
          repo({ dependabotAlerts: [raw({ severity: "CRITICAL", createdAt: "2026-09-01T00:00:00Z" }), raw({ number: 4, severity: "low", createdAt: "n/a" })] }),
        ),
      ),
    ).toEqual([{ status: "fail", reason: "Repository acme/r has Dependabot alerts past their SLA: #3 CRITICAL in lodash open since 2026-09-01." }]);
  });

  it("default-branch-protected: a ruleset whose approval count is not a whole number is an error, not a pass", () => {
    const rules = (count: unknown) => [
      { type: "pull_request", parameters: { required_approving_review_count: count } },
      { type: "non_fast_forward" },
      { type: "deletion" },
    ];
    expect(run(protectedBranch, repos(repo({ rules: rules("2") })))).toEqual([
      { status: "error", reason: 'The default branch main of acme/r has a pull request ruleset whose required approvals cannot be read ("2").' },
    ]);
    expect(run(protectedBranch, repos(repo({ rules: rules(1.5) })))[0]?.status).toBe("error");
    expect(run(protectedBranch, repos(repo({ rules: rules(1) })))[0]?.status).toBe("pass");
  });

  it("public-visibility: a visibility GitHub does not document is an error", () => {
    expect(run(publicVisibility, repos(repo({ visibility: "Private " })))).toEqual([
      { status: "error", reason: 'Repository acme/r has a visibility GitHub does not document ("Private "), so it cannot be judged.' },
    ]);
    expect(run(publicVisibility, repos(repo({ visibility: "internal" })))).toEqual([{ status: "pass", reason: "Repository acme/r is internal." }]);
  });

  it("webhooks-tls: an insecure_ssl other than 0 or 1 is an error naming the hook, not 'verifies SSL certificates'", () => {
    const hooks = (insecure_ssl: string | number) => [
      stored(GITHUB_EVIDENCE.orgHooks, { hooks: [{ id: 7, config: { url: "https://hooks.example.com/x?token=secret", insecure_ssl } }] }, github),
      ...repos(),
    ];
    expect(run(webhooksTls, hooks("yes"))).toEqual([
      {
        status: "error",
        reason: 'Webhook 7 of acme to hooks.example.com has an insecure_ssl setting GitHub does not document ("yes"), so it cannot be judged.',
      },
    ]);
    expect(run(webhooksTls, hooks(0))).toEqual([{ status: "pass", reason: "Webhook 7 of acme to hooks.example.com verifies SSL certificates." }]);
    expect(run(webhooksTls, hooks(1))[0]?.status).toBe("fail");
  });

  it("Azure TLS minimums: only a whole version as Azure writes it counts; SSL3_0 is not TLS 1.2 or later", () => {
    expect(run(storageTls, arm(AZURE_EVIDENCE.storageAccounts, "Microsoft.Storage/storageAccounts", { minimumTlsVersion: "SSL3_0" }))).toEqual([
      { status: "fail", reason: 'Storage account rg/x has a minimum TLS version that cannot be read ("SSL3_0").' },
    ]);
    expect(run(storageTls, arm(AZURE_EVIDENCE.storageAccounts, "Microsoft.Storage/storageAccounts", {}))[0]?.reason).toBe(
      "Storage account rg/x has no minimum TLS version set, so TLS 1.0 is accepted.",
    );
    expect(run(storageTls, arm(AZURE_EVIDENCE.storageAccounts, "Microsoft.Storage/storageAccounts", { minimumTlsVersion: "TLS1_3" }))[0]?.status).toBe("pass");
    expect(run(sqlTls, arm(AZURE_EVIDENCE.sqlServers, "Microsoft.Sql/servers", { minimalTlsVersion: "1.2 or 1.0" }))).toEqual([
      { status: "fail", reason: 'SQL server rg/x has a minimal TLS version that cannot be read ("1.2 or 1.0").' },
    ]);
    expect(run(sqlTls, arm(AZURE_EVIDENCE.sqlServers, "Microsoft.Sql/servers", { minimalTlsVersion: "None" }))[0]?.reason).toBe(
      "SQL server rg/x has no minimal TLS version set.",
    );
  });

  it("NSG: a rule whose access or direction is neither documented value makes the group an error, not a pass", () => {
    const nsg = (access: string, direction: string) =>
      arm(AZURE_EVIDENCE.networkSecurityGroups, "Microsoft.Network/networkSecurityGroups", {
        securityRules: [{ name: "ssh", properties: { access, direction, protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "22" } }],
      });
    const unexpected = [{ status: "error", reason: "Network security group rg/x has security rules in an unexpected shape, so they cannot be judged." }];
    expect(run(nsgAdminPorts, nsg("Allow ", "Inbound"))).toEqual(unexpected);
    expect(run(nsgAdminPorts, nsg("Allow", "in"))).toEqual(unexpected);
    expect(run(nsgAdminPorts, nsg("allow", "inbound"))[0]?.status).toBe("fail");
  });
});
