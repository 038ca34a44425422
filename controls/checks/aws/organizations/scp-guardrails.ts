import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import {
  FULL_AWS_ACCESS_POLICY_ID,
  ORGANIZATIONS_EVIDENCE,
  ancestorsOf,
  organizationTreeEvidenceSchema,
  serviceControlPoliciesEvidenceSchema,
} from "../../../../src/evidence/aws-organizations.js";
import { judgeMemberAccounts } from "../../../lib/aws-organizations.js";

export default defineCheck({
  id: "aws.organizations.scp-guardrails",
  title: "Every active account is under a service control policy besides FullAWSAccess",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.23",
      rationale:
        "Processes for the “use, management and exit from cloud services should be established in accordance with the organization's information security requirements”: a service control policy is how those requirements become limits no one in a member account can lift (regions, leaving the organisation, disabling logging). This shows each account is under at least one; what the policies forbid, and the processes around them, need review beside it.",
    },
  ],
  remediation:
    "Attach a guardrail SCP (for example deny organizations:LeaveOrganization, deny stopping CloudTrail and GuardDuty, deny unused regions) to the root or to the OUs holding the listed accounts (AWS Organizations console > Policies > Service control policies), after enabling the SCP policy type on the root.",
  requires: [ORGANIZATIONS_EVIDENCE.tree, ORGANIZATIONS_EVIDENCE.serviceControlPolicies],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const tree = readEvidence(evidence, ORGANIZATIONS_EVIDENCE.tree, organizationTreeEvidenceSchema).data.organization;
    const scps = readEvidence(evidence, ORGANIZATIONS_EVIDENCE.serviceControlPolicies, serviceControlPoliciesEvidenceSchema).data.organization;
    const { source, account } = evidence.scope;
    if (!tree || !scps) {
      return [
        {
          resourceId: `aws:${source}:${account}:organization`,
          status: "not_applicable",
          reason: `Source ${source} has no AWS Organization configured, so there are no service control policies to read.`,
        },
      ];
    }
    const enabled = tree.roots.length > 0 && tree.roots.every((r) => r.policyTypes.some((t) => t.type === "SERVICE_CONTROL_POLICY" && t.status === "ENABLED"));
    const nameOf = (id: string) => tree.organizationalUnits.find((ou) => ou.id === id)?.name ?? tree.roots.find((r) => r.id === id)?.name ?? id;
    return judgeMemberAccounts(tree, account, "is the management account, which service control policies never restrict.", (a, resourceId, label) => {
      if (!enabled) {
        return {
          resourceId,
          status: "fail",
          reason: `${label} is under no service control policy: the SCP policy type is not enabled on the organisation's root.`,
        };
      }
      const above = [a.id, ...ancestorsOf(tree, a.parentId)];
      const guardrails = scps.policies.flatMap((p) => {
        if (p.id === FULL_AWS_ACCESS_POLICY_ID) return [];
        const target = above.find((id) => p.targets.some((t) => t.targetId === id));
        if (!target) return [];
        return [`${p.name ?? p.id}${target === a.id ? "" : ` (through ${nameOf(target)})`}`];
      });
      return guardrails.length > 0
        ? { resourceId, status: "pass", reason: `${label} is under the service control policies ${guardrails.join(", ")}.` }
        : { resourceId, status: "fail", reason: `${label} is under no service control policy besides FullAWSAccess.` };
    });
  },
});
