import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.api-gateway-backend-certificate",
  title: "API Gateway stages authenticate to their backend with a client certificate",
  severity: "medium",
  controls: [
    {
      control: "A.8.21",
      rationale:
        "“Security mechanisms … of network services shall be identified, implemented and monitored”: a stage's SSL client certificate lets the backend verify that requests come from API Gateway; it does not show that the backend checks it, nor the TLS of the public endpoint.",
    },
  ],
  remediation:
    "Generate a client certificate in API Gateway, attach it to each REST API stage, and configure the backend (or its load balancer) to require and verify it.",
});
