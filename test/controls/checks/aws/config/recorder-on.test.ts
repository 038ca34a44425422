import { describe, expect, it } from "vitest";
import check from "../../../../../controls/checks/aws/config/recorder-on.js";
import { CONFIG_EVIDENCE } from "../../../../../src/evidence/aws-config.js";
import { runCheck, stored, vendorFile } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
/** The recorded API shape, as the collector stores it. */
function fromRecording(file: string) {
  const parsed = JSON.parse(vendorFile(`aws/config/${file}`)) as { data?: { ConfigurationRecordersStatus: Rec[] }; ConfigurationRecordersStatus?: Rec[] };
  const list = parsed.data?.ConfigurationRecordersStatus ?? parsed.ConfigurationRecordersStatus ?? [];
  return [
    stored(CONFIG_EVIDENCE.recorderStatus, {
      recorders: list.map((r) => ({ name: r.name, recording: r.recording, lastStatus: r.lastStatus ?? null, lastErrorCode: null })),
    }),
  ];
}
interface Rec {
  name: string;
  recording: boolean;
  lastStatus?: string;
}

describe("aws.config.recorder-on", () => {
  it("compliant: the recorder is recording (real recording)", () => {
    expect(runCheck(check, fromRecording("c7n_placebo_test_config_recorder__config.DescribeConfigurationRecorderStatus_1.json"), now)[0]).toMatchObject({
      status: "pass",
      reason: "AWS Config is recording in region global of account 123456789012 (recorder default).",
    });
  });

  it("non-compliant: the recorder exists but is stopped (real recording)", () => {
    expect(
      runCheck(check, fromRecording("c7n_placebo_test_config_recorder_toggle_start__config.DescribeConfigurationRecorderStatus_1.json"), now)[0],
    ).toMatchObject({
      status: "fail",
      reason: "AWS Config's recorder default in region global of account 123456789012 exists but is not recording.",
    });
  });

  it("non-compliant: no recorder at all", () => {
    expect(runCheck(check, [stored(CONFIG_EVIDENCE.recorderStatus, { recorders: [] })], now)[0]?.reason).toBe(
      "AWS Config has no configuration recorder in region global of account 123456789012.",
    );
  });
});
