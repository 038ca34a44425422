import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.iam-mfa",
  title: "AWS Config MFA rules pass (IAM users, root, console access)",
  severity: "high",
  controls: [
    { control: "A.5.17", rationale: "MFA protects passwords, the authentication information the control is about." },
    { control: "A.8.5", rationale: "Console sign-in with a second factor is secure authentication." },
  ],
  remediation:
    "Enable MFA for the root user and for every IAM user with a console password, or move people to IAM Identity Center with MFA enforced.",
});
