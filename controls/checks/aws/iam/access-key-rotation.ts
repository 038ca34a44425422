import { z } from "zod";
import { daysBetween, defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import type { FindingDraft } from "../../../../src/domain.js";
import { IAM_EVIDENCE, accessKeys, credentialReportEvidenceSchema, iamUsers } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.access-key-rotation",
  title: "Active access keys are rotated within the allowed age",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "Authentication information must be “controlled by a management process”: rotating long-lived access keys limits how long a leaked one stays useful.",
    },
  ],
  remediation:
    "Create a new access key for the user, move its consumers to it, then deactivate and delete the old key; better, replace long-lived keys with IAM roles or IAM Identity Center.",
  requires: [IAM_EVIDENCE.credentialReport],
  settings: z.object({ maxAgeDays: z.number().int().positive().default(90).describe("Oldest an active access key may be, in days.") }).strict(),
  evaluate({ evidence, now, settings }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.credentialReport, credentialReportEvidenceSchema);
    const findings: FindingDraft[] = [];
    for (const user of iamUsers(data)) {
      for (const key of accessKeys(user)) {
        if (!key.active) continue;
        const resourceId = `${user.arn}/access-key-${key.slot}`;
        if (!key.lastRotated) {
          findings.push({
            resourceId,
            status: "error",
            reason: `Access key ${key.slot} of user ${user.user} is active but the report gives no creation date.`,
          });
          continue;
        }
        const age = daysBetween(key.lastRotated, now);
        findings.push(
          age > settings.maxAgeDays
            ? {
                resourceId,
                status: "fail",
                reason: `Access key ${key.slot} of user ${user.user} was last rotated on ${isoDay(key.lastRotated)}, ${age} days ago (limit ${settings.maxAgeDays}).`,
              }
            : {
                resourceId,
                status: "pass",
                reason: `Access key ${key.slot} of user ${user.user} was last rotated on ${isoDay(key.lastRotated)}, ${age} days ago (limit ${settings.maxAgeDays}).`,
              },
        );
      }
    }
    if (findings.length === 0) {
      return [
        {
          resourceId: `arn:aws:iam::${evidence.scope.account}:root`,
          status: "not_applicable",
          reason: `No IAM user of account ${evidence.scope.account} has an active access key.`,
        },
      ];
    }
    return findings;
  },
});
