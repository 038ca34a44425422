/**
 * The breadth the README claims, held against the registry and the demo: how many checks and how
 * many Annex A controls have automated evidence, and that the demo's simulated weeks show every
 * check both ways (a compliant and a non-compliant resource), so each can be seen working.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ANNEX_A } from "../controls/annex-a.js";
import { controlCoverage } from "../controls/mapping.js";
import { CHECKS } from "../controls/registry.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { copyDemoStore, demoRun } from "./demo-run.js";
import { tempDir } from "./helpers.js";

/** Checks that no evidence can make pass, with why (each says so in its findings). */
const NEVER_PASSES: Record<string, string> = {
  "aws.identity-center.user-mfa": "no public AWS API exposes an Identity Center user's MFA devices or the instance's MFA settings",
};

const dir = tempDir();
afterAll(() => dir.cleanup());

describe("breadth", () => {
  it("at least 80 checks give automated evidence for at least 45 Annex A controls, as the README says", () => {
    const automated = controlCoverage(CHECKS).filter((c) => c.checks.length > 0);
    expect(CHECKS.length).toBeGreaterThanOrEqual(80);
    expect(automated.length).toBeGreaterThanOrEqual(45);
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`${CHECKS.length} checks`);
    expect(readme).toContain(`${automated.length} of the ${ANNEX_A.length} Annex A controls`);
  });

  it("the demo's weeks show every check with a compliant and a non-compliant outcome", async () => {
    const run = await demoRun();
    const store = await openSqliteStore({ file: copyDemoStore(run, dir.path), mode: "read" });
    const seen = new Map<string, Set<string>>();
    try {
      for (const r of await store.listRuns()) {
        for await (const f of store.findingsInStoredOrder(r.id)) {
          let statuses = seen.get(f.checkId);
          if (!statuses) seen.set(f.checkId, (statuses = new Set()));
          statuses.add(f.status === "excepted" ? "fail" : f.status);
        }
      }
    } finally {
      await store.close();
    }
    const missing = CHECKS.flatMap((check) => {
      const statuses = seen.get(check.id) ?? new Set<string>();
      const wanted = check.id in NEVER_PASSES ? ["error"] : ["pass", "fail"];
      const absent = wanted.filter((s) => !statuses.has(s));
      return absent.length > 0 ? [`${check.id}: no ${absent.join(" and no ")} (saw ${[...statuses].join(", ") || "nothing"})`] : [];
    });
    expect(missing).toEqual([]);
  });
});
