/**
 * The streaming JSON serializer must write exactly what JSON.stringify(value, null, 2) writes, or
 * report.json, OCSF and OSCAL would change bytes (and break re-render identity) the day they were
 * streamed. Random values from fast-check keep the two from drifting apart; the bound on chunk size
 * is what makes it a stream at all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonChunks, lazyJsonArray } from "../../reports/json-chunks.js";
import { syntheticReport } from "./synthetic-report.js";

const joined = (value: unknown, space?: number, chunkNodes?: number) => [...jsonChunks(value, space, chunkNodes)].join("");
// 0 walks every container in jsonChunks itself; small budgets mix the walk with JSON.stringify.
const budgets = fc.constantFrom(0, 1, 3, 20, 512);

// Values JSON.stringify treats specially: dropped keys, nulls in arrays, toJSON, boxed primitives, -0.
const odd = fc.constantFrom<unknown>(
  undefined,
  NaN,
  Infinity,
  -Infinity,
  -0,
  () => 1,
  Symbol("s"),
  new Date(0),
  new Number(3),
  new String("boxed"),
  new Boolean(false),
  { toJSON: (key: string) => `key:${key}` },
);
const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue(),
    odd,
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.array(tie("value"), { maxLength: 40 }),
    fc.dictionary(fc.string({ unit: "grapheme" }), tie("value"), { maxKeys: 40 }),
  ),
})).value;

describe("jsonChunks", () => {
  it("writes what JSON.stringify(value, null, 2) writes, for any value", () => {
    fc.assert(
      fc.property(anyValue, budgets, (value, chunkNodes) => {
        expect(joined(value, 2, chunkNodes)).toBe(JSON.stringify(value, null, 2) ?? "");
      }),
      { numRuns: 2000 },
    );
  });

  it("writes what JSON.stringify writes for other indents, and without one", () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: -1, max: 12 }), budgets, (value, space, chunkNodes) => {
        expect(joined(value, space, chunkNodes)).toBe(JSON.stringify(value, null, space) ?? "");
      }),
      { numRuns: 500 },
    );
  });

  it("writes large nested arrays and objects (streamed, not handed to JSON.stringify whole) identically", () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.array(fc.jsonValue(), { maxLength: 100 }), { maxKeys: 6 }), { minLength: 50, maxLength: 200 }),
        (value) => {
          const nested = { top: value, inner: { deeper: [value, { value }] } };
          expect(joined(nested)).toBe(JSON.stringify(nested, null, 2));
        },
      ),
      { numRuns: 10 },
    );
  });

  it("calls toJSON with the property's key, as JSON.stringify does", () => {
    const value = {
      when: new Date(Date.UTC(2026, 10, 1)),
      list: [{ toJSON: (k: string) => `at ${k}` }],
      named: { toJSON: (k: string) => ({ k, toJSON: () => "not called twice" }) },
    };
    for (const chunkNodes of [0, 512]) expect(joined(value, 2, chunkNodes)).toBe(JSON.stringify(value, null, 2));
    expect(joined(value, 2, 0)).toContain('"k": "named"');
  });

  it("refuses what JSON.stringify refuses: cycles and BigInt", () => {
    const cyclic: Record<string, unknown> = { a: [] };
    (cyclic["a"] as unknown[]).push(Array.from({ length: 5000 }, () => cyclic));
    expect(() => joined(cyclic)).toThrow(TypeError);
    expect(() => joined(cyclic, 2, 0)).toThrow(TypeError);
    expect(() => joined({ n: 1n }, 2, 0)).toThrow(TypeError);
  });

  it("writes a report byte for byte as JSON.stringify does", () => {
    const report = syntheticReport(2000);
    for (const chunkNodes of [0, 512]) expect(joined(report, 2, chunkNodes)).toBe(JSON.stringify(report, null, 2));
  });

  it("writes a lazy array as the array it yields, without holding it", () => {
    const items = [{ a: 1 }, { b: [1, 2, { c: "x" }] }, "s", null];
    let produced = 0;
    const lazy = lazyJsonArray(function* () {
      for (const item of items) {
        produced += 1;
        yield item;
      }
    });
    expect(produced).toBe(0);
    expect(joined({ list: lazy, empty: lazyJsonArray(() => []) })).toBe(JSON.stringify({ list: items, empty: [] }, null, 2));
    expect(produced).toBe(items.length);
    // Anywhere else it is the plain array.
    expect(JSON.stringify({ list: lazy })).toBe(JSON.stringify({ list: items }));
  });

  it("never yields a chunk near the size of the document", () => {
    const report = syntheticReport(20_000);
    let largest = 0;
    let total = 0;
    for (const chunk of jsonChunks(report)) {
      largest = Math.max(largest, chunk.length);
      total += chunk.length;
    }
    expect(total).toBeGreaterThan(8 * 1024 * 1024);
    expect(largest).toBeLessThan(64 * 1024);
  });
});
