/**
 * A package's exports, loaded on first use with `import()`. Node gives a CommonJS package's named
 * exports directly; in the shipped bundle (scripts/bundle.ts) esbuild gives its `module.exports`
 * as the default export alone. Both shapes come out the same here.
 */
export async function loadPackage<T extends object>(imported: Promise<T>): Promise<T> {
  const namespace = await imported;
  const keys = Object.keys(namespace);
  const inner: unknown = (namespace as { default?: unknown }).default;
  return keys.length === 1 && keys[0] === "default" && inner !== null && typeof inner === "object" ? (inner as T) : namespace;
}
