import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.iam-mfa",
  title: "AWS Config MFA rules pass (IAM users, root, console access)",
  severity: "high",
  controls: [
    { control: "A.8.5", rationale: "“Secure authentication technologies … shall be implemented”: sign-in with a second factor is that technology." },
    {
      control: "A.5.17",
      rationale:
        "Authentication information is allocated “by a management process”: AWS Config shows whether IAM users and the root user have been given an MFA device beside the password.",
    },
  ],
  remediation: "Enable MFA for the root user and for every IAM user with a console password, or move people to IAM Identity Center with MFA enforced.",
});
