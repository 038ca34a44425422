import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.iam-admin-policies",
  title: "No customer managed IAM policy grants full administrator access",
  severity: "high",
  controls: [
    {
      control: "A.8.2",
      rationale:
        '“The allocation and use of privileged access rights shall be restricted and managed”: a customer policy allowing "*" on "*" hands out unlimited privilege to whoever it is attached to; the rule finds each such policy (not AWS managed ones such as AdministratorAccess, nor who holds them).',
    },
    {
      control: "A.5.15",
      rationale:
        "“Rules to control physical and logical access … shall be established and implemented”: a blanket allow-everything statement replaces any such rule with none.",
    },
  ],
  remediation:
    'Replace statements with "Effect": "Allow", "Action": "*", "Resource": "*" in customer managed policies by the actions and resources the role needs (IAM Access Analyzer can generate a policy from activity); keep full administration to a few break-glass roles.',
});
