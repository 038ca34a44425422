/**
 * One run of `isms-agent demo` into a folder, as the tests read it: its reports, its store, what it
 * printed. test/global-setup.ts builds it once per test run (about 17 s of work on two cores) and
 * hands it to every test file that reads it (test/demo-run.ts), instead of each file running the
 * whole demo again. No vitest import here: the global setup runs outside the test workers.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoCommand } from "../app/cli/demo.js";

export interface DemoRun {
  /** The folder holding out/ and demo.db; removed when the test run ends. */
  dir: string;
  out: string;
  database: string;
  /** When the demo started (ISO): the tests' "today", as if they had run it themselves first. */
  startedAt: string;
  /** demoCommand's exit code. */
  code: number;
  /** Everything it printed, stdout and stderr lines in order. */
  lines: string[];
  /** Set when demoCommand threw: each test reading the demo fails with it. */
  error?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** The demo built by test/global-setup.ts; null when no selected test file reads it. */
    demoRun: DemoRun | null;
  }
}

/** Marks a test file as a reader of the shared demo: the global setup builds it only for such files. */
export const DEMO_READER_MARK = "demo-run.js";

export async function buildDemo(): Promise<DemoRun> {
  const dir = mkdtempSync(join(tmpdir(), "isms-agent-demo-"));
  const run: DemoRun = { dir, out: join(dir, "out"), database: join(dir, "demo.db"), startedAt: new Date().toISOString(), code: -1, lines: [] };
  // demoCommand sets dummy credentials in process.env; in the global setup that would leak into
  // every test worker forked afterwards, so the environment is put back as it was.
  const env = { ...process.env };
  try {
    run.code = await demoCommand({ out: run.out, database: run.database }, { out: (l) => run.lines.push(l), err: (l) => run.lines.push(l) });
  } catch (error) {
    run.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
  }
  return run;
}
