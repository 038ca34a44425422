/**
 * The CLI bundled for tests that run it as a real child process on bare node (no TypeScript
 * loader in the child): esbuild, like bench/agent.ts, with code splitting so each `import()` of
 * the CLI stays a chunk of its own, and packages left external.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");

export interface CliBundle {
  /** The folder the bundle lives in (free for the test's own files too). */
  dir: string;
  /** The bundled app/cli/bin.ts. */
  bin: string;
  cleanup(): void;
}

export async function bundleCli(): Promise<CliBundle> {
  // Inside the checkout, so the bundle's external packages resolve from its node_modules.
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "isms-cli-"));
  await build({
    entryPoints: [join(ROOT, "app/cli/bin.ts")],
    outdir: join(dir, "bundle"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return { dir, bin: join(dir, "bundle", "bin.js"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
