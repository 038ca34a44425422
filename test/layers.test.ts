/**
 * The import directions of DESIGN.md's layout, read from every source file's import specifiers
 * (static, dynamic and re-exports): the core stays below its plugins, and plugins see only the core.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** Each layer and the top-level folders its files may import (besides packages and node:). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  src: ["src"],
  collectors: ["src", "collectors"],
  controls: ["src", "controls"],
  reports: ["src", "reports"],
  demo: ["src", "demo"],
};

function tsFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Every relative specifier a file imports, dynamic imports and `export ... from` included. */
export function relativeImports(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("."));
}

function topFolder(file: string): string {
  return relative(ROOT, file).split(sep)[0] ?? "";
}

function violations(): string[] {
  const found: string[] = [];
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    for (const file of tsFiles(join(ROOT, layer))) {
      for (const specifier of relativeImports(readFileSync(file, "utf8"))) {
        const target = topFolder(resolve(dirname(file), specifier));
        if (!allowed.includes(target))
          found.push(`${relative(ROOT, file)} imports ${specifier} (${target}/ is not in ${layer}/'s allowed layers: ${allowed.join(", ")})`);
      }
    }
  }
  return found;
}

describe("layers point one way", () => {
  it("the specifier reader sees static, dynamic, type-only and re-exported imports", () => {
    const text =
      'import a from "../x/a.js";\nimport type { B } from "../y/b.js";\nexport { c } from "./c.js";\nconst d = await import("../z/d.js");\n// import e from "../comment.js"\n';
    expect(relativeImports(text)).toEqual(["../x/a.js", "../y/b.js", "./c.js", "../z/d.js"]);
  });

  it("src/ imports only src/; collectors/, controls/, reports/ and demo/ import only src/ and themselves", () => {
    expect(violations()).toEqual([]);
  });

  it("the layers exist where DESIGN.md puts them", () => {
    for (const layer of [...Object.keys(MAY_IMPORT), "app"]) expect(tsFiles(join(ROOT, layer)).length, `${layer}/ holds no .ts file`).toBeGreaterThan(0);
  });
});
