import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.firewall-rules",
  title: "Security groups pass the AWS Config firewall rules",
  severity: "high",
  controls: [
    { control: "A.8.20", rationale: "Security groups are the network filter of a VPC; ports open to the internet are the commonest network exposure." },
    { control: "A.8.22", rationale: "Closed default groups and restricted ingress keep networks segregated from the internet and from each other." },
  ],
  remediation:
    "Remove inbound rules open to 0.0.0.0/0 or ::/0 on administrative and common ports, restrict them to known CIDRs or use Systems Manager Session Manager, and remove all rules from default security groups.",
});
