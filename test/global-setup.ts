/**
 * Runs once per `vitest run`, in the main process: builds the demo estate's outputs once
 * (test/demo-build.ts) and provides them to the test files that read them (test/demo-run.ts).
 * Only when a selected test file reads them: running one unrelated file costs nothing extra.
 */
import { readFileSync, rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildDemo, DEMO_READER_MARK } from "./demo-build.js";

/**
 * The test files this run selected: the command line's file filters (vitest keeps them on the
 * instance, not in its typed surface) through vitest's own file selection. Without filters, or
 * with a vitest that no longer keeps them there, every test file: the demo is built anyway.
 */
async function selectedFiles(project: TestProject): Promise<string[]> {
  const filters = (project.vitest as { filenamePattern?: unknown }).filenamePattern;
  const patterns = Array.isArray(filters) && filters.every((f) => typeof f === "string") ? (filters as string[]) : undefined;
  const specs = await project.vitest.getRelevantTestSpecifications(patterns);
  return specs.map((spec) => spec.moduleId);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const files = await selectedFiles(project);
  const needed = files.some((file) => readFileSync(file, "utf8").includes(DEMO_READER_MARK));
  if (!needed) {
    project.provide("demoRun", null);
    return () => undefined;
  }
  const run = await buildDemo();
  project.provide("demoRun", run);
  return () => rmSync(run.dir, { recursive: true, force: true });
}
