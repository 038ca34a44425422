/**
 * AWS Organizations, read from the management account: the tree of roots, organizational units
 * and accounts, and the service control policies with their targets. Planned once per source
 * with `organization:` configured; for a source without one it makes no call and records
 * `organization: null`, so the checks can say why they do not apply.
 *
 * The tree is walked from the top (ListRoots, then ListOrganizationalUnitsForParent and
 * ListAccountsForParent per root and OU): 1 + 2 × containers calls, where ListParents per account
 * would take one call per account and still not give the OUs' names (one DescribeOrganizationalUnit
 * each). A typical organisation has several accounts per OU, so walking is fewer calls, and it
 * names every OU. SCPs: ListPolicies (Filter SERVICE_CONTROL_POLICY), then ListTargetsForPolicy
 * per policy. Fetches and validates; never judges.
 */
import type { AwsSourceConfig } from "../../src/config/schema.js";
import { CollectorError } from "../../src/errors.js";
import {
  ORGANIZATIONS_EVIDENCE,
  organizationTreeEvidenceSchema,
  serviceControlPoliciesEvidenceSchema,
  type OrganizationTreeEvidence,
  type ServiceControlPoliciesEvidence,
} from "../../src/evidence/aws-organizations.js";
import { collectAll } from "../pagination.js";
import { evidenceFor, type CollectorDefinition } from "../types.js";
import { loadPackage } from "../load-package.js";
import { awsClientConfig, describeAwsError, type AwsRetryStrategy } from "./clients.js";

export const AWS_ORGANIZATIONS_COLLECTOR = "aws.organizations";

export interface AwsOrganizationsOptions {
  source: AwsSourceConfig;
  /** The account the source's own credentials reach: the management account (or a delegated administrator). */
  account: string;
  /** The SDK's retry strategy; default its adaptive retry, 6 attempts (see awsClientConfig). */
  retryStrategy?: AwsRetryStrategy;
}

/** Containers listed at once while walking the tree: Organizations allows few requests per second. */
const WALK_CONCURRENCY = 4;

export const awsOrganizationsCollector: CollectorDefinition<AwsOrganizationsOptions> = {
  name: AWS_ORGANIZATIONS_COLLECTOR,
  sourceType: "aws",
  produces: [ORGANIZATIONS_EVIDENCE.tree, ORGANIZATIONS_EVIDENCE.serviceControlPolicies],
  permissions: [
    "organizations:ListRoots",
    "organizations:ListOrganizationalUnitsForParent",
    "organizations:ListAccountsForParent",
    "organizations:ListPolicies",
    "organizations:ListTargetsForPolicy",
  ],
  async collect(options, context) {
    const { source, account } = options;
    const evidence = evidenceFor({ source: source.name, sourceType: "aws", account, region: "global" }, context);
    if (!source.organization) {
      const none = "none (the source has no organization configured)";
      return [
        evidence(ORGANIZATIONS_EVIDENCE.tree, none, organizationTreeEvidenceSchema.parse({ organization: null })),
        evidence(ORGANIZATIONS_EVIDENCE.serviceControlPolicies, none, serviceControlPoliciesEvidenceSchema.parse({ organization: null })),
      ];
    }
    // Loaded when the collector runs: a run without it (e.g. `collectors: [aws.iam]`) never reads the SDK client.
    const {
      ListAccountsForParentCommand,
      ListOrganizationalUnitsForParentCommand,
      ListPoliciesCommand,
      ListRootsCommand,
      ListTargetsForPolicyCommand,
      OrganizationsClient,
    } = await loadPackage(import("@aws-sdk/client-organizations"));
    const client = new OrganizationsClient(awsClientConfig(source, source.globalRegion, undefined, options.retryStrategy));
    const call = { abortSignal: context.signal };
    let failedCall: string | undefined;
    // The first call to fail names itself, so a refusal names the permission it lacked.
    const named = <T>(name: string, run: () => Promise<T>): Promise<T> =>
      run().catch((error: unknown) => {
        failedCall ??= name;
        throw error;
      });
    try {
      const roots = await collectAll("ListRoots", (NextToken) =>
        named("ListRoots", async () => {
          const page = await client.send(new ListRootsCommand({ NextToken }), call);
          return { items: page.Roots ?? [], next: page.NextToken };
        }),
      );
      const tree: NonNullable<OrganizationTreeEvidence["organization"]> = {
        roots: roots.map((r) => ({
          id: r.Id ?? "",
          name: r.Name ?? null,
          policyTypes: (r.PolicyTypes ?? []).map((t) => ({ type: t.Type ?? "", status: t.Status ?? "" })),
        })),
        organizationalUnits: [],
        accounts: [],
      };
      let level = tree.roots.map((r) => r.id);
      while (level.length > 0) {
        const next: string[] = [];
        for (let i = 0; i < level.length; i += WALK_CONCURRENCY) {
          await Promise.all(
            level.slice(i, i + WALK_CONCURRENCY).map(async (ParentId) => {
              const [units, accounts] = await Promise.all([
                collectAll("ListOrganizationalUnitsForParent", (NextToken) =>
                  named("ListOrganizationalUnitsForParent", async () => {
                    const page = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId, NextToken }), call);
                    return { items: page.OrganizationalUnits ?? [], next: page.NextToken };
                  }),
                ),
                collectAll("ListAccountsForParent", (NextToken) =>
                  named("ListAccountsForParent", async () => {
                    const page = await client.send(new ListAccountsForParentCommand({ ParentId, NextToken }), call);
                    return { items: page.Accounts ?? [], next: page.NextToken };
                  }),
                ),
              ]);
              for (const ou of units) {
                tree.organizationalUnits.push({ id: ou.Id ?? "", name: ou.Name ?? null, parentId: ParentId });
                if (ou.Id) next.push(ou.Id);
              }
              for (const a of accounts) {
                tree.accounts.push({ id: a.Id ?? "", arn: a.Arn ?? null, name: a.Name ?? null, status: a.Status ?? null, parentId: ParentId });
              }
            }),
          );
        }
        level = next;
      }

      const policies = await collectAll("ListPolicies", (NextToken) =>
        named("ListPolicies", async () => {
          const page = await client.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY", NextToken }), call);
          return { items: page.Policies ?? [], next: page.NextToken };
        }),
      );
      const scps: NonNullable<ServiceControlPoliciesEvidence["organization"]> = { policies: [] };
      for (const policy of policies) {
        const PolicyId = policy.Id ?? "";
        const targets = await collectAll("ListTargetsForPolicy", (NextToken) =>
          named("ListTargetsForPolicy", async () => {
            const page = await client.send(new ListTargetsForPolicyCommand({ PolicyId, NextToken }), call);
            return { items: page.Targets ?? [], next: page.NextToken };
          }),
        );
        scps.policies.push({
          id: PolicyId,
          name: policy.Name ?? null,
          awsManaged: policy.AwsManaged ?? null,
          targets: targets.map((t) => ({ targetId: t.TargetId ?? "", type: t.Type ?? null, name: t.Name ?? null })),
        });
      }
      // Sorted, so that the same organisation gives the same evidence whatever order the calls finished in.
      tree.organizationalUnits.sort((a, b) => a.id.localeCompare(b.id));
      tree.accounts.sort((a, b) => a.id.localeCompare(b.id));
      return [
        evidence(
          ORGANIZATIONS_EVIDENCE.tree,
          "ListRoots+ListOrganizationalUnitsForParent+ListAccountsForParent",
          organizationTreeEvidenceSchema.parse({ organization: tree }),
        ),
        evidence(
          ORGANIZATIONS_EVIDENCE.serviceControlPolicies,
          "ListPolicies+ListTargetsForPolicy",
          serviceControlPoliciesEvidenceSchema.parse({ organization: scps }),
        ),
      ];
    } catch (error) {
      const apiCall = failedCall ?? "ListRoots";
      throw new CollectorError(
        { collector: AWS_ORGANIZATIONS_COLLECTOR, source: source.name, account, region: "global", apiCall },
        describeAwsError(error, `organizations:${apiCall}`),
        { cause: error },
      );
    } finally {
      client.destroy();
    }
  },
};
