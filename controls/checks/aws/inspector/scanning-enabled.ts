import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { INSPECTOR_EVIDENCE, accountStatusEvidenceSchema } from "../../../../src/evidence/aws-inspector.js";

/** The statuses the Inspector API documents for an account and each scan type. */
const STATUSES = new Set(["ENABLED", "ENABLING", "DISABLED", "DISABLING", "SUSPENDED", "SUSPENDING"]);

export default defineCheck({
  id: "aws.inspector.scanning-enabled",
  title: "Amazon Inspector scans EC2 instances, container images and Lambda functions",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.8",
      rationale:
        "“Information about technical vulnerabilities of information systems in use shall be obtained”: Inspector scanning obtains it for the account's instances, images and functions in the region. It does not show that the findings are acted on (aws.inspector.findings-sla does).",
    },
  ],
  remediation:
    "Enable Amazon Inspector for EC2, ECR and Lambda scanning in every region in scope, preferably for the whole organisation from its delegated administrator account.",
  requires: [INSPECTOR_EVIDENCE.accountStatus],
  settings: z
    .object({
      requiredScans: z
        .array(z.enum(["ec2", "ecr", "lambda", "lambdaCode"]))
        .min(1)
        .default(["ec2", "ecr", "lambda"])
        .describe("Scan types that must be ENABLED."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, INSPECTOR_EVIDENCE.accountStatus, accountStatusEvidenceSchema);
    const { account, region } = evidence.scope;
    const resourceId = `arn:aws:inspector2:${region}:${account}`;
    const where = `region ${region} of account ${account}`;
    const own = data.accounts.find((a) => a.accountId === account);
    if (!own) {
      const failed = data.failedAccounts.find((a) => a.accountId === account);
      const why = failed ? `: ${failed.errorCode ?? "no error code"}${failed.errorMessage ? ` (${failed.errorMessage})` : ""}` : "";
      return [{ resourceId, status: "error", reason: `Amazon Inspector did not report its status for ${where}${why}.` }];
    }
    const states = settings.requiredScans.map((type) => ({ type, status: own.resourceState[type]?.status ?? null }));
    const unknown = states.filter((s) => s.status === null || !STATUSES.has(s.status));
    const off = states.filter((s) => s.status !== null && STATUSES.has(s.status) && s.status !== "ENABLED");
    if (off.length > 0) {
      return [
        {
          resourceId,
          status: "fail",
          reason: `Amazon Inspector does not scan ${off.map((s) => `${s.type} (${s.status ?? ""})`).join(", ")} in ${where}.`,
        },
      ];
    }
    if (unknown.length > 0) {
      return [
        {
          resourceId,
          status: "error",
          reason: `Amazon Inspector's status for ${unknown.map((s) => `${s.type} (${JSON.stringify(s.status)})`).join(", ")} in ${where} cannot be read.`,
        },
      ];
    }
    return [{ resourceId, status: "pass", reason: `Amazon Inspector scans ${settings.requiredScans.join(", ")} in ${where}.` }];
  },
});
