import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.rds-public-access",
  title: "RDS instances are not publicly accessible",
  severity: "high",
  controls: [
    {
      control: "A.8.3",
      rationale:
        "Access to information “shall be restricted in accordance with the established topic-specific policy on access control”: a publicly accessible database can be reached from the internet, leaving only its password between anyone and the data.",
    },
    {
      control: "A.8.20",
      rationale:
        "Networks “shall be secured, managed and controlled to protect information in systems and applications”: keeping databases on private addresses inside the VPC is that control at the network edge (security groups are judged separately).",
    },
  ],
  remediation:
    "Turn off PubliclyAccessible on the named instances (`aws rds modify-db-instance --no-publicly-accessible`), place them in private subnets, and reach them through a bastion, VPN or Session Manager.",
});
