import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPackage } from "../../collectors/load-package.js";

const ROOT = resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(dir, file));
}

describe("loadPackage", () => {
  it("gives a CommonJS package's named exports whether node or the bundle loaded it", async () => {
    class Client {}
    // Node: the named exports beside `default`.
    expect(await loadPackage(Promise.resolve({ Client, default: { Client } }))).toHaveProperty("Client", Client);
    // The bundle (esbuild): module.exports as the only, default export.
    expect(await loadPackage(Promise.resolve({ default: { Client } }))).toEqual({ Client });
    // An ES module whose only export is a default function stays as it is.
    const only = () => undefined;
    expect(await loadPackage(Promise.resolve({ default: only }))).toEqual({ default: only });
  });

  it("is how every package loaded on first use is imported (its named exports are undefined in the bundle otherwise)", () => {
    const bare = /(?<!loadPackage\()import\("(?![./])([^"]+)"\)/g;
    const offenders = ["app", "src", "collectors", "controls", "reports"].flatMap(sourceFiles).flatMap((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(bare)]
        // `{ default: x }` is the same in both.
        .filter((match) => !/\{\s*default:\s*\w+\s*\}\s*=\s*await\s*$/.test(match.input.slice(Math.max(0, (match.index ?? 0) - 60), match.index)))
        .map((match) => `${file}: ${match[0]}`),
    );
    expect(offenders).toEqual([]);
  });
});
