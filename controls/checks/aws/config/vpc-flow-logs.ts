import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.vpc-flow-logs",
  title: "VPC flow logs are enabled",
  severity: "medium",
  controls: [
    {
      control: "A.8.16",
      rationale:
        "“Networks, systems and applications shall be monitored for anomalous behaviour”: flow logs record the network traffic monitoring and detection (GuardDuty, SIEM queries) read; they show the input exists, not that anyone reviews it.",
    },
    {
      control: "A.8.15",
      rationale:
        "“Logs that record activities, exceptions, faults and other relevant events shall be produced”: flow logs are the record of accepted and rejected connections in each VPC.",
    },
  ],
  remediation: "Enable flow logs (traffic type ALL) on every VPC, delivered to CloudWatch Logs or a dedicated, access-restricted S3 bucket.",
});
