import { z } from "zod";
import type { FindingDraft } from "../../../../src/domain.js";
import { daysBetween, defineCheck, isoDay, readEvidence } from "../../../../src/engine/check.js";
import { ENTRA_EVIDENCE, usersEvidenceSchema } from "../../../../src/evidence/azure-graph.js";
import { isEnabledUser, userKind } from "../../../lib/entra.js";

/** A Graph date-time, or an error naming the user and field: an unreadable date is never taken as recent. */
function dateOf(value: string, user: string, field: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) throw new Error(`user ${user} has an unreadable ${field} ${JSON.stringify(value)}`);
  return date;
}

export default defineCheck({
  id: "azure.entra.stale-users",
  title: "Enabled Entra ID accounts have signed in recently",
  severity: "medium",
  sourceType: "azure",
  controls: [
    {
      control: "A.5.16",
      rationale:
        "“The full life cycle of identities shall be managed”: an enabled account that has not signed in for months (interactively or not) is an identity whose life cycle ended without removal. It shows sign-in recency, not whether the person left.",
    },
    {
      control: "A.5.18",
      rationale:
        "Access rights shall be “reviewed, modified and removed”: an unused account keeps every access right it was given, so finding it is a review of access that should be removed.",
    },
  ],
  remediation:
    "Disable or delete each listed account after confirming with its owner (guests: with the sponsor); use access reviews for guests and inactive users.",
  requires: [ENTRA_EVIDENCE.users],
  settings: z
    .object({ maxInactiveDays: z.number().int().min(1).default(90).describe("Days without a sign-in after which an enabled account is stale.") })
    .strict(),
  evaluate({ evidence, now, settings }) {
    const { data } = readEvidence(evidence, ENTRA_EVIDENCE.users, usersEvidenceSchema);
    if (data.signInActivity)
      return [
        {
          resourceId: `${evidence.scope.account}/users`,
          status: "error",
          reason: `The last sign-in of the users of tenant ${evidence.scope.account} cannot be read: ${data.signInActivity.unlicensed}.`,
        },
      ];
    return data.users.map((user): FindingDraft => {
      const upn = user.userPrincipalName;
      const who = `${userKind(user) === "guest" ? "Guest" : "User"} ${upn}`;
      if (!isEnabledUser(user)) return { resourceId: user.id, status: "not_applicable", reason: `${who} is disabled.` };
      if (user.signInActivity === undefined)
        throw new Error(`user ${upn} has no signInActivity: the collector's listing did not include it (AuditLog.Read.All and a P1 licence are needed)`);
      const dates = [user.signInActivity?.lastSignInDateTime, user.signInActivity?.lastNonInteractiveSignInDateTime]
        .filter((d): d is string => typeof d === "string")
        .map((d) => dateOf(d, upn, "last sign-in"));
      const last = dates.sort((a, b) => b.getTime() - a.getTime())[0];
      if (!last) {
        if (user.createdDateTime === null) throw new Error(`user ${upn} has never signed in and its creation date is not given`);
        const age = daysBetween(dateOf(user.createdDateTime, upn, "createdDateTime"), now);
        return age > settings.maxInactiveDays
          ? { resourceId: user.id, status: "fail", reason: `${who} is enabled but has never signed in since it was created ${age} days ago.` }
          : {
              resourceId: user.id,
              status: "pass",
              reason: `${who} has not signed in yet; it was created ${age} days ago (within ${settings.maxInactiveDays}).`,
            };
      }
      const days = daysBetween(last, now);
      return days > settings.maxInactiveDays
        ? {
            resourceId: user.id,
            status: "fail",
            reason: `${who} is enabled but last signed in ${days} days ago (${isoDay(last)}), more than ${settings.maxInactiveDays}.`,
          }
        : { resourceId: user.id, status: "pass", reason: `${who} last signed in ${days} days ago (${isoDay(last)}).` };
    });
  },
});
