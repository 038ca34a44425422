/**
 * JSON.stringify(value, null, space), as a stream of string chunks: the same bytes, without ever
 * holding the whole text. A report of 100,000 findings is more text than one JavaScript string
 * may hold ("Invalid string length"); written chunk by chunk it is only a file.
 *
 * Containers are walked here, one member at a time; a container small enough (a finding, an
 * OCSF event) is handed to JSON.stringify and re-indented, which is exact because the only raw
 * line breaks in its output are its own indentation. test/reports/json-chunks.test.ts holds the
 * two to the same output on random values.
 */

import { jsonPrimitiveText } from "../src/engine/canonical.js";

/** An array produced on demand, written item by item; JSON.stringify sees it as the array it yields. */
export class LazyJsonArray {
  constructor(private readonly produce: () => Iterable<unknown>) {}
  items(): Iterable<unknown> {
    return this.produce();
  }
  toJSON(): unknown[] {
    return [...this.produce()];
  }
}

export function lazyJsonArray(produce: () => Iterable<unknown>): LazyJsonArray {
  return new LazyJsonArray(produce);
}

/**
 * `chunkNodes`: how many nodes (and 64-character runs of string) a container may hold to be
 * written as one chunk; the default keeps chunks to a few KiB, 0 walks every container here.
 */
export function* jsonChunks(value: unknown, space = 2, chunkNodes = 512): Generator<string, void, undefined> {
  const gap = " ".repeat(Math.max(0, Math.min(10, Math.trunc(Number.isNaN(space) ? 0 : space))));
  const resolved = resolve("", value);
  const text = jsonPrimitiveText(resolved);
  if (text !== undefined) yield text;
  else if (isContainer(resolved)) yield* container(resolved, "", { gap, chunkNodes, stack: new Set() });
}

type Container = object;

interface Walk {
  gap: string;
  chunkNodes: number;
  /** The containers being written, outermost first: meeting one again is a cycle. */
  stack: Set<object>;
}

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

/** What JSON.stringify serializes in place of `value` held under `key`: its toJSON result, boxed primitives unwrapped. */
function resolve(key: string, value: unknown): unknown {
  let current = value;
  if (current instanceof LazyJsonArray) return current;
  if ((typeof current === "object" && current !== null) || typeof current === "bigint" || typeof current === "function") {
    const toJSON: unknown = (current as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") current = (toJSON as (this: unknown, key: string) => unknown).call(current, key);
  }
  if (current instanceof Number) return Number(current);
  if (current instanceof String) return String(current);
  if (current instanceof Boolean) return current.valueOf();
  if (current instanceof BigInt) return current.valueOf();
  return current;
}

function* container(value: Container, indent: string, walk: Walk): Generator<string, void, undefined> {
  const { gap, stack } = walk;
  if (stack.has(value)) throw new TypeError("Converting circular structure to JSON");
  if (!(value instanceof LazyJsonArray) && typeof (value as { toJSON?: unknown }).toJSON !== "function" && fitsOneChunk(value, walk.chunkNodes)) {
    const text = JSON.stringify(value, null, gap);
    yield indent !== "" && gap !== "" ? text.replaceAll("\n", `\n${indent}`) : text;
    return;
  }
  stack.add(value);
  try {
    if (value instanceof LazyJsonArray) yield* array(value.items(), indent, walk);
    else if (Array.isArray(value)) yield* array(value.values(), indent, walk);
    else yield* object(value as Record<string, unknown>, indent, walk);
  } finally {
    stack.delete(value);
  }
}

function* array(items: Iterable<unknown>, indent: string, walk: Walk): Generator<string, void, undefined> {
  const { gap } = walk;
  const inner = indent + gap;
  const separator = gap === "" ? "," : `,\n${inner}`;
  let index = 0;
  for (const raw of items) {
    const head = index === 0 ? (gap === "" ? "[" : `[\n${inner}`) : separator;
    const item = resolve(String(index), raw);
    index += 1;
    if (isContainer(item)) {
      yield head;
      yield* container(item, inner, walk);
    } else yield head + (jsonPrimitiveText(item) ?? "null");
  }
  if (index === 0) yield "[]";
  else yield gap === "" ? "]" : `\n${indent}]`;
}

function* object(value: Record<string, unknown>, indent: string, walk: Walk): Generator<string, void, undefined> {
  const { gap } = walk;
  const inner = indent + gap;
  const separator = gap === "" ? "," : `,\n${inner}`;
  const colon = gap === "" ? ":" : ": ";
  let members = 0;
  for (const key of Object.keys(value)) {
    const item = resolve(key, value[key]);
    const text = isContainer(item) ? undefined : jsonPrimitiveText(item);
    if (text === undefined && !isContainer(item)) continue;
    const head = (members === 0 ? (gap === "" ? "{" : `{\n${inner}`) : separator) + JSON.stringify(key) + colon;
    members += 1;
    if (text !== undefined) yield head + text;
    else {
      yield head;
      yield* container(item as Container, inner, walk);
    }
  }
  if (members === 0) yield "{}";
  else yield gap === "" ? "}" : `\n${indent}}`;
}

/** Whether a container is small enough to be one chunk; stops counting as soon as it is not (so a cycle ends it too). */
function fitsOneChunk(root: Container, chunkNodes: number): boolean {
  let budget = chunkNodes;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    budget -= 1;
    if (typeof value === "string") budget -= value.length >> 6;
    else if (typeof value === "object" && value !== null) {
      if (value instanceof LazyJsonArray) return false;
      if (Array.isArray(value)) {
        if (value.length > budget) return false;
        for (let i = 0; i < value.length; i += 1) pending.push(value[i]);
      } else {
        const keys = Object.keys(value);
        if (keys.length > budget) return false;
        for (const key of keys) {
          budget -= key.length >> 6;
          pending.push((value as Record<string, unknown>)[key]);
        }
      }
    }
    if (budget < 0) return false;
  }
  return true;
}
