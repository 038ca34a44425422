/**
 * The demo's simulated weeks end at the seed: after the last step the AWS estate and the GitHub
 * organization the loopback servers answer from are exactly what demo.ts and demo-github.ts seed,
 * so today's report is what the seed says; every earlier step differs from it.
 */
import { describe, expect, it } from "vitest";
import { demoEstate } from "../demo/estates/demo.js";
import { demoGithubOrg } from "../demo/estates/demo-github.js";
import { applyDemoGithubStep, applyDemoStep, DEMO_TIMELINE } from "../demo/estates/demo-timeline.js";

const now = new Date("2026-11-01T00:00:00Z");

describe("the demo's timeline", () => {
  it("ends exactly at the seed, AWS and GitHub alike, after every earlier step", () => {
    // A copy, as the demo makes: the steps edit the estate in place.
    const estate = structuredClone(demoEstate(now));
    const org = demoGithubOrg();
    for (const step of DEMO_TIMELINE) {
      applyDemoStep(estate, step, now);
      applyDemoGithubStep(org, step);
    }
    expect(DEMO_TIMELINE.at(-1)?.daysAgo).toBe(0);
    expect(estate).toEqual(demoEstate(now));
    expect(org).toEqual(demoGithubOrg());
  });

  it("every earlier week differs from the seed", () => {
    for (const step of DEMO_TIMELINE.slice(0, -1)) {
      const estate = structuredClone(demoEstate(now));
      const org = demoGithubOrg();
      applyDemoStep(estate, step, now);
      applyDemoGithubStep(org, step);
      expect(estate, `${step.daysAgo} days ago`).not.toEqual(demoEstate(now));
    }
  });

  it("the GitHub steps leave the seed's shared repository data untouched", () => {
    const before = JSON.stringify(demoGithubOrg().repos);
    const org = demoGithubOrg();
    for (const step of DEMO_TIMELINE) applyDemoGithubStep(org, step);
    applyDemoGithubStep(org, DEMO_TIMELINE[0] ?? { daysAgo: 0, story: "", mfaOverrides: {}, extraOpenSsh: [] });
    expect(org.repos.find((r) => r.name === "data-pipeline")?.outsideCollaborators).toEqual([{ login: "bi-consultant", admin: false }]);
    expect(JSON.stringify(demoGithubOrg().repos)).toBe(before);
  });
});
