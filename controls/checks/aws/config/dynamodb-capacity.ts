import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.dynamodb-capacity",
  title: "DynamoDB capacity scales with use and stays below the account limits",
  severity: "low",
  controls: [
    {
      control: "A.8.6",
      rationale:
        "“The use of resources shall be monitored and adjusted in line with current and expected capacity requirements”: auto scaling (or on-demand mode) adjusts each table's throughput to use, and the throughput-limit rule watches provisioned capacity against the account quota (other services' capacity is not covered).",
    },
  ],
  remediation:
    "Switch tables to on-demand capacity or enable auto scaling on provisioned tables and their indexes, and request a quota increase before provisioned throughput nears the account limit.",
});
