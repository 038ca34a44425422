import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.guardduty",
  title: "GuardDuty is enabled and centrally managed",
  severity: "medium",
  controls: [
    { control: "A.8.16", rationale: "GuardDuty monitors networks, accounts and workloads for anomalous behaviour." },
  ],
  remediation:
    "Enable GuardDuty in every region through the delegated administrator account of the organisation.",
});
