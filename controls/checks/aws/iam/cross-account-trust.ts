import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import {
  AUTHORIZATION_EVIDENCE,
  allowsAssumeRole,
  authorizationDetailsEvidenceSchema,
  awsPrincipalAccounts,
  statementsOf,
} from "../../../../src/evidence/aws-authorization.js";

export default defineCheck({
  id: "aws.iam.cross-account-trust",
  title: "Roles trusted by accounts outside the organisation require an external id",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.19",
      rationale:
        "Processes “should be defined and implemented to manage the information security risks associated with the use of supplier's products or services”: a role another company's account can assume is a supplier's access into the estate, and without an sts:ExternalId condition any customer of that supplier could have it used on their behalf (the confused deputy). It shows how the access is guarded, not whether the supplier was assessed.",
    },
    {
      control: "A.5.15",
      rationale:
        "Logical access “should be established and implemented based on business and information security requirements”: this lists every role open to an account outside the organisation and whether that access is bound to an agreed external id.",
    },
  ],
  remediation:
    'Add a `"Condition": {"StringEquals": {"sts:ExternalId": "<the id agreed with the supplier>"}}` to the trust policy of each listed role, or remove the outside account from it; list accounts you own outside the organisation in the check\'s trustedAccounts setting.',
  requires: [AUTHORIZATION_EVIDENCE],
  settings: z
    .object({
      trustedAccounts: z
        .array(z.string().regex(/^\d{12}$/))
        .default([])
        .describe("Accounts outside the AWS Organization that the organisation itself controls (a separate payer, a legacy account)."),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const { data } = readEvidence(evidence, AUTHORIZATION_EVIDENCE, authorizationDetailsEvidenceSchema);
    const account = evidence.scope.account;
    if (data.roles.length === 0) {
      return [{ resourceId: `arn:aws:iam::${account}:root`, status: "not_applicable", reason: `Account ${account} has no IAM roles.` }];
    }
    const own = new Set([account, ...(data.organizationAccounts ?? []), ...settings.trustedAccounts]);
    return data.roles.map((role) => {
      const statements = statementsOf(role.trustPolicy);
      if (typeof statements === "string") {
        return {
          resourceId: role.arn,
          status: "error",
          reason: `Role ${role.name} has a trust policy that cannot be read (${statements}), so who may assume it cannot be judged.`,
        };
      }
      const open: string[] = [];
      const guarded: string[] = [];
      for (const statement of statements.filter(allowsAssumeRole)) {
        const accounts = awsPrincipalAccounts(statement.principal);
        if (!accounts) {
          return {
            resourceId: role.arn,
            status: "error",
            reason: `Role ${role.name} has a trust policy whose Principal cannot be read, so who may assume it cannot be judged.`,
          };
        }
        const outside = accounts.filter((a) => !own.has(a)).map((a) => (a === "*" ? "any AWS account" : `account ${a}`));
        if (outside.length === 0) continue;
        // An external id binds the access to one agreement; aws:PrincipalOrgID binds it to an organisation.
        if (statement.conditionKeys.has("sts:externalid") || statement.conditionKeys.has("aws:principalorgid")) guarded.push(...outside);
        else open.push(...outside);
      }
      const where = data.organizationAccounts ? "outside the organisation" : "other than this one";
      if (open.length > 0) {
        return {
          resourceId: role.arn,
          status: "fail",
          reason: `Role ${role.name} can be assumed by ${[...new Set(open)].join(", ")} (${where}) without an sts:ExternalId condition.`,
        };
      }
      return guarded.length > 0
        ? {
            resourceId: role.arn,
            status: "pass",
            reason: `Role ${role.name} can be assumed by ${[...new Set(guarded)].join(", ")} (${where}) only with an sts:ExternalId or aws:PrincipalOrgID condition.`,
          }
        : { resourceId: role.arn, status: "pass", reason: `Role ${role.name} cannot be assumed by any AWS account ${where}.` };
    });
  },
});
