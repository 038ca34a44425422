import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.public-ips",
  title: "Instances and subnets do not get public IP addresses",
  severity: "medium",
  controls: [
    {
      control: "A.8.20",
      rationale:
        "Networks “shall be secured, managed and controlled to protect information in systems and applications”: an instance with a public IPv4 address is reachable from the internet past its security group's mistakes; subnets that assign one make that the default (IPv6 is not judged by these rules).",
    },
    {
      control: "A.8.22",
      rationale:
        "Groups of information services “shall be segregated in the organization's networks”: instances without public addresses sit in private segments reached only through load balancers, NAT or bastions, apart from the internet.",
    },
  ],
  remediation:
    "Turn off auto-assign public IPv4 on subnets, launch instances without public addresses behind load balancers or NAT gateways, and reach them through Session Manager or a bastion.",
});
