/**
 * Drift merges two runs' findings in the order SQLite's BINARY collation gives (UTF-8 bytes): the
 * comparison in code must agree with it on any text, astral characters and U+E000–FFFF included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareKeys, compareUtf8 } from "../../src/engine/drift.js";

const sign = (n: number) => Math.sign(n);
const utf8Order = (a: string, b: string) => sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));

describe("compareUtf8", () => {
  it("orders any well-formed strings as their UTF-8 bytes do", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        expect(sign(compareUtf8(a, b))).toBe(utf8Order(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("puts a character above U+FFFF after U+E000–FFFF, as UTF-8 does (UTF-16 would not)", () => {
    expect(sign(compareUtf8("\u{1F510}", "\uFFFD"))).toBe(1);
    expect(sign(compareUtf8("a\uE000", "a\u{10000}"))).toBe(-1);
    expect(compareUtf8("same", "same")).toBe(0);
    expect(sign(compareUtf8("ab", "abc"))).toBe(-1);
  });

  it("compareKeys compares field by field, a missing field as empty", () => {
    expect(sign(compareKeys(["a", "b"], ["a", "c"]))).toBe(-1);
    expect(compareKeys(["a", ""], ["a"])).toBe(0);
    expect(sign(compareKeys(["b"], ["a", "z"]))).toBe(1);
  });
});
