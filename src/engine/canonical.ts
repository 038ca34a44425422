import { createHash } from "node:crypto";

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` dropped. The same value always
 * gives the same bytes, so its sha256 is a stable digest of the evidence whatever order an API
 * returned keys in.
 */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify, undefined for a value it leaves out (undefined, a function); no caller passes one.
  return canonicalText(value) as string;
}

/**
 * The text JSON.stringify gives for the value with every object's keys sorted (undefined and
 * function members dropped, Dates as their ISO string), written directly instead of through a
 * sorted copy of the value: the same bytes with far less garbage (test/engine/canonical.test.ts).
 */
function canonicalText(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return jsonPrimitiveText(value);
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) text += `${i === 0 ? "" : ","}${canonicalText(value[i] as unknown) ?? "null"}`;
    return `${text}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  let text = "{";
  let first = true;
  for (const key of sortedKeys(value)) {
    const member = canonicalText((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:${member}`;
    first = false;
  }
  return `${text}}`;
}

/** JSON.stringify's text of a value that is not an object (null included); undefined for what it leaves out (undefined, functions, symbols) and for objects. */
export function jsonPrimitiveText(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    case "object":
      return value === null ? "null" : undefined;
    default:
      return undefined;
  }
}

/**
 * The keys in the order the definition's sorted copy holds them: JavaScript puts integer-like keys
 * ("0", "17") first, in numeric order, whatever order they were added in; the rest sorted.
 */
function sortedKeys(value: object): string[] {
  // An own "__proto__" (JSON.parse makes one) never reached the definition's copy: assigning it
  // there set the copy's prototype instead. Digests stored so far are of that copy, so it is left out.
  const keys = Object.keys(value)
    .filter((key) => key !== "__proto__")
    .sort();
  const indices = keys.filter(isArrayIndex);
  if (indices.length === 0) return keys;
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}
