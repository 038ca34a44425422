/**
 * The CLI as it ships (scripts/bundle.ts), built into a folder of its own for tests that run it
 * as a real child process on bare node (no TypeScript loader in the child).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleCli as bundleShippedCli } from "../scripts/bundle.js";

const ROOT = resolve(import.meta.dirname, "..");

export interface CliBundle {
  /** The folder the bundle lives in (free for the test's own files too). */
  dir: string;
  /** The bundled app/cli/bin.ts. */
  bin: string;
  /** The packages inside the bundle's files at these URLs (read from each file's source map), and packages loaded from node_modules. */
  packagesIn(urls: readonly string[]): string[];
  cleanup(): void;
}

export async function bundleCli(): Promise<CliBundle> {
  // Inside the checkout, so the bundle's external packages (sqlite3) resolve from its node_modules.
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "isms-cli-"));
  const bundleDir = join(dir, "bundle");
  const bin = await bundleShippedCli(bundleDir);
  return {
    dir,
    bin,
    packagesIn: (urls) => {
      const packages = new Set<string>();
      for (const url of urls) {
        if (!url.startsWith("file:")) continue;
        const file = fileURLToPath(url);
        const sources =
          file.startsWith(bundleDir) && file.endsWith(".js")
            ? (JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[] }).sources.map((source) => join(dirname(file), source))
            : [file];
        for (const source of sources) {
          const inModules = source.split("/node_modules/").at(-1);
          if (inModules === undefined || inModules === source) continue;
          const parts = inModules.split("/");
          packages.add(parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? ""));
        }
      }
      return [...packages].sort();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
