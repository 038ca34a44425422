/**
 * How the AWS Organizations checks walk the organisation's accounts: one finding per account,
 * the same way for each check, so only the judgement of an active member differs.
 */
import type { FindingDraft } from "../../src/domain.js";
import { managementAccountOf, type OrganizationTreeEvidence } from "../../src/evidence/aws-organizations.js";

type Tree = NonNullable<OrganizationTreeEvidence["organization"]>;
export type OrganizationAccount = Tree["accounts"][number];

/** The account states Organizations documents. */
const ACCOUNT_STATES = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"];

/**
 * An account in a status Organizations does not document is an `error`; a suspended or closing
 * one is left out; the management account is not applicable (`managementReason` says why); each
 * active member is judged by `judge`, given its resource id and the label findings name it by.
 */
export function judgeMemberAccounts(
  tree: Tree,
  scopeAccount: string,
  managementReason: string,
  judge: (member: OrganizationAccount, resourceId: string, label: string) => FindingDraft,
): FindingDraft[] {
  const management = managementAccountOf(tree);
  return tree.accounts.flatMap((a): FindingDraft[] => {
    const resourceId = a.arn ?? `arn:aws:organizations::${management ?? scopeAccount}:account/${a.id}`;
    const label = `Account ${a.id}${a.name ? ` (${a.name})` : ""}`;
    if (!ACCOUNT_STATES.includes(a.status ?? "")) {
      return [
        { resourceId, status: "error", reason: `${label} has a status Organizations does not document (${JSON.stringify(a.status)}), so it cannot be judged.` },
      ];
    }
    if (a.status !== "ACTIVE") return [];
    if (a.id === management) return [{ resourceId, status: "not_applicable", reason: `${label} ${managementReason}` }];
    return [judge(a, resourceId, label)];
  });
}
