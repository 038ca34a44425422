import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.certificate-expiry",
  title: "ACM certificates are renewed well before they expire",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale:
        "Rules for cryptography, “including cryptographic key management, shall be defined and implemented”: certificates renewed before expiry (ACM's rule warns from 14 days by default) are key management applied to TLS; imported certificates are the usual gap, as ACM cannot renew them.",
    },
  ],
  remediation:
    "Renew or re-import the named certificates, prefer ACM-issued certificates with DNS validation so they renew automatically, and alert on the ACM expiry event.",
});
