/**
 * Runs once per `vitest run`, in the main process: builds the demo estate's outputs once
 * (test/demo-build.ts) and provides them to the test files that read them (test/demo-run.ts).
 * Only when a selected test file reads them: running one unrelated file costs nothing extra.
 */
import { readFileSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildDemo, DEMO_READER_MARK } from "./demo-build.js";

/** The selected test files; undefined if this vitest cannot say (then the demo is built anyway). */
function selectedFiles(project: TestProject): string[] | undefined {
  // The state API is marked experimental; the paths are collected before global setups run.
  const files = project.vitest.state?.getFilepaths?.();
  return files && files.length > 0 ? files : undefined;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const files = selectedFiles(project);
  const needed = files === undefined || files.some((file) => readFileSync(file, "utf8").includes(DEMO_READER_MARK));
  if (!needed) {
    project.provide("demoRun", null);
    return () => undefined;
  }
  const run = await buildDemo();
  project.provide("demoRun", run);
  return () => rmSync(run.dir, { recursive: true, force: true });
}
