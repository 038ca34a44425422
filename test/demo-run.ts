/**
 * The demo's outputs for a test file that only reads them: the run test/global-setup.ts built once
 * for the whole test run. Importing this module is what tells the global setup to build it.
 */
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { buildDemo, type DemoRun } from "./demo-build.js";

let local: Promise<DemoRun> | undefined;

export async function demoRun(): Promise<DemoRun> {
  // Null only when the global setup did not see this file selected (a watch-mode rerun of it):
  // then this file builds its own, once.
  const run = inject("demoRun") ?? (await (local ??= buildLocally()));
  if (run.error !== undefined) throw new Error(`the shared demo run failed: ${run.error}`);
  return run;
}

async function buildLocally(): Promise<DemoRun> {
  const run = await buildDemo();
  process.once("exit", () => rmSync(run.dir, { recursive: true, force: true }));
  return run;
}

/**
 * A private copy of the demo's store in `dir`, for a test that opens it: test files run in
 * parallel, and each keeps a store of its own as when it ran the demo itself.
 */
export function copyDemoStore(run: DemoRun, dir: string): string {
  const file = join(dir, "demo.db");
  for (const suffix of ["", "-wal"]) {
    if (existsSync(`${run.database}${suffix}`)) copyFileSync(`${run.database}${suffix}`, `${file}${suffix}`);
  }
  return file;
}
