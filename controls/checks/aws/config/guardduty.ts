import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.guardduty",
  title: "GuardDuty is enabled and centrally managed",
  severity: "medium",
  controls: [
    {
      control: "A.8.16",
      rationale:
        "Networks, systems and applications “shall be monitored for anomalous behaviour”: GuardDuty does that for the accounts, networks and workloads.",
    },
  ],
  remediation: "Enable GuardDuty in every region through the delegated administrator account of the organisation.",
});
