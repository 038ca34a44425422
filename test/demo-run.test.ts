import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { demoRun } from "./demo-run.js";

describe("the demo estate, built once per test run", () => {
  it("is built by the global setup and handed to the files that read it, not run again by each", async () => {
    const shared = inject("demoRun");
    expect(shared).toBeTruthy();
    expect(shared?.error).toBeUndefined();
    expect(shared?.code).toBe(0);
    // The reading files get that same run.
    const run = await demoRun();
    expect(run.dir).toBe(shared?.dir);
    expect(existsSync(join(run.out, "report.json"))).toBe(true);
    expect(existsSync(run.database)).toBe(true);
    // The demo's dummy credentials stay out of the environment the test workers inherit.
    expect(process.env["ISMS_DEMO_WEBHOOK_SECRET"]).toBeUndefined();
  });
});
