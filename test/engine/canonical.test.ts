/**
 * Canonical JSON is what every evidence digest and the run hash are computed over: the direct
 * writer must give exactly the bytes the sorted-copy definition gives, on any value, or stored
 * runs would stop verifying.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/engine/canonical.js";

/** The definition: JSON.stringify of a copy with every object's keys sorted, undefined members dropped, Dates as ISO strings. */
function byDefinition(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const member = (v as Record<string, unknown>)[key];
        if (member !== undefined) out[key] = sortKeys(member);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** Its text, or the kind of error it throws (an invalid Date throws either way). */
function outcome(make: () => string): { text: string } | { error: string } {
  try {
    return { text: make() };
  } catch (error) {
    return { error: error instanceof Error ? error.constructor.name : String(error) };
  }
}

describe("canonicalJson", () => {
  it("gives the bytes of the sorted-copy definition for any JSON-like value", () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: true, withBoxedValues: false, withSparseArray: true, withTypedArray: true }), (value) => {
        expect(outcome(() => canonicalJson(value))).toEqual(outcome(() => byDefinition(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it("sorts keys, drops undefined and function members, writes non-finite numbers as null", () => {
    const value = { b: 1, a: [undefined, () => 1, Number.NaN, -0], c: undefined, d: () => 2, é: "\u{1F510}", e: new Date("2026-01-02T03:04:05Z") };
    expect(canonicalJson(value)).toBe('{"a":[null,null,null,0],"b":1,"e":"2026-01-02T03:04:05.000Z","é":"\u{1F510}"}');
    expect(canonicalJson(value)).toBe(byDefinition(value));
    // Integer-like keys first in numeric order, as the definition's copy holds them; an own __proto__ left out.
    const parsed: unknown = JSON.parse('{"b":1,"10":2,"2":3,"__proto__":{"x":1},"a":4}');
    expect(canonicalJson(parsed)).toBe('{"2":3,"10":2,"a":4,"b":1}');
    expect(canonicalJson(parsed)).toBe(byDefinition(parsed));
  });
});
