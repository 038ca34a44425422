import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../controls/registry.js";

// README's "What it checks" table is what users and auditors read first: it must say what the
// checks' metadata says, control for control.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function whatItChecks(): { checks: string[]; controls: string; line: string }[] {
  const section = readme.split(/^## What it checks$/m)[1]?.split(/^## /m)[0] ?? "";
  return section
    .split("\n")
    .filter((line) => /^\| `[a-z]/.test(line))
    .map((line) => {
      const [checks = "", controls = ""] = line.split(" | ");
      return { checks: [...checks.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ""), controls: controls.trim(), line };
    });
}

describe("README: What it checks", () => {
  const rows = whatItChecks();

  it("lists every check exactly once", () => {
    expect(rows.flatMap((r) => r.checks).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it("gives each check exactly the Annex A ids of its metadata", () => {
    const sorted = (ids: string) => ids.split(", ").sort().join(", ");
    const wrong = rows.flatMap((row) =>
      row.checks.flatMap((id) => {
        const check = CHECKS.find((c) => c.id === id);
        const expected = check?.perFindingControls ? "as you map them" : (check?.controls.map((m) => m.control).join(", ") ?? "");
        return sorted(row.controls) === sorted(expected) ? [] : [`${id}: README says "${row.controls}", the check says "${expected}"`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  it("is one table: no blank line splits it", () => {
    const section = readme.split(/^## What it checks$/m)[1]?.split(/^## /m)[0] ?? "";
    const table = section.slice(section.indexOf("| check |"));
    const lines = table.split("\n");
    const end = lines.findIndex((line) => !line.startsWith("|"));
    expect(lines.slice(end).filter((line) => line.startsWith("| `"))).toEqual([]);
  });
});
