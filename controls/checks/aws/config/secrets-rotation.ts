import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.secrets-rotation",
  title: "Secrets Manager secrets are rotated automatically and successfully",
  severity: "medium",
  controls: [
    {
      control: "A.5.17",
      rationale:
        "“Allocation and management of authentication information shall be controlled by a management process”: automatic rotation that succeeds on schedule replaces stored credentials without anyone handling them; secrets held outside Secrets Manager are not seen.",
    },
  ],
  remediation:
    "Enable rotation with a rotation function on every secret (at most every 90 days), fix rotations that failed, and move credentials kept elsewhere into Secrets Manager.",
});
