import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.kms-key-rotation",
  title: "Customer managed KMS keys rotate automatically",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale:
        "Rules for cryptography, “including cryptographic key management, shall be defined and implemented”: automatic rotation renews the key material of symmetric customer managed keys on a schedule (asymmetric, HMAC and imported keys cannot rotate this way and need a manual process).",
    },
  ],
  remediation:
    "Enable automatic rotation on every symmetric customer managed KMS key (`aws kms enable-key-rotation`), and document manual rotation for keys that cannot rotate automatically.",
});
