import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import type { FindingDraft } from "../../../../src/domain.js";
import { IDENTITY_CENTER_EVIDENCE, identityCenterEvidenceSchema, instanceLabel } from "../../../../src/evidence/aws-identity-center.js";

const USER_STATUSES = new Set(["ENABLED", "DISABLED"]);

export default defineCheck({
  id: "aws.identity-center.users-known",
  title: "IAM Identity Center users are known and come from the identity provider that feeds the instance",
  severity: "medium",
  sourceType: "aws",
  controls: [
    {
      control: "A.5.16",
      rationale:
        "“The full life cycle of identities shall be managed”: this lists the people who sign in through Identity Center (the IAM credential report never shows them) and flags users created by hand beside those provisioned from the identity provider, outside its joiner–leaver process. It does not show when they last signed in or that their access was reviewed.",
    },
  ],
  remediation:
    "Provision Identity Center users only from the identity provider (SCIM): delete users created by hand in the Identity Center console, or create them in the identity provider and let it provision them.",
  requires: [IDENTITY_CENTER_EVIDENCE.users],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IDENTITY_CENTER_EVIDENCE.users, identityCenterEvidenceSchema);
    const { account, region } = evidence.scope;
    // Where no instance is, that is the inventory's answer: no identity lives there.
    if (data.instances.length === 0) {
      return [
        {
          resourceId: `arn:aws:sso:${region}:${account}:instance`,
          status: "not_applicable",
          reason: `Region ${region} of account ${account} has no IAM Identity Center instance.`,
        },
      ];
    }
    return data.instances.flatMap((instance): FindingDraft[] => {
      const label = instanceLabel(instance);
      // Read by the owner account in the instance's primary region: judged there, once.
      if (instance.notListed !== null) return [];
      if (instance.users === null) {
        return [
          {
            resourceId: instance.instanceArn,
            status: "error",
            reason: `The users of Identity Center instance ${label} in account ${account} were not listed.`,
          },
        ];
      }
      if (instance.users.length === 0) {
        return [
          { resourceId: instance.instanceArn, status: "not_applicable", reason: `Identity Center instance ${label} in account ${account} has no users.` },
        ];
      }
      const provisioned = instance.users.filter((u) => u.externalIds.length > 0).length;
      return instance.users.map((user): FindingDraft => {
        const name = user.userName ?? user.userId;
        const resourceId = `${instance.instanceArn}/identitystore/${instance.identityStoreId}/user/${user.userId}`;
        if (user.userStatus !== null && !USER_STATUSES.has(user.userStatus)) {
          return {
            resourceId,
            status: "error",
            reason: `User ${name} of Identity Center instance ${label} has a status AWS does not document (${JSON.stringify(user.userStatus)}), so it cannot be judged.`,
          };
        }
        const disabled = user.userStatus === "DISABLED" ? " It is disabled." : "";
        if (provisioned > 0 && user.externalIds.length === 0) {
          return {
            resourceId,
            status: "fail",
            reason: `User ${name} of Identity Center instance ${label} was created in Identity Center itself, while ${provisioned} of its users are provisioned from an external identity provider: that provider's joiner and leaver process does not reach this user.${disabled}`,
          };
        }
        const origin =
          user.externalIds.length > 0
            ? `provisioned from an external identity provider (${user.externalIds.map((e) => e.issuer).join(", ")})`
            : "kept in Identity Center's own directory";
        return { resourceId, status: "pass", reason: `User ${name} is a known identity of Identity Center instance ${label}, ${origin}.${disabled}` };
      });
    });
  },
});
