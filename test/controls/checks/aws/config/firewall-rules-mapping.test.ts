import { describe, expect, it } from "vitest";
import firewall from "../../../../../controls/checks/aws/config/firewall-rules.js";
import { controlCoverage } from "../../../../../controls/mapping.js";
import type { Finding } from "../../../../../src/domain.js";
import { rollUp } from "../../../../../src/engine/rollup.js";
import { CONFIG_EVIDENCE, type ConfigRule } from "../../../../../src/evidence/aws-config.js";
import { SCOPE, runCheck, stored } from "../../../../helpers.js";

// A.8.22 (segregation of networks) rests on the default security group being closed, so that no
// instance shares a network segment with others by default. Ingress open to the internet is a
// network-security (A.8.20) finding, not a segregation one.
const now = new Date("2026-11-01T00:00:00Z");
const recording = stored(CONFIG_EVIDENCE.recorderStatus, { recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] });
const stopped = stored(
  CONFIG_EVIDENCE.recorderStatus,
  { recorders: [{ name: "default", recording: false, lastStatus: "SUCCESS", lastErrorCode: null }] },
  undefined,
  2,
);
const rules = (list: ConfigRule[]) => stored(CONFIG_EVIDENCE.rules, { rules: list }, undefined, 3);
const rule = (name: string, sourceIdentifier: string, evaluations: ConfigRule["evaluations"], compliance: ConfigRule["compliance"] = null): ConfigRule => ({
  name,
  sourceIdentifier,
  owner: "AWS",
  state: "ACTIVE",
  compliance,
  evaluations,
});
const sg = (id: string, compliance: "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE") => ({
  resourceType: "AWS::EC2::SecurityGroup",
  resourceId: id,
  compliance,
  annotation: null,
  recordedAt: null,
});

const estate = rules([
  // sg-web opens SSH to the internet; sg-default is the VPC's default group, closed.
  rule("restricted-ssh", "INCOMING_SSH_DISABLED", [sg("sg-web", "NON_COMPLIANT"), sg("sg-default", "COMPLIANT")]),
  // Security Hub's copy, renamed, reports non-default groups as not applicable.
  rule("securityhub-vpc-default-security-group-closed-3c5cc727", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", [
    sg("sg-default", "COMPLIANT"),
    sg("sg-web", "NOT_APPLICABLE"),
  ]),
]);

const asFinding = (draft: ReturnType<typeof runCheck>[number]): Finding => ({
  ...SCOPE,
  checkId: firewall.id,
  resourceId: draft.resourceId,
  status: draft.status,
  reason: draft.reason,
  evidenceSha256: null,
  controls: draft.controls ?? null,
});

describe("aws.config.firewall-rules: A.8.22 only from default security groups", () => {
  it("a group open to the internet supports A.8.20 only; a default group judged closed supports A.8.20 and A.8.22", () => {
    const byId = Object.fromEntries(runCheck(firewall, [recording, estate], now).map((f) => [f.resourceId, f]));
    expect(byId["AWS::EC2::SecurityGroup/sg-web"]).toMatchObject({ status: "fail", controls: ["A.8.20"] });
    expect(byId["AWS::EC2::SecurityGroup/sg-default"]).toMatchObject({ status: "pass", controls: ["A.8.20", "A.8.22"] });
  });

  it("roll-up: an open non-default group fails A.8.20 but not A.8.22", () => {
    const findings = runCheck(firewall, [recording, estate], now).map(asFinding);
    const results = rollUp({ controls: controlCoverage([firewall]), findings });
    expect(results.find((r) => r.controlId === "A.8.20")?.status).toBe("fail");
    expect(results.find((r) => r.controlId === "A.8.22")).toMatchObject({ status: "pass", counts: { pass: 1, fail: 0 } });
  });

  it("without the default-group rule in the region, nothing is claimed for A.8.22", () => {
    const noDefaultRule = rules([rule("restricted-ssh", "INCOMING_SSH_DISABLED", [sg("sg-web", "NON_COMPLIANT")])]);
    const findings = runCheck(firewall, [recording, noDefaultRule], now).map(asFinding);
    expect(findings.map((f) => f.controls)).toEqual([["A.8.20"]]);
    expect(rollUp({ controls: controlCoverage([firewall]), findings }).find((r) => r.controlId === "A.8.22")?.status).toBe("not_evaluated");
  });

  it("errors count for the controls of the rules that could not be judged, never as a pass", () => {
    // Config stopped: every rule of the region is unjudged, the default-group rule among them.
    expect(runCheck(firewall, [stopped, estate], now)).toEqual([expect.objectContaining({ status: "error", controls: ["A.8.20", "A.8.22"] })]);
    const withoutDefault = rules([rule("restricted-ssh", "INCOMING_SSH_DISABLED", [sg("sg-web", "COMPLIANT")])]);
    expect(runCheck(firewall, [stopped, withoutDefault], now)).toEqual([expect.objectContaining({ status: "error", controls: ["A.8.20"] })]);
    // A rule with no result yet: only that rule's controls.
    const pending = rules([
      rule("restricted-ssh", "INCOMING_SSH_DISABLED", [sg("sg-web", "COMPLIANT")]),
      rule("vpc-default-security-group-closed", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", [], "INSUFFICIENT_DATA"),
    ]);
    expect(runCheck(firewall, [recording, pending], now)).toEqual([
      expect.objectContaining({ resourceId: "config-rule/vpc-default-security-group-closed", status: "error", controls: ["A.8.20", "A.8.22"] }),
      expect.objectContaining({ resourceId: "AWS::EC2::SecurityGroup/sg-web", status: "pass", controls: ["A.8.20"] }),
    ]);
  });
});
