/**
 * The demo's simulated estate exercises every check on AWS Config managed rules with both outcomes
 * across its four weeks: a resource Config finds compliant and one it does not.
 */
import { describe, expect, it } from "vitest";
import { MANAGED_RULES } from "../../../../../controls/aws-config-rules.js";
import { CHECKS } from "../../../../../controls/registry.js";
import type { Check } from "../../../../../src/domain.js";
import { CONFIG_EVIDENCE, type ConfigRule } from "../../../../../src/evidence/aws-config.js";
import { DEMO_MEMBER_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_RULES, demoEstate } from "../../../../../demo/estates/demo.js";
import { applyDemoStep, DEMO_TIMELINE } from "../../../../../demo/estates/demo-timeline.js";
import type { FakeConfigRegion } from "../../../../../demo/servers/aws.js";
import { runCheck, stored } from "../../../../helpers.js";

const now = new Date("2026-11-01T00:00:00Z");
const recording = stored(CONFIG_EVIDENCE.recorderStatus, { recorders: [{ name: "default", recording: true, lastStatus: "SUCCESS", lastErrorCode: null }] });

/** The estate's rules as the Config collector stores them. */
const asEvidence = (region: FakeConfigRegion) =>
  stored(
    CONFIG_EVIDENCE.rules,
    {
      rules: region.rules.map((r): ConfigRule => ({
        name: r.name,
        sourceIdentifier: r.identifier,
        owner: r.owner ?? "AWS",
        state: "ACTIVE",
        compliance: r.compliance ?? null,
        evaluations: r.evaluations.map((e) => ({ ...e, annotation: e.annotation ?? null, recordedAt: null })),
      })),
    },
    undefined,
    3,
  );

const managedChecks = new Set(MANAGED_RULES.map((m) => m.check));
const ruleChecks = CHECKS.filter((c) => managedChecks.has(c.id));

/** Every status each check gives in the recording regions of every account, over the demo's weeks. */
function statusesOverTheWeeks(): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>(ruleChecks.map((c) => [c.id, new Set<string>()]));
  for (const step of DEMO_TIMELINE) {
    const estate = demoEstate(now);
    applyDemoStep(estate, step, now);
    for (const account of estate.accounts) {
      for (const region of Object.values(account.config ?? {}).filter((r) => r.recording)) {
        for (const check of ruleChecks) {
          for (const finding of runCheck(check, [recording, asEvidence(region)], now)) seen.get(check.id)?.add(finding.status);
        }
      }
    }
  }
  return seen;
}

const ACCOUNT_LEVEL = Object.keys(DEMO_MEMBER_ACCOUNT_RULES);

describe("the demo estate's AWS Config rules", () => {
  it("every check on managed rules both passes and fails at some point of the demo", () => {
    const seen = statusesOverTheWeeks();
    const missing = ruleChecks
      .filter((c: Check) => !(seen.get(c.id)?.has("pass") && seen.get(c.id)?.has("fail")))
      .map((c) => `${c.id}: ${[...(seen.get(c.id) ?? [])].join(", ") || "no finding"}`);
    expect(missing).toEqual([]);
  });

  it("the account-level rules change over the weeks and end at the seed", () => {
    const history = DEMO_TIMELINE.map((step) => {
      const estate = demoEstate(now);
      applyDemoStep(estate, step, now);
      const rules = estate.accounts.find((a) => a.accountId === DEMO_MEMBER_ACCOUNT_ID)?.config?.["eu-west-1"]?.rules ?? [];
      return Object.fromEntries(ACCOUNT_LEVEL.map((name) => [name, rules.find((r) => r.name === name)?.evaluations[0]?.compliance]));
    });
    expect(history.at(-1)).toEqual(Object.fromEntries(ACCOUNT_LEVEL.map((name) => [name, DEMO_MEMBER_ACCOUNT_RULES[name]?.compliance])));
    for (const name of ACCOUNT_LEVEL) expect(new Set(history.map((h) => h[name])).size, name).toBe(2);
  });

  it("the management account's custom rules stay custom: no managed rule is recognised in their names", () => {
    const rules = demoEstate(now).accounts.flatMap((a) => Object.values(a.config ?? {}).flatMap((r) => r.rules));
    const custom = rules.filter((r) => r.owner === "CUSTOM_LAMBDA").map((r) => r.name);
    expect(custom.length).toBeGreaterThan(0);
    for (const name of custom)
      expect(MANAGED_RULES.find((m) => name === m.name || name.endsWith(`-${m.name}`) || name.includes(`-${m.name}-`))).toBeUndefined();
  });
});
