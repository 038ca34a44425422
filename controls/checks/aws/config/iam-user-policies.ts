import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.iam-user-policies",
  title: "IAM users get permissions from groups or roles, not policies of their own",
  severity: "low",
  controls: [
    {
      control: "A.5.15",
      rationale:
        "“Rules to control physical and logical access … shall be established and implemented”: permissions granted through groups and roles follow the access rules by job function, while a policy attached to one user is an individual exception to them.",
    },
    {
      control: "A.5.18",
      rationale:
        "Access rights “shall be provisioned, reviewed, modified and removed in accordance with the organization's topic-specific policy”: rights held through groups can be reviewed and removed per group; per-user policies escape that review (the rule does not show that reviews happen).",
    },
  ],
  remediation:
    "Detach inline and managed policies from IAM users and grant the same permissions through IAM groups, or move people to IAM Identity Center permission sets.",
});
