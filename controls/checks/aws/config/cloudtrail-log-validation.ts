import { defineConfigRuleCheck } from "../../../lib/aws-config.js";

export default defineConfigRuleCheck({
  id: "aws.config.cloudtrail-log-validation",
  title: "CloudTrail trails sign their log files (log file validation)",
  severity: "high",
  controls: [
    {
      control: "A.8.15",
      rationale:
        "Logs “shall be produced, stored, protected and analysed”: signed digest files make any change to or deletion of a delivered CloudTrail log file detectable.",
    },
    {
      control: "A.5.28",
      rationale:
        "Procedures for “the identification, collection, acquisition and preservation of evidence” need evidence whose integrity can be shown: digest validation (`aws cloudtrail validate-logs`) proves a log file is the one CloudTrail delivered (the evidence procedures themselves are a document).",
    },
  ],
  remediation:
    "Enable log file validation on every trail (`aws cloudtrail update-trail --enable-log-file-validation`), and keep the digest files in a bucket the log writers cannot delete from.",
});
