/**
 * The CLI as it ships: app/cli/bin.ts and everything it imports, packages included, bundled by
 * esbuild into dist/. Node then reads a few dozen files instead of resolving and compiling the
 * thousand or so that the AWS, Azure and GitHub SDKs spread over node_modules (about 0.6 s of
 * every command's start). Code splitting keeps each command's and each source type's `import()`
 * a chunk of its own, so a command still loads only what it needs. sqlite3 is a native addon and
 * stays in node_modules. The demo, the tests that run the CLI as a child process and the
 * benchmark all run this same bundle.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");

/** Packages the bundle loads from node_modules at run time. */
export const EXTERNAL_PACKAGES = ["sqlite3"] as const;

// Bundled CommonJS code still calls require() for node's modules and reads __dirname: an ES module
// has neither, so every output file defines them for the code inside it.
const COMMONJS_GLOBALS = [
  'import { createRequire as __ismsCreateRequire } from "node:module";',
  'import { fileURLToPath as __ismsFileURLToPath } from "node:url";',
  'import { dirname as __ismsDirname } from "node:path";',
  "const require = __ismsCreateRequire(import.meta.url);",
  "const __filename = __ismsFileURLToPath(import.meta.url);",
  "const __dirname = __ismsDirname(__filename);",
].join(" ");

/** Bundles the CLI into `outdir` (emptied first); returns the path of its entry point. */
export async function bundleCli(outdir: string): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, "app/cli/bin.ts")],
    outbase: ROOT,
    outdir,
    entryNames: "[dir]/[name]",
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: [...EXTERNAL_PACKAGES],
    banner: { js: COMMONJS_GLOBALS },
    sourcemap: "linked",
    logLevel: "warning",
  });
  return join(outdir, "app", "cli", "bin.js");
}
