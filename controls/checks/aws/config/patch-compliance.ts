import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.patch-compliance",
  title: "Managed instances are patched to their patch baseline",
  severity: "high",
  controls: [
    {
      control: "A.8.8",
      rationale:
        "Information about technical vulnerabilities “shall be obtained, … exposure … evaluated and appropriate measures … taken”: Systems Manager Patch Manager compares each instance with its approved patch baseline, and a non-compliant instance is missing security patches it should have (instances outside Systems Manager are not seen).",
    },
  ],
  remediation:
    "Install the missing patches with Systems Manager Patch Manager (AWS-RunPatchBaseline, or a patch policy in Quick Setup) on a maintenance window, and put every instance under Systems Manager so that it is judged at all.",
});
