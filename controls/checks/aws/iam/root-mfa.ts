import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, credentialReportEvidenceSchema, rootRow } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.root-mfa",
  title: "The root user has MFA",
  severity: "critical",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.2",
      rationale:
        "Privileged access rights “shall be restricted and managed”: root holds every right in the account, and MFA restricts its use to whoever holds the device.",
    },
    { control: "A.8.5", rationale: "“Secure authentication technologies” for the most privileged sign-in: signing in as root must need a second factor." },
  ],
  remediation:
    "Sign in as the root user and assign an MFA device (preferably a hardware key) under Security credentials; keep the device in a safe with a documented custodian.",
  // The credential report's root row says what GetAccountSummary's AccountMFAEnabled says, and
  // the other IAM checks read that report anyway: one call fewer per account.
  requires: [IAM_EVIDENCE.credentialReport],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.credentialReport, credentialReportEvidenceSchema);
    const account = evidence.scope.account;
    const resourceId = `arn:aws:iam::${account}:root`;
    const root = rootRow(data);
    if (!root) {
      return [{ resourceId, status: "error", reason: `The credential report of account ${account} has no root user row, so root MFA cannot be judged.` }];
    }
    if (root.mfa_active === "true") return [{ resourceId, status: "pass", reason: `The root user of account ${account} has MFA enabled.` }];
    if (root.mfa_active === "false") return [{ resourceId, status: "fail", reason: `The root user of account ${account} has no MFA device.` }];
    return [
      {
        resourceId,
        status: "error",
        reason: `The credential report of account ${account} gives the root user's mfa_active as ${root.mfa_active}, so root MFA cannot be judged.`,
      },
    ];
  },
});
