import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { ORGANIZATIONS_EVIDENCE, ancestorsOf, organizationTreeEvidenceSchema } from "../../../../src/evidence/aws-organizations.js";
import { judgeMemberAccounts } from "../../../lib/aws-organizations.js";

const pattern = (fallback: string) =>
  z
    .string()
    .min(1)
    .default(fallback)
    .refine((p) => {
      try {
        new RegExp(p, "i");
        return true;
      } catch {
        return false;
      }
    }, "expected a regular expression");

export default defineCheck({
  id: "aws.organizations.environment-separation",
  title: "Production and non-production accounts sit in separate organizational units",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.31",
      rationale:
        "“Development, testing and production environments should be separated and secured”: separate accounts grouped in production and non-production OUs are the separation AWS offers, each OU with its own guardrails. This shows where each account sits by the names of its OU and its own; it does not show that no data or credentials cross between them.",
    },
  ],
  remediation:
    "Move each listed account into an OU for its environment (AWS Organizations console > AWS accounts > Move), named so the check's patterns recognise it (e.g. Production, Non-production, Sandbox), or set productionPattern and nonProductionPattern to your naming.",
  requires: [ORGANIZATIONS_EVIDENCE.tree],
  settings: z
    .object({
      productionPattern: pattern("prod").describe("Regular expression (case-insensitive) matching names of production OUs and accounts."),
      nonProductionPattern: pattern("non-?prod|dev|test|stag|sandbox|qa|uat").describe(
        "Regular expression (case-insensitive) matching names of non-production OUs and accounts; tried before productionPattern.",
      ),
    })
    .strict(),
  evaluate({ evidence, settings }) {
    const tree = readEvidence(evidence, ORGANIZATIONS_EVIDENCE.tree, organizationTreeEvidenceSchema).data.organization;
    const { source, account } = evidence.scope;
    if (!tree) {
      return [
        {
          resourceId: `aws:${source}:${account}:organization`,
          status: "not_applicable",
          reason: `Source ${source} has no AWS Organization configured, so its accounts' placement in organizational units cannot be read.`,
        },
      ];
    }
    const nonProduction = new RegExp(settings.nonProductionPattern, "i");
    const production = new RegExp(settings.productionPattern, "i");
    const classify = (name: string | null) =>
      name === null ? undefined : nonProduction.test(name) ? "non-production" : production.test(name) ? "production" : undefined;
    return judgeMemberAccounts(tree, account, "is the management account, which holds the organisation rather than an environment.", (a, resourceId, label) => {
      const units = ancestorsOf(tree, a.parentId).flatMap((id) => tree.organizationalUnits.filter((ou) => ou.id === id));
      const unit = units.find((ou) => classify(ou.name) !== undefined);
      const byName = classify(a.name);
      if (!unit) {
        const path = units.map((ou) => ou.name ?? ou.id).join(" < ") || "the root";
        return {
          resourceId,
          status: "fail",
          reason: `${label} sits in no production or non-production organizational unit (it is under ${path}), so the organisation's structure does not separate its environment.`,
        };
      }
      const environment = classify(unit.name);
      if (byName && byName !== environment) {
        return {
          resourceId,
          status: "fail",
          reason: `${label} is named as ${byName} but sits in the ${environment} organizational unit ${unit.name ?? unit.id}.`,
        };
      }
      return { resourceId, status: "pass", reason: `${label} sits in the ${environment} organizational unit ${unit.name ?? unit.id}.` };
    });
  },
});
