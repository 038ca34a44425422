import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ANNEX_A } from "../../controls/annex-a.js";
import { controlCoverage } from "../../controls/mapping.js";
import { CHECKS } from "../../controls/registry.js";
import { SEVERITIES, SOURCE_TYPES } from "../../src/domain.js";

const checksDir = fileURLToPath(new URL("../../controls/checks/", import.meta.url));

function checkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return checkFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const controlIds = new Set(ANNEX_A.map((c) => c.id));

// Metadata is reviewable data: validated here, every problem reported at once.
const metadataSchema = z.object({
  id: z.string().regex(/^[a-z]+\.[a-z0-9-]+\.[a-z0-9-]+$/),
  title: z.string().min(10),
  severity: z.enum(SEVERITIES),
  sourceType: z.enum(SOURCE_TYPES),
  controls: z.array(z.object({ control: z.string().refine((id) => controlIds.has(id), "unknown Annex A id"), rationale: z.string().min(20) })).min(0),
  perFindingControls: z.boolean().optional(),
  remediation: z.string().min(20),
  requires: z.array(z.string()).min(1),
});

describe("check registry", () => {
  it("lists every file under controls/checks/, and each id is its path", () => {
    const fromFiles = checkFiles(checksDir)
      .map((file) => relative(checksDir, file).replace(/\.ts$/, "").split(/[\\/]/).join("."))
      .sort();
    expect(CHECKS.map((c) => c.id).sort()).toEqual(fromFiles);
  });

  it("ids are unique", () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it("every check's metadata is complete and maps only to Annex A ids that exist", () => {
    const problems = CHECKS.flatMap((check) => {
      const parsed = metadataSchema.safeParse(check);
      const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${check.id}: ${i.path.join(".")}: ${i.message}`);
      // Only a check whose findings carry their own mapping may list no control.
      if (check.controls.length === 0 && !check.perFindingControls) issues.push(`${check.id}: maps to no Annex A control`);
      return issues;
    });
    expect(problems).toEqual([]);
  });

  it("every check's source type matches the first part of its id", () => {
    for (const check of CHECKS) expect(check.id.split(".")[0]).toBe(check.sourceType);
  });

  it("every check's settings have defaults, so a config without `checks:` works", () => {
    for (const check of CHECKS) expect(() => check.settings.parse({})).not.toThrow();
  });
});

describe("Annex A catalog", () => {
  it("has all 93 controls: 37 organizational + 8 people + 14 physical + 34 technological", () => {
    const byTheme = (theme: string) => ANNEX_A.filter((c) => c.theme === theme).length;
    expect([byTheme("organizational"), byTheme("people"), byTheme("physical"), byTheme("technological")]).toEqual([37, 8, 14, 34]);
    expect(ANNEX_A).toHaveLength(93);
    expect(controlIds.size).toBe(93);
  });

  it("ids run A.5.1 … A.5.37, A.6.1 … A.6.8, A.7.1 … A.7.14, A.8.1 … A.8.34 with the theme of their clause", () => {
    const expected = [
      ...Array.from({ length: 37 }, (_, i) => `A.5.${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `A.6.${i + 1}`),
      ...Array.from({ length: 14 }, (_, i) => `A.7.${i + 1}`),
      ...Array.from({ length: 34 }, (_, i) => `A.8.${i + 1}`),
    ];
    expect(ANNEX_A.map((c) => c.id)).toEqual(expected);
  });

  it("ids, titles and order are exactly those of ISO/IEC 27001:2022 Table A.1 (the reference copied into test/fixtures/reference)", () => {
    const reference = readFileSync(new URL("../fixtures/reference/annex-a-2022.md", import.meta.url), "utf8");
    const rows = [...reference.matchAll(/^\| (A\.[5-8]\.\d+) \| ([^|]+?) \|/gm)].map((m) => ({ id: m[1], title: m[2] }));
    // The copy follows CISO Assistant's library, which capitalises one word the standard does not:
    // Table A.1 prints "7.6 Working in secure areas".
    const errata: Record<string, string> = { "A.7.6": "Working in secure areas" };
    const expected = rows.map((r) => ({ id: r.id, title: errata[r.id ?? ""] ?? r.title }));
    expect(expected).toHaveLength(93);
    expect(ANNEX_A.map((c) => ({ id: c.id, title: c.title }))).toEqual(expected);
  });

  it("no organizational, people or physical control is claimed fully automatable", () => {
    expect(ANNEX_A.filter((c) => c.theme !== "technological" && c.automation === "automated")).toEqual([]);
  });

  // A pinned list: a change to which checks support which control must be deliberate.
  it("maps checks to controls as pinned here", () => {
    const mapped = Object.fromEntries(
      controlCoverage()
        .filter((c) => c.checks.length > 0)
        .map((c) => [c.control.id, c.checks.map((k) => k.id)]),
    );
    expect(mapped).toEqual({
      "A.5.3": ["github.repo.last-push-approval", "github.repo.stale-reviews-dismissed", "github.org.workflows-cannot-approve"],
      "A.5.9": ["aws.config.recorder-on", "aws.config.required-tags", "azure.inventory.owner-tag"],
      "A.5.12": ["azure.inventory.owner-tag", "github.repo.public-visibility"],
      "A.5.13": ["azure.inventory.classification-label"],
      "A.5.14": ["aws.config.s3-tls-only", "aws.config.load-balancer-tls", "azure.storage.https-only", "azure.storage.min-tls-1-2", "github.org.webhooks-tls"],
      "A.5.15": [
        "aws.iam.admin-policies",
        "aws.iam.cross-account-trust",
        "aws.config.s3-public-access",
        "aws.config.iam-admin-policies",
        "aws.config.iam-user-policies",
        "github.org.default-permission",
      ],
      "A.5.16": ["aws.iam.unused-credentials", "aws.identity-center.users-known", "azure.entra.stale-users", "azure.entra.guest-access-restricted"],
      "A.5.17": [
        "aws.iam.console-user-mfa",
        "aws.iam.access-key-rotation",
        "aws.iam.password-policy",
        "aws.config.iam-mfa",
        "aws.config.secrets-rotation",
        "azure.entra.user-mfa-registered",
        "azure.entra.app-credential-expiry",
        "azure.entra.app-credential-lifetime",
        "github.org.two-factor-required",
        "github.org.members-2fa",
        "github.repo.secret-scanning",
        "github.repo.secret-scanning-alerts",
      ],
      "A.5.18": [
        "aws.iam.unused-credentials",
        "aws.config.iam-user-policies",
        "azure.entra.stale-users",
        "azure.rbac.privileged-roles-via-groups",
        "github.org.outside-collaborators",
      ],
      "A.5.19": ["aws.iam.cross-account-trust", "azure.entra.guest-access-restricted", "github.org.outside-collaborators", "github.org.app-installations"],
      "A.5.21": ["github.org.actions-allowed", "github.org.workflow-token-read-only", "github.org.app-installations"],
      "A.5.23": ["aws.organizations.scp-guardrails"],
      "A.5.24": ["azure.defender.security-contacts"],
      "A.5.25": ["aws.config.guardduty-findings"],
      "A.5.28": ["aws.config.cloudtrail-log-validation", "aws.config.s3-object-lock"],
      "A.5.30": ["aws.config.backup-plans"],
      "A.5.33": ["aws.config.s3-object-lock", "aws.config.log-retention"],
      "A.5.34": ["aws.config.macie"],
      "A.5.36": ["azure.policy.compliance"],
      "A.6.7": ["azure.entra.compliant-device-required"],
      "A.8.1": ["azure.entra.compliant-device-required", "azure.entra.device-compliant", "azure.entra.device-encrypted"],
      "A.8.2": [
        "aws.iam.root-mfa",
        "aws.iam.root-access-keys",
        "aws.iam.admin-policies",
        "aws.config.iam-admin-policies",
        "azure.entra.privileged-role-count",
        "azure.entra.privileged-role-guests",
        "azure.entra.permanent-global-admin",
        "azure.rbac.privileged-roles-via-groups",
        "azure.rbac.owner-count",
        "github.org.admin-count",
        "github.repo.deploy-keys-read-only",
      ],
      "A.8.3": [
        "aws.s3.account-public-access-block",
        "aws.config.s3-public-access",
        "aws.config.s3-account-public-access-block",
        "aws.config.rds-public-access",
        "aws.config.public-snapshots",
        "azure.storage.no-public-blob-access",
        "github.org.default-permission",
        "github.repo.public-visibility",
      ],
      "A.8.4": [
        "github.org.outside-collaborators",
        "github.org.default-permission",
        "github.repo.default-branch-protected",
        "github.repo.public-visibility",
        "github.repo.deploy-keys-read-only",
        "github.repo.admins-not-exempt",
        "github.repo.code-owner-review",
      ],
      "A.8.5": [
        "aws.iam.console-user-mfa",
        "aws.iam.root-mfa",
        "aws.config.iam-mfa",
        "aws.identity-center.user-mfa",
        "azure.entra.user-mfa-registered",
        "azure.entra.mfa-enforced",
        "azure.entra.legacy-auth-blocked",
        "github.org.two-factor-required",
        "github.org.members-2fa",
      ],
      // Vulnerability data only: enabling a posture service (Security Hub) is not vulnerability management.
      "A.8.6": ["aws.config.dynamodb-capacity"],
      "A.8.7": ["azure.defender.servers-plan", "azure.defender.storage-malware-scanning"],
      "A.8.8": [
        "aws.config.patch-compliance",
        "aws.inspector.scanning-enabled",
        "aws.inspector.findings-sla",
        "azure.defender.vulnerability-findings",
        "github.repo.dependabot",
        "github.repo.code-scanning-alerts",
      ],
      "A.8.9": ["aws.config.recorder-on", "aws.config.securityhub", "aws.config.systems-manager", "azure.policy.compliance"],
      "A.8.10": ["aws.config.s3-lifecycle"],
      "A.8.12": [
        "aws.s3.account-public-access-block",
        "aws.config.s3-public-access",
        "aws.config.s3-account-public-access-block",
        "aws.config.macie",
        "aws.config.public-snapshots",
        "azure.storage.no-public-blob-access",
        "github.repo.secret-scanning",
        "github.repo.secret-scanning-alerts",
      ],
      "A.8.13": ["aws.config.backups", "aws.config.backup-plans"],
      "A.8.14": ["aws.config.redundancy"],
      "A.8.15": [
        "aws.config.recorder-on",
        "aws.config.cloudtrail",
        "aws.config.vpc-flow-logs",
        "aws.config.cloudtrail-log-validation",
        "aws.config.s3-object-lock",
        "aws.config.log-retention",
        "aws.config.service-logging",
        "azure.monitor.activity-log-exported",
        "azure.monitor.keyvault-diagnostics",
      ],
      "A.8.16": [
        "aws.config.cloudtrail",
        "aws.config.guardduty",
        "aws.config.securityhub",
        "aws.config.vpc-flow-logs",
        "aws.config.guardduty-findings",
        "azure.defender.plans-standard",
      ],
      "A.8.19": ["aws.config.instance-software"],
      "A.8.20": [
        "aws.config.firewall-rules",
        "aws.config.rds-public-access",
        "aws.config.public-ips",
        "azure.network.nsg-admin-ports-closed",
        "azure.sql.no-public-network-access",
      ],
      "A.8.21": ["aws.config.load-balancer-tls", "aws.config.api-gateway-backend-certificate"],
      // aws.config.firewall-rules: only its findings on default security groups count here (see its metadata).
      "A.8.22": ["aws.config.firewall-rules", "aws.config.public-ips", "azure.sql.no-public-network-access"],
      // aws.config.load-balancer-tls: only its findings judged by elb-predefined-security-policy-ssl-check count here (see its metadata).
      "A.8.24": [
        "aws.config.encryption-at-rest",
        "aws.config.ebs-default-encryption",
        "aws.config.s3-tls-only",
        "aws.config.load-balancer-tls",
        "aws.config.certificate-expiry",
        "aws.config.kms-key-rotation",
        "azure.storage.https-only",
        "azure.storage.min-tls-1-2",
        "azure.keyvault.soft-delete-purge-protection",
        "azure.sql.min-tls-1-2",
        "azure.compute.disk-encryption",
        "azure.entra.device-encrypted",
        "github.org.webhooks-tls",
      ],
      "A.8.25": ["github.repo.default-branch-protected", "github.org.workflow-token-read-only", "github.org.workflows-cannot-approve"],
      "A.8.28": ["github.repo.secret-scanning", "github.repo.code-scanning-enabled", "github.repo.code-scanning-alerts"],
      "A.8.29": ["github.repo.required-status-checks", "github.repo.code-scanning-enabled"],
      "A.8.30": ["github.org.outside-collaborators"],
      "A.8.31": ["aws.organizations.environment-separation", "github.repo.production-environment-reviewers"],
      "A.8.32": [
        "github.repo.default-branch-protected",
        "github.repo.admins-not-exempt",
        "github.repo.stale-reviews-dismissed",
        "github.repo.production-environment-reviewers",
      ],
    });
  });

  it("lists manual controls too: every one of the 93 appears in the coverage, most with no check", () => {
    const coverage = controlCoverage();
    expect(coverage).toHaveLength(93);
    expect(coverage.find((c) => c.control.id === "A.6.3")?.checks).toEqual([]);
  });
});
