import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { buildSync } from "esbuild";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { resourceMatches } from "../../src/engine/exceptions.js";

/** The textbook O(n·m) dynamic programme over (pattern, text) prefixes: the reference. */
function reference(pattern: string | null, text: string): boolean {
  if (pattern === null) return true;
  let row: boolean[] = [true];
  for (let j = 1; j <= text.length; j++) row[j] = false;
  for (const p of pattern) {
    const next: boolean[] = [p === "*" && (row[0] ?? false)];
    for (let j = 1; j <= text.length; j++) next[j] = p === "*" ? (row[j] ?? false) || (next[j - 1] ?? false) : (row[j - 1] ?? false) && text[j - 1] === p;
    row = next;
  }
  return row[text.length] ?? false;
}

describe("exception resource patterns", () => {
  it("match exact ids, and * as any run of characters, including none and across separators", () => {
    const cases: [string | null, string, boolean][] = [
      [null, "anything", true],
      ["*", "", true],
      ["*", "arn:aws:iam::1:user/a", true],
      ["arn:aws:iam::1:user/a", "arn:aws:iam::1:user/a", true],
      ["arn:aws:iam::1:user/a", "arn:aws:iam::1:user/ab", false],
      ["*:user/erin.contractor", "arn:aws:iam::123456789012:user/erin.contractor", true],
      ["*:user/erin.contractor", "arn:aws:iam::123456789012:user/erin.contractorX", false],
      ["arn:*:user/*", "arn:aws:iam::1:user/", true],
      ["a*b*c", "abc", true],
      ["a*b*c", "aXbYc", true],
      ["a*b*c", "acb", false],
      ["a*a", "a", false],
      ["a*a", "aa", true],
      ["**", "", true],
      ["*a*", "bbb", false],
      // Regex metacharacters are literal, and * spans newlines.
      ["(.+)?[x]*", "(.+)?[x]anything\nelse", true],
      ["(.+)?[x]*", "aaa", false],
      ["x*y", "x\n\ny", true],
    ];
    for (const [pattern, text, expected] of cases) expect(resourceMatches(pattern, text), `${String(pattern)} vs ${JSON.stringify(text)}`).toBe(expected);
  });

  it("agrees with a reference matcher on random patterns and ids", () => {
    const alphabet = fc.constantFrom("a", "b", "*", ".", "\n");
    const text = fc.array(fc.constantFrom("a", "b", ".", "\n", "*"), { maxLength: 24 }).map((xs) => xs.join(""));
    const pattern = fc.array(alphabet, { maxLength: 10 }).map((xs) => xs.join(""));
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        expect(resourceMatches(p, t)).toBe(reference(p, t));
      }),
      { numRuns: 5000 },
    );
  });

  describe("a pathological pattern against a long id", () => {
    let worker: Worker | undefined;
    afterEach(async () => {
      await worker?.terminate();
      worker = undefined;
    });

    it("is decided, and correctly (a backtracking matcher would run for hours and hit the test timeout)", async () => {
      // In a worker thread, so the test timeout can fire even if matching blocks its thread.
      const bundle = buildSync({
        entryPoints: [fileURLToPath(new URL("../../src/engine/exceptions.ts", import.meta.url))],
        bundle: true,
        format: "cjs",
        platform: "node",
        write: false,
      }).outputFiles[0]?.text;
      expect(bundle).toBeDefined();
      const cases = [
        { pattern: `${"*a".repeat(40)}*b`, text: "a".repeat(5_000) },
        { pattern: `${"*a".repeat(40)}*b`, text: `${"a".repeat(5_000)}b` },
        { pattern: `${"*ab".repeat(30)}*c`, text: "ab".repeat(3_000) },
        { pattern: `${"*a".repeat(40)}*`, text: "a".repeat(39) },
      ];
      worker = new Worker(
        `const { parentPort, workerData } = require("node:worker_threads");
         const module = { exports: {} };
         (function (module, exports) { ${bundle ?? ""} })(module, module.exports);
         parentPort.postMessage(workerData.map((c) => module.exports.resourceMatches(c.pattern, c.text)));`,
        { eval: true, workerData: cases },
      );
      const answers = await new Promise<boolean[]>((resolve, reject) => {
        worker?.once("message", resolve);
        worker?.once("error", reject);
      });
      expect(answers).toEqual([false, true, false, false]);
      expect(cases.map((c) => reference(c.pattern, c.text))).toEqual(answers);
    });
  });
});
