import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, consoleUsers, credentialReportEvidenceSchema } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.console-user-mfa",
  title: "IAM users with a console password have MFA",
  severity: "high",
  sourceType: "aws",
  controls: [
    { control: "A.8.5", rationale: "Console sign-in with a second factor is the secure authentication the control asks for." },
    {
      control: "A.5.17",
      rationale:
        "An MFA device is authentication information allocated to the user; A.5.17 asks that it be allocated and managed, and this shows every console user has been given one beside the password.",
    },
  ],
  remediation:
    "Enable an MFA device for each listed user (IAM console > Users > Security credentials > Assign MFA device), or remove the console password of users who do not need the console.",
  requires: [IAM_EVIDENCE.credentialReport],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.credentialReport, credentialReportEvidenceSchema);
    const users = consoleUsers(data);
    if (users.length === 0) {
      return [
        {
          resourceId: `arn:aws:iam::${evidence.scope.account}:root`,
          status: "not_applicable",
          reason: `Account ${evidence.scope.account} has no IAM users with a console password.`,
        },
      ];
    }
    return users.map((user) =>
      user.mfa_active === "true"
        ? { resourceId: user.arn, status: "pass", reason: `User ${user.user} has a console password and an MFA device.` }
        : { resourceId: user.arn, status: "fail", reason: `User ${user.user} has a console password but no MFA device.` },
    );
  },
});
