import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.ebs-default-encryption",
  title: "EBS encryption by default is on in every region",
  severity: "medium",
  controls: [
    {
      control: "A.8.24",
      rationale:
        "“Rules for the effective use of cryptography … shall be defined and implemented”: encryption by default makes every new volume and snapshot in the region encrypted without relying on each launch (existing volumes are judged by encrypted-volumes).",
    },
  ],
  remediation:
    "Enable EBS encryption by default in every region in use (EC2 console > Settings > EBS encryption, or `aws ec2 enable-ebs-encryption-by-default`), with a customer managed KMS key where policy requires.",
});
