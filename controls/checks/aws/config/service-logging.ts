import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.service-logging",
  title: "Buckets, load balancers, databases and APIs keep access logs",
  severity: "medium",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "“Logs that record activities, exceptions, faults and other relevant events shall be produced”: S3 server access logs and data events, load balancer access logs, RDS log exports and API Gateway execution logs record the activity on the data and the services themselves, which CloudTrail's management events do not.",
    },
  ],
  remediation:
    "Enable server access logging (or CloudTrail S3 data events) on buckets, access logs on load balancers, log exports to CloudWatch Logs on RDS instances and ERROR or INFO execution logging on API Gateway stages.",
});
