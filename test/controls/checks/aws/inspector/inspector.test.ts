import { describe, expect, it } from "vitest";
import findingsSla from "../../../../../controls/checks/aws/inspector/findings-sla.js";
import scanningEnabled from "../../../../../controls/checks/aws/inspector/scanning-enabled.js";
import type { Check, StoredEvidence } from "../../../../../src/domain.js";
import { INSPECTOR_EVIDENCE, INSPECTOR_NOT_ENABLED, type InspectorFinding } from "../../../../../src/evidence/aws-inspector.js";
import { ACCOUNT, SCOPE, stored, view } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const scope = { ...SCOPE, region: "eu-west-1" };
const run = (check: Check, records: StoredEvidence[], settings: unknown = {}) => check.evaluate({ evidence: view(records, scope), now, settings });
const on = { status: "ENABLED", errorCode: null, errorMessage: null };
const off = { status: "DISABLED", errorCode: null, errorMessage: null };
const status = (resourceState: Record<string, typeof on>, failedAccounts: unknown[] = []) => [
  stored(
    INSPECTOR_EVIDENCE.accountStatus,
    { accounts: failedAccounts.length ? [] : [{ accountId: ACCOUNT, state: on, resourceState }], failedAccounts },
    scope,
  ),
];
const filter = { awsAccountId: ACCOUNT, findingStatus: ["ACTIVE"], severity: ["CRITICAL", "HIGH"] };
const finding = (id: string, severity: string, firstObservedAt: string, resource = "i-0123456789abcdef0"): InspectorFinding => ({
  findingArn: `arn:aws:inspector2:eu-west-1:${ACCOUNT}:finding/${id}`,
  severity,
  status: "ACTIVE",
  type: "PACKAGE_VULNERABILITY",
  title: `${id} - openssl`,
  vulnerabilityId: id,
  firstObservedAt,
  lastObservedAt: "2026-10-31T00:00:00.000Z",
  fixAvailable: "YES",
  resources: [{ type: "AWS_EC2_INSTANCE", id: resource }],
});
const findings = (list: InspectorFinding[], extra: Record<string, unknown> = {}) => [
  stored(INSPECTOR_EVIDENCE.findings, { filter, findings: list, ...extra }, scope),
];

describe("aws.inspector.scanning-enabled", () => {
  it("compliant: EC2, ECR and Lambda scanning on", () => {
    expect(run(scanningEnabled, status({ ec2: on, ecr: on, lambda: on }))).toEqual([
      {
        resourceId: `arn:aws:inspector2:eu-west-1:${ACCOUNT}`,
        status: "pass",
        reason: `Amazon Inspector scans ec2, ecr, lambda in region eu-west-1 of account ${ACCOUNT}.`,
      },
    ]);
  });

  it("non-compliant: ECR and Lambda scanning off (or Inspector off altogether)", () => {
    expect(run(scanningEnabled, status({ ec2: on, ecr: off, lambda: off }))).toEqual([
      {
        resourceId: `arn:aws:inspector2:eu-west-1:${ACCOUNT}`,
        status: "fail",
        reason: `Amazon Inspector does not scan ecr (DISABLED), lambda (DISABLED) in region eu-west-1 of account ${ACCOUNT}.`,
      },
    ]);
    // requiredScans narrows what must be on.
    expect(run(scanningEnabled, status({ ec2: on, ecr: off, lambda: off }), { requiredScans: ["ec2"] })[0]?.status).toBe("pass");
  });

  it("an account AWS did not report, or a scan type it did not report, is an error", () => {
    const failed = run(scanningEnabled, status({}, [{ accountId: ACCOUNT, errorCode: "ACCESS_DENIED", errorMessage: "no access" }]));
    expect(failed).toEqual([
      {
        resourceId: `arn:aws:inspector2:eu-west-1:${ACCOUNT}`,
        status: "error",
        reason: `Amazon Inspector did not report its status for region eu-west-1 of account ${ACCOUNT}: ACCESS_DENIED (no access).`,
      },
    ]);
    expect(run(scanningEnabled, status({ ec2: on, ecr: on }))[0]?.status).toBe("error");
  });

  it("maps to A.8.8 only", () => {
    expect(scanningEnabled.controls.map((c) => c.control)).toEqual(["A.8.8"]);
  });
});

describe("aws.inspector.findings-sla", () => {
  it("compliant: no active critical or high finding; or findings within their SLA", () => {
    expect(run(findingsSla, findings([]))).toEqual([
      {
        resourceId: `arn:aws:inspector2:eu-west-1:${ACCOUNT}`,
        status: "pass",
        reason: `Amazon Inspector reports no active critical or high finding in region eu-west-1 of account ${ACCOUNT}.`,
      },
    ]);
    expect(
      run(findingsSla, findings([finding("CVE-2026-1", "CRITICAL", "2026-10-20T00:00:00.000Z"), finding("CVE-2026-2", "HIGH", "2026-10-05T00:00:00.000Z")])),
    ).toEqual([
      {
        resourceId: "i-0123456789abcdef0",
        status: "pass",
        reason: `EC2 instance i-0123456789abcdef0 in region eu-west-1 of account ${ACCOUNT} has 2 active critical or high findings, none past its SLA.`,
      },
    ]);
  });

  it("non-compliant: a critical finding older than 15 days, per resource; the SLA is a setting", () => {
    const list = [finding("CVE-2024-6387", "CRITICAL", "2026-09-22T00:00:00.000Z"), finding("CVE-2026-2", "HIGH", "2026-10-25T00:00:00.000Z", "i-0fff")];
    expect(run(findingsSla, findings(list))).toEqual([
      {
        resourceId: "i-0123456789abcdef0",
        status: "fail",
        reason: `EC2 instance i-0123456789abcdef0 in region eu-west-1 of account ${ACCOUNT} has Amazon Inspector findings past their SLA: CVE-2024-6387 critical since 2026-09-22.`,
      },
      {
        resourceId: "i-0fff",
        status: "pass",
        reason: `EC2 instance i-0fff in region eu-west-1 of account ${ACCOUNT} has 1 active critical or high finding, none past its SLA.`,
      },
    ]);
    expect(run(findingsSla, findings(list), { highSlaDays: 3 }).map((f) => f.status)).toEqual(["fail", "fail"]);
  });

  it("not applicable where Inspector is off; an error for a list asked with another filter, or a finding whose age cannot be read", () => {
    expect(run(findingsSla, findings([], { notListed: INSPECTOR_NOT_ENABLED }))).toEqual([
      {
        resourceId: `arn:aws:inspector2:eu-west-1:${ACCOUNT}`,
        status: "not_applicable",
        reason: `Amazon Inspector is not enabled in region eu-west-1 of account ${ACCOUNT}, so it has no findings to hold to an SLA.`,
      },
    ]);
    const other = [stored(INSPECTOR_EVIDENCE.findings, { filter: { ...filter, severity: ["CRITICAL"] }, findings: [] }, scope)];
    expect(run(findingsSla, other)[0]?.status).toBe("error");
    expect(run(findingsSla, findings([finding("CVE-2026-3", "HIGH", "last week")]))[0]?.status).toBe("error");
  });
});
