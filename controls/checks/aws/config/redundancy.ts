import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.redundancy",
  title: "Databases, load balancers and Auto Scaling groups span several Availability Zones",
  severity: "medium",
  controls: [
    {
      control: "A.8.14",
      rationale:
        "“Information processing facilities shall be implemented with redundancy sufficient to meet availability requirements”: Multi-AZ databases, load balancers across zones and Auto Scaling groups in several zones with health checks survive the loss of one zone (whether that is sufficient depends on the availability requirements, a document).",
    },
  ],
  remediation:
    "Enable Multi-AZ on production RDS instances, enable cross-zone load balancing and register at least two Availability Zones on load balancers, and spread Auto Scaling groups over two or more zones with ELB health checks.",
});
