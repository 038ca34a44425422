/**
 * Coverage from evidence, not from the catalog: each control that checks touch has an evidence
 * set, every check feeds an element of each control it supports, and a control is `automated`
 * only when every element of its set was collected in the run.
 */
import { describe, expect, it } from "vitest";
import { ANNEX_A } from "../../controls/annex-a.js";
import { EVIDENCE_SETS, evidenceSetOf } from "../../controls/evidence-sets.js";
import { controlCoverage } from "../../controls/mapping.js";
import { CHECKS } from "../../controls/registry.js";
import type { CollectorOutcome, Finding, SourceType } from "../../src/domain.js";
import { collectElements, coverageWithManual } from "../../src/engine/coverage.js";
import { rollUp } from "../../src/engine/rollup.js";

const checkIds = new Set(CHECKS.map((c) => c.id));
const sourceTypes = new Map(CHECKS.map((c) => [c.id, c.sourceType]));

describe("the evidence sets (controls/evidence-sets.ts)", () => {
  it("every control a check supports has an evidence set, and only Annex A controls have one, once", () => {
    const supported = new Set(CHECKS.flatMap((c) => c.controls.map((m) => m.control)));
    for (const control of supported) expect(evidenceSetOf(control), `${control} has checks but no evidence set`).toBeDefined();
    const ids = EVIDENCE_SETS.map((s) => s.control);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(
        ANNEX_A.some((c) => c.id === id),
        `${id} is not an Annex A control`,
      ).toBe(true);
  });

  it("every check feeds an element of each control it supports, and every element's checks support that control", () => {
    for (const check of CHECKS) {
      for (const { control } of check.controls) {
        const fed = evidenceSetOf(control)?.elements.some((e) => e.checks.includes(check.id)) ?? false;
        expect(fed, `${check.id} supports ${control} but feeds no element of its evidence set`).toBe(true);
      }
    }
    for (const set of EVIDENCE_SETS) {
      for (const element of set.elements) {
        for (const id of element.checks) {
          expect(checkIds.has(id), `${set.control}/${element.id} names unknown check ${id}`).toBe(true);
          const maps = CHECKS.find((c) => c.id === id)?.controls.some((m) => m.control === set.control) ?? false;
          expect(maps, `${set.control}/${element.id} lists ${id}, which does not support ${set.control}`).toBe(true);
        }
      }
      const elementIds = set.elements.map((e) => e.id);
      expect(new Set(elementIds).size, `${set.control} has duplicate element ids`).toBe(elementIds.length);
    }
  });
});

function finding(checkId: string, status: Finding["status"], account = "111122223333", source = "prod"): Finding {
  return {
    source,
    sourceType: sourceTypes.get(checkId) ?? "aws",
    account,
    region: "global",
    checkId,
    resourceId: `${checkId}/r`,
    status,
    reason: "r.",
    evidenceSha256: "e",
    controls: null,
  };
}

/** A collector outcome that was to produce every kind the checks of its source type read. */
function looked(
  sourceType: SourceType,
  account: string,
  source = sourceType === "aws" ? "prod" : sourceType,
): Pick<CollectorOutcome, "source" | "sourceType" | "account" | "produces"> {
  return { source, sourceType, account, produces: [...new Set(CHECKS.filter((c) => c.sourceType === sourceType).flatMap((c) => c.requires))] };
}

function rollup(findings: Finding[], outcomes: Pick<CollectorOutcome, "source" | "sourceType" | "account" | "produces">[]) {
  return rollUp({
    controls: controlCoverage(CHECKS),
    findings,
    evidence: {
      sets: new Map(EVIDENCE_SETS.map((s) => [s.control, s])),
      checks: new Map(CHECKS.map((c) => [c.id, { sourceType: c.sourceType, requires: c.requires }])),
      outcomes,
    },
  });
}

describe("coverage is judged from the evidence set", () => {
  it("A.8.32 is not automated from branch protection alone: change records are missing", () => {
    const result = rollup([finding("github.repo.default-branch-protected", "pass", "acme", "github")], [looked("github", "acme")]).find(
      (c) => c.controlId === "A.8.32",
    );
    expect(result).toMatchObject({ status: "pass", coverage: "partial" });
    expect(result?.elements?.find((e) => !e.collected)).toMatchObject({
      id: "change-records",
      missing: expect.stringMatching(/evidence add --control A\.8\.32 --element change-records/),
    });
  });

  it("A.8.13 is partial with backup configuration only, and automated once a restore test record fills its element", () => {
    const result = rollup([finding("aws.config.backups", "pass")], [looked("aws", "111122223333")]).find((c) => c.controlId === "A.8.13");
    expect(result?.coverage).toBe("partial");
    const set = evidenceSetOf("A.8.13")!;
    const asOf = new Date("2026-11-01T00:00:00Z");
    expect(coverageWithManual(set, result!.elements!, [], asOf).coverage).toBe("partial");
    const restore = { id: 7, element: "restore-test", validUntil: "2027-01-01" };
    const filled = coverageWithManual(set, result!.elements!, [restore], asOf);
    expect(filled.coverage).toBe("automated");
    expect(filled.elements.find((e) => e.id === "restore-test")).toMatchObject({ collected: true, by: "manual", manualEvidence: [7] });
    // Expired manual evidence fills nothing.
    expect(coverageWithManual(set, result!.elements!, [{ ...restore, validUntil: "2026-10-01" }], asOf).coverage).toBe("partial");
  });

  it("an element is collected only when every source and account in scope delivered it: a failed account is named", () => {
    const one = rollup([finding("aws.config.s3-public-access", "fail")], [looked("aws", "111122223333")]).find((c) => c.controlId === "A.8.3");
    expect(one).toMatchObject({ status: "fail", coverage: "automated" });
    // A second account whose collectors failed: its checks are `error` there, so nothing was collected from it.
    const two = rollup(
      [finding("aws.config.s3-public-access", "pass"), finding("aws.config.s3-public-access", "error", "444455556666")],
      [looked("aws", "111122223333"), looked("aws", "444455556666")],
    ).find((c) => c.controlId === "A.8.3");
    expect(two?.coverage).toBe("none");
    expect(two?.elements?.[0]).toMatchObject({ collected: false, missing: expect.stringMatching(/^Not collected from prod \(account 444455556666\): /) });
    // A GitHub organisation in scope that delivered nothing for A.8.3.
    const mixed = rollup([finding("aws.config.s3-public-access", "pass")], [looked("aws", "111122223333"), looked("github", "acme")]).find(
      (c) => c.controlId === "A.8.3",
    );
    expect(mixed?.elements?.[0]).toMatchObject({ collected: false, missing: expect.stringMatching(/^Not collected from github \(account acme\)/) });
  });

  it("a check that could not be judged (error) collects nothing", () => {
    const result = rollup([finding("aws.config.backups", "error")], [looked("aws", "111122223333")]).find((c) => c.controlId === "A.8.13");
    expect(result?.coverage).toBe("none");
    expect(result?.elements?.every((e) => !e.collected)).toBe(true);
  });

  it("an element whose checks read nothing any collector of the run was to produce says so", () => {
    const [element] = collectElements({
      set: { control: "A.8.8", elements: [{ id: "vulnerability-findings", description: "d", checks: ["github.repo.dependabot"] }] },
      checks: new Map(CHECKS.map((c) => [c.id, { sourceType: c.sourceType, requires: c.requires }])),
      outcomes: [looked("aws", "111122223333")],
      judged: new Set(),
    });
    expect(element).toMatchObject({ collected: false, missing: "No source in this run's scope provides it (it comes from github)." });
  });
});
