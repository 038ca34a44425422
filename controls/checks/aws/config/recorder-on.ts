import { z } from "zod";
import { defineCheck, readEvidence } from "../../../../src/engine/check.js";
import { CONFIG_EVIDENCE, isRecording, recorderStatusEvidenceSchema } from "../../../../src/evidence/aws-config.js";

export default defineCheck({
  id: "aws.config.recorder-on",
  title: "AWS Config is recording in every region in scope",
  severity: "high",
  sourceType: "aws",
  controls: [
    {
      control: "A.8.9",
      rationale:
        "Configurations “shall be established, documented, implemented, monitored and reviewed”: the recorder tracks every resource's configuration over time.",
    },
    {
      control: "A.8.15",
      rationale:
        "Logs recording “activities, exceptions, faults and other relevant events shall be produced”: the recorder's history is the log of configuration changes.",
    },
    {
      control: "A.5.9",
      rationale:
        "“An inventory of information and other associated assets … shall be developed and maintained”: the recorder keeps the inventory of the region's resources.",
    },
  ],
  remediation:
    "Turn on AWS Config in the region (console > AWS Config > Get started, or `aws configservice start-configuration-recorder`), recording all resource types, ideally through an organisation-wide conformance pack or Control Tower.",
  requires: [CONFIG_EVIDENCE.recorderStatus],
  settings: z.object({}).strict(),
  evaluate({ evidence }) {
    const { account, region } = evidence.scope;
    const { data } = readEvidence(evidence, CONFIG_EVIDENCE.recorderStatus, recorderStatusEvidenceSchema);
    const resourceId = `arn:aws:config:${region}:${account}:recorder`;
    if (data.recorders.length === 0) {
      return [{ resourceId, status: "fail", reason: `AWS Config has no configuration recorder in region ${region} of account ${account}.` }];
    }
    if (!isRecording(data)) {
      const names = data.recorders.map((r) => r.name).join(", ");
      return [{ resourceId, status: "fail", reason: `AWS Config's recorder ${names} in region ${region} of account ${account} exists but is not recording.` }];
    }
    const recorder = data.recorders.find((r) => r.recording);
    const failing = recorder?.lastStatus === "FAILURE";
    return [
      failing
        ? {
            resourceId,
            status: "fail",
            reason: `AWS Config's recorder ${recorder?.name} in region ${region} of account ${account} is recording but its last delivery failed (${recorder?.lastErrorCode ?? "no error code"}).`,
          }
        : { resourceId, status: "pass", reason: `AWS Config is recording in region ${region} of account ${account} (recorder ${recorder?.name}).` },
    ];
  },
});
