import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.systems-manager",
  title: "EC2 instances are managed by Systems Manager and hold their configuration associations",
  severity: "medium",
  controls: [
    {
      control: "A.8.9",
      rationale:
        "Configurations “shall be established, documented, implemented, monitored and reviewed”: an instance whose SSM Agent runs can be configured and inventoried centrally, and State Manager association compliance shows the configuration documents applied to it (what the baseline contains is a document).",
    },
  ],
  remediation:
    "Install and run the SSM Agent with an instance profile allowing Systems Manager (or Default Host Management Configuration), and fix the State Manager associations that failed on the named instances.",
});
