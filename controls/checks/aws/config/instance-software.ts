import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.instance-software",
  title: "Managed instances run only approved software",
  severity: "medium",
  controls: [
    {
      control: "A.8.19",
      rationale:
        "“Procedures and measures shall be implemented to securely manage software installation on operational systems”: Systems Manager's software inventory, checked against the organisation's deny list and required applications, finds software installed outside those measures (only on instances with an inventory association).",
    },
  ],
  remediation:
    "Remove the denied applications (or install the required ones) on the named instances, restrict who can install software on servers (no interactive root/Administrator for day-to-day work) and build instances from approved images.",
});
