import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.guardduty-findings",
  title: "GuardDuty findings are triaged within their severity's deadline",
  severity: "high",
  controls: [
    {
      control: "A.5.25",
      rationale:
        "“The organization shall assess information security events and decide if they are to be categorized as information security incidents”: a GuardDuty finding left unarchived past its deadline (by default 1 day high, 7 medium, 30 low) is an event nobody has decided on; archiving shows a decision was recorded, not that it was right.",
    },
    {
      control: "A.8.16",
      rationale:
        "Systems are monitored and “appropriate actions taken to evaluate potential information security incidents”: findings cleared within the deadline show the detector's output is being evaluated.",
    },
  ],
  remediation:
    "Triage the open GuardDuty findings: archive false positives with a suppression rule and a note, and open an incident for the rest; route new findings to the on-call queue through EventBridge so the deadline is met.",
});
