import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import {
  AUTHORIZATION_EVIDENCE,
  AWS_MANAGED_ADMIN_POLICY,
  authorizationDetailsEvidenceSchema,
  grantsEverything,
  statementsOf,
  type AuthorizationDetailsEvidence,
} from "../../../../src/evidence/aws-authorization.js";

type Details = AuthorizationDetailsEvidence;
type Attached = Details["users"][number]["attachedPolicies"];
type Inline = Details["users"][number]["inlinePolicies"];

/** What one set of policies grants: the policies giving every action on every resource, and those that cannot be read. */
interface Grants {
  admin: string[];
  unreadable: string[];
}

function judgeDocument(label: string, document: unknown, into: Grants): void {
  const statements = statementsOf(document);
  if (typeof statements === "string") into.unreadable.push(`${label}: ${statements}`);
  else if (statements.some(grantsEverything)) into.admin.push(label);
}

function judgePolicies(details: Details, inline: Inline, attached: Attached, via: string, into: Grants): void {
  for (const policy of inline) judgeDocument(`inline policy ${policy.name}${via}`, policy.document, into);
  for (const policy of attached) {
    if (AWS_MANAGED_ADMIN_POLICY.test(policy.arn)) {
      into.admin.push(`the AWS managed policy AdministratorAccess${via}`);
      continue;
    }
    // Other AWS managed policies are not read (see the collector); none grants every action on every resource.
    if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(policy.arn)) continue;
    const local = details.policies.find((p) => p.arn === policy.arn);
    const version = local?.versions.find((v) => v.isDefault) ?? local?.versions.find((v) => v.versionId === local.defaultVersionId);
    if (!version) into.unreadable.push(`managed policy ${policy.name}${via}: its default version is not in the evidence`);
    else judgeDocument(`managed policy ${policy.name}${via}`, version.document, into);
  }
}

export default defineCheck({
  id: "aws.iam.admin-policies",
  title: "No IAM user or role holds a policy granting every action on every resource",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "“The allocation and use of privileged access rights should be restricted and managed”: a policy allowing every action on every resource is the broadest privilege an account can give, and this lists each user (directly or through a group) and role holding one. It does not show whether a narrower policy is still excessive, nor who may assume a role.",
    },
    {
      control: "A.5.15",
      rationale:
        "Rules to control logical access “should be established and implemented based on business and information security requirements”: full administrator rights granted outside those rules are what this detects; the rules themselves are a document.",
    },
  ],
  remediation:
    'Replace AdministratorAccess and any `"Action": "*", "Resource": "*"` statement with policies scoped to the actions and resources the user or role needs; keep full access for a break-glass role that is monitored, and record it as an exception.',
  requires: [AUTHORIZATION_EVIDENCE],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, AUTHORIZATION_EVIDENCE, authorizationDetailsEvidenceSchema);
    const account = evidence.scope.account;
    const principals: { kind: "User" | "Role"; name: string; arn: string; grants: Grants }[] = [];
    for (const user of data.users) {
      const grants: Grants = { admin: [], unreadable: [] };
      judgePolicies(data, user.inlinePolicies, user.attachedPolicies, "", grants);
      for (const name of user.groups) {
        const group = data.groups.find((g) => g.name === name);
        if (!group) grants.unreadable.push(`group ${name}: it is not in the evidence`);
        else judgePolicies(data, group.inlinePolicies, group.attachedPolicies, ` (through group ${name})`, grants);
      }
      principals.push({ kind: "User", name: user.name, arn: user.arn, grants });
    }
    for (const role of data.roles) {
      const grants: Grants = { admin: [], unreadable: [] };
      judgePolicies(data, role.inlinePolicies, role.attachedPolicies, "", grants);
      principals.push({ kind: "Role", name: role.name, arn: role.arn, grants });
    }
    if (principals.length === 0) {
      return [{ resourceId: `arn:aws:iam::${account}:root`, status: "not_applicable", reason: `Account ${account} has no IAM users or roles.` }];
    }
    return principals.map(({ kind, name, arn, grants }) =>
      grants.admin.length > 0
        ? { resourceId: arn, status: "fail", reason: `${kind} ${name} is granted every action on every resource by ${grants.admin.join(", ")}.` }
        : grants.unreadable.length > 0
          ? {
              resourceId: arn,
              status: "error",
              reason: `${kind} ${name} has policies that cannot be read (${grants.unreadable.join("; ")}), so its rights cannot be judged.`,
            }
          : { resourceId: arn, status: "pass", reason: `${kind} ${name} has no policy granting every action on every resource.` },
    );
  },
});
