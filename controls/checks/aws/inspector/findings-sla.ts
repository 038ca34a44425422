import { z } from "zod";
import { daysBetween, defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import type { FindingDraft } from "../../../../src/domain.js";
import { FINDINGS_FILTER, INSPECTOR_EVIDENCE, findingsEvidenceSchema, type InspectorFinding } from "../../../../src/evidence/aws-inspector.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** What the Inspector API documents; anything else could be a critical finding in disguise. */
const SEVERITIES = new Set(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"]);
const STATUSES = new Set(["ACTIVE", "SUPPRESSED", "CLOSED"]);
const NOUNS: Record<string, string> = {
  AWS_EC2_INSTANCE: "EC2 instance",
  AWS_ECR_CONTAINER_IMAGE: "ECR image",
  AWS_ECR_REPOSITORY: "ECR repository",
  AWS_LAMBDA_FUNCTION: "Lambda function",
};

export default defineCheck({
  id: "aws.inspector.findings-sla",
  title: "Amazon Inspector's critical and high findings are fixed within their SLA",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.8",
      rationale:
        "“… exposure to such vulnerabilities evaluated and appropriate measures taken”: no active critical or high Inspector finding older than its deadline shows measures are taken in time. It does not cover resources Inspector does not scan.",
    },
  ],
  remediation:
    "Patch or rebuild each listed resource (Inspector names the fixed package version), or suppress the finding with a recorded reason when the risk is accepted.",
  requires: [INSPECTOR_EVIDENCE.findings],
  settings: z
    .object({
      criticalSlaDays: z.number().int().min(0).default(15).describe("Days a critical finding may stay active."),
      highSlaDays: z.number().int().min(0).default(30).describe("Days a high finding may stay active."),
    })
    .strict(),
  evaluate({ evidence, settings, now }) {
    const { data } = readEvidence(evidence, INSPECTOR_EVIDENCE.findings, findingsEvidenceSchema);
    const { account, region } = evidence.scope;
    const where = `region ${region} of account ${account}`;
    const regionId = `arn:aws:inspector2:${region}:${account}`;
    if (data.notListed) {
      return [
        {
          resourceId: regionId,
          status: "not_applicable",
          reason: `Amazon Inspector is not enabled in ${where}, so it has no findings to hold to an SLA.`,
        },
      ];
    }
    // A list asked for with another filter could leave out the very findings this judges.
    const { filter } = data;
    const asked =
      filter.awsAccountId === account &&
      filter.findingStatus.join() === FINDINGS_FILTER.findingStatus.join() &&
      FINDINGS_FILTER.severity.every((s) => filter.severity.includes(s));
    if (!asked) {
      return [
        { resourceId: regionId, status: "error", reason: `Amazon Inspector's findings in ${where} were listed with another filter, so they cannot be judged.` },
      ];
    }
    const slaOf = (severity: string) => (severity === "CRITICAL" ? settings.criticalSlaDays : severity === "HIGH" ? settings.highSlaDays : undefined);
    const byResource = new Map<string, { type: string | null; findings: InspectorFinding[] }>();
    for (const finding of data.findings) {
      const documented = SEVERITIES.has(finding.severity) && STATUSES.has(finding.status);
      if (documented && (finding.status !== "ACTIVE" || slaOf(finding.severity) === undefined)) continue;
      const resource = finding.resources[0] ?? { type: null, id: finding.findingArn };
      const entry = byResource.get(resource.id) ?? { type: resource.type, findings: [] };
      entry.findings.push(finding);
      byResource.set(resource.id, entry);
    }
    if (byResource.size === 0) {
      return [{ resourceId: regionId, status: "pass", reason: `Amazon Inspector reports no active critical or high finding in ${where}.` }];
    }
    return [...byResource].map(([id, { type, findings }]): FindingDraft => {
      const name = `${(type && NOUNS[type]) ?? type ?? "Resource"} ${id}`;
      const label = (f: InspectorFinding) => f.vulnerabilityId ?? f.title ?? f.findingArn;
      const unreadable = findings.filter(
        (f) =>
          !SEVERITIES.has(f.severity) ||
          !STATUSES.has(f.status) ||
          !f.firstObservedAt ||
          !ISO_DATE.test(f.firstObservedAt) ||
          Number.isNaN(Date.parse(f.firstObservedAt)),
      );
      const overdue = findings.filter((f) => !unreadable.includes(f) && daysBetween(new Date(f.firstObservedAt ?? ""), now) > (slaOf(f.severity) ?? Infinity));
      if (overdue.length > 0) {
        const list = overdue.map((f) => `${label(f)} ${f.severity.toLowerCase()} since ${isoDay(new Date(f.firstObservedAt ?? ""))}`).join(", ");
        return { resourceId: id, status: "fail", reason: `${name} in ${where} has Amazon Inspector findings past their SLA: ${list}.` };
      }
      if (unreadable.length > 0) {
        const list = unreadable
          .map(
            (f) =>
              `${label(f)} (severity ${JSON.stringify(f.severity)}, status ${JSON.stringify(f.status)}, first observed ${JSON.stringify(f.firstObservedAt)})`,
          )
          .join(", ");
        return {
          resourceId: id,
          status: "error",
          reason: `${name} in ${where} has Amazon Inspector findings whose severity, status or age cannot be read: ${list}.`,
        };
      }
      return {
        resourceId: id,
        status: "pass",
        reason: `${name} in ${where} has ${findings.length} active critical or high ${findings.length === 1 ? "finding" : "findings"}, none past its SLA.`,
      };
    });
  },
});
