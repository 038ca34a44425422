import { z } from "zod";
import { defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, accessKeys, credentialReportEvidenceSchema, rootRow } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.root-access-keys",
  title: "The root user has no active access keys",
  severity: "critical",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "Privileged access rights “shall be restricted and managed”: root access keys give unrestricted, long-lived programmatic access that no IAM policy can limit.",
    },
  ],
  remediation:
    "Sign in as the root user, delete its access keys under Security credentials, and give automation an IAM role with only the permissions it needs.",
  requires: [IAM_EVIDENCE.credentialReport],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.credentialReport, credentialReportEvidenceSchema);
    const account = evidence.scope.account;
    const root = rootRow(data);
    if (!root) {
      return [
        {
          resourceId: `arn:aws:iam::${account}:root`,
          status: "error",
          reason: `The credential report of account ${account} has no root user row, so root access keys cannot be judged.`,
        },
      ];
    }
    const active = accessKeys(root).filter((key) => key.active);
    if (active.length === 0) {
      return [{ resourceId: root.arn, status: "pass", reason: `The root user of account ${account} has no active access keys.` }];
    }
    const keys = active.map((key) => `access key ${key.slot}${key.lastRotated ? ` (created ${isoDay(key.lastRotated)})` : ""}`).join(" and ");
    return [{ resourceId: root.arn, status: "fail", reason: `The root user of account ${account} has an active ${keys}.` }];
  },
});
