import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.log-retention",
  title: "CloudWatch log groups keep logs for the minimum retention period",
  severity: "medium",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "Logs “shall be produced, stored, protected and analysed”: a retention below the minimum deletes logs before they can be analysed or used in an investigation.",
    },
    {
      control: "A.5.33",
      rationale:
        "“Records shall be protected from loss, destruction …”: a minimum retention on log groups keeps those records for the period the rule requires (the retention schedule itself is a document; a group set never to expire passes).",
    },
  ],
  remediation:
    "Set the retention of each log group to at least the period the retention schedule requires (`aws logs put-retention-policy`), as a default in the IaC that creates them.",
});
