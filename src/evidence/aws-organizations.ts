/**
 * AWS Organizations evidence read from the management account: the organisation's tree (roots,
 * organizational units, accounts and where each sits) and its service control policies with their
 * targets. Shared by the collector and the checks. `organization: null` records that the source
 * has no `organization:` configured, so nothing was read (the checks then say not_applicable).
 */
import { z } from "zod";

export const ORGANIZATIONS_EVIDENCE = {
  tree: "aws.organizations.tree",
  serviceControlPolicies: "aws.organizations.service-control-policies",
} as const;

/** The policy AWS attaches everywhere by default; it allows everything, so it is no guardrail. */
export const FULL_AWS_ACCESS_POLICY_ID = "p-FullAWSAccess";

export const organizationTreeEvidenceSchema = z.object({
  organization: z
    .object({
      roots: z.array(z.object({ id: z.string(), name: z.string().nullable(), policyTypes: z.array(z.object({ type: z.string(), status: z.string() })) })),
      organizationalUnits: z.array(z.object({ id: z.string(), name: z.string().nullable(), parentId: z.string() })),
      /** Email addresses are left out: not needed to judge anything, and personal data. */
      accounts: z.array(
        z.object({ id: z.string(), arn: z.string().nullable(), name: z.string().nullable(), status: z.string().nullable(), parentId: z.string() }),
      ),
    })
    .nullable(),
});
export type OrganizationTreeEvidence = z.infer<typeof organizationTreeEvidenceSchema>;

export const serviceControlPoliciesEvidenceSchema = z.object({
  organization: z
    .object({
      policies: z.array(
        z.object({
          id: z.string(),
          name: z.string().nullable(),
          awsManaged: z.boolean().nullable(),
          targets: z.array(z.object({ targetId: z.string(), type: z.string().nullable(), name: z.string().nullable() })),
        }),
      ),
    })
    .nullable(),
});
export type ServiceControlPoliciesEvidence = z.infer<typeof serviceControlPoliciesEvidenceSchema>;

/** The management account, as every account ARN names it (arn:aws:organizations::<management>:account/o-…/<id>). */
export function managementAccountOf(tree: NonNullable<OrganizationTreeEvidence["organization"]>): string | undefined {
  for (const account of tree.accounts) {
    const management = /^arn:aws[a-z-]*:organizations::(\d{12}):account\//.exec(account.arn ?? "")?.[1];
    if (management) return management;
  }
  return undefined;
}

/** The chain of containers (the account's OU, its parents…, the root) above an account or OU. */
export function ancestorsOf(tree: NonNullable<OrganizationTreeEvidence["organization"]>, parentId: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = parentId;
  // Bounded by the number of containers: a cycle in broken evidence cannot loop forever.
  for (let i = 0; current && i <= tree.organizationalUnits.length + tree.roots.length; i++) {
    chain.push(current);
    const id: string = current;
    current = tree.organizationalUnits.find((ou) => ou.id === id)?.parentId;
  }
  return chain;
}
