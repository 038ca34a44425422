import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { IAM_EVIDENCE, accountSummaryEvidenceSchema } from "../../../../src/evidence/aws-iam.js";

export default defineCheck({
  id: "aws.iam.root-mfa",
  title: "The root user has MFA",
  severity: "critical",
  sourceType: "aws",
  controls: [
    { control: "A.8.2", rationale: "Privileged access rights “shall be restricted and managed”: root holds every right in the account, and MFA restricts its use to whoever holds the device." },
    { control: "A.8.5", rationale: "“Secure authentication technologies” for the most privileged sign-in: signing in as root must need a second factor." },
  ],
  remediation:
    "Sign in as the root user and assign an MFA device (preferably a hardware key) under Security credentials; keep the device in a safe with a documented custodian.",
  requires: [IAM_EVIDENCE.accountSummary],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { data } = readEvidence(evidence, IAM_EVIDENCE.accountSummary, accountSummaryEvidenceSchema);
    const account = evidence.scope.account;
    const resourceId = `arn:aws:iam::${account}:root`;
    const enabled = data.summaryMap["AccountMFAEnabled"];
    if (enabled === undefined) {
      return [{ resourceId, status: "error", reason: `The account summary of ${account} has no AccountMFAEnabled entry, so root MFA cannot be judged.` }];
    }
    return enabled === 1
      ? [{ resourceId, status: "pass", reason: `The root user of account ${account} has MFA enabled.` }]
      : [{ resourceId, status: "fail", reason: `The root user of account ${account} has no MFA device.` }];
  },
});
