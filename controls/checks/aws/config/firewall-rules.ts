import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.firewall-rules",
  title: "Security groups pass the AWS Config firewall rules",
  severity: "high",
  controls: [
    {
      control: "A.8.20",
      rationale:
        "Networks “shall be secured, managed and controlled”: security groups are the VPC's network filter, and ingress open to the internet is the commonest gap in it.",
    },
    {
      control: "A.8.22",
      rationale:
        "Groups of information services “shall be segregated in the organization's networks”: only findings on default security groups (judged by vpc-default-security-group-closed) count, as a closed default group puts every instance in an explicit group instead of one shared segment; ingress rules are A.8.20 only.",
    },
  ],
  controlsOnlyFromRules: { "A.8.22": ["vpc-default-security-group-closed"] },
  remediation:
    "Remove inbound rules open to 0.0.0.0/0 or ::/0 on administrative and common ports, restrict them to known CIDRs or use Systems Manager Session Manager, and remove all rules from default security groups.",
});
