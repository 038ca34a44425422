import { z } from "zod";
import { daysBetween, defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, accessKeys, credentialReportEvidenceSchema, iamUsers, reportDate } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.unused-credentials",
  title: "No password or access key is left unused beyond the allowed period",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.18",
      rationale: "Access rights must be “reviewed, modified and removed”: a credential nobody uses is a right that review should have removed.",
    },
    {
      control: "A.5.16",
      rationale:
        "“The full life cycle of identities shall be managed”: a user whose credentials lie unused is an identity left behind when its holder moved on.",
    },
  ],
  remediation:
    "Confirm with the user's manager whether the access is still needed; if not, remove the console password and deactivate the access keys (or delete the user).",
  requires: [IAM_EVIDENCE.credentialReport],
  settings: z.object({ maxUnusedDays: z.number().int().positive().default(90).describe("Longest a password or active key may go unused, in days.") }).strict(),
  evaluate({ evidence, now, settings }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.credentialReport, credentialReportEvidenceSchema);
    const limit = settings.maxUnusedDays;
    return iamUsers(data).map((user) => {
      const stale: string[] = [];
      let credentials = 0;
      if (user.password_enabled === "true") {
        credentials++;
        const lastUsed = reportDate(user.password_last_used);
        // A password never used counts from when it was set: a new user is not stale on day one.
        const since = lastUsed ?? reportDate(user.password_last_changed) ?? reportDate(user.user_creation_time);
        if (since && daysBetween(since, now) > limit) {
          stale.push(
            lastUsed
              ? `the console password was last used on ${isoDay(lastUsed)} (${daysBetween(lastUsed, now)} days ago)`
              : `the console password has not been used since it was set on ${isoDay(since)} (${daysBetween(since, now)} days ago)`,
          );
        }
      }
      for (const key of accessKeys(user)) {
        if (!key.active) continue;
        credentials++;
        const since = key.lastUsed ?? key.lastRotated;
        if (since && daysBetween(since, now) > limit) {
          stale.push(
            key.lastUsed
              ? `access key ${key.slot} was last used on ${isoDay(key.lastUsed)} (${daysBetween(key.lastUsed, now)} days ago)`
              : `access key ${key.slot} has not been used since it was created on ${isoDay(since)} (${daysBetween(since, now)} days ago)`,
          );
        }
      }
      if (credentials === 0) {
        return { resourceId: user.arn, status: "not_applicable" as const, reason: `User ${user.user} has no console password and no active access key.` };
      }
      if (stale.length > 0) {
        return {
          resourceId: user.arn,
          status: "fail" as const,
          reason: `User ${user.user} has unused credentials: ${stale.join("; ")} (limit ${limit} days).`,
        };
      }
      return { resourceId: user.arn, status: "pass" as const, reason: `Every credential of user ${user.user} was used within the last ${limit} days.` };
    });
  },
});
