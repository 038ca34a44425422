/**
 * Loading the config: read YAML, interpolate ${ENV_VAR}, validate with the one schema, and
 * report every problem with its field path and line, before any API is called.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError, type ConfigIssue } from "../errors.js";
import type { Config, ConfigSchema } from "./schema.js";

export { DEFAULT_CONFIG_FILE } from "./default-file.js";

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file. */
  file: string;
  /** Values interpolated from the environment into secret-looking fields: to be redacted everywhere. */
  secrets: string[];
}

// Slack and Teams webhook URLs carry their secret in the path, so `webhookUrl` counts as one.
const SECRET_FIELD = /(token|secret|password|passwd|private.?key|api.?key|external.?id|credential|webhook.?url)/i;

export interface ConfigLoader {
  loadConfig(file: string, env?: NodeJS.ProcessEnv): Promise<LoadedConfig>;
  parseConfig(text: string, file: string, env?: NodeJS.ProcessEnv): LoadedConfig;
}

/** Loading bound to one assembled schema (app/config.ts binds it to the registry's). */
export function configLoader(schema: ConfigSchema): ConfigLoader {
  return {
    loadConfig: (file, env = process.env) => loadConfigWith(schema, file, env),
    parseConfig: (text, file, env = process.env) => parseConfigWith(schema, text, file, env),
  };
}

async function loadConfigWith(schema: ConfigSchema, file: string, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT"
        ? "the config file does not exist (create one with `isms-agent init`, or pass --config)"
        : `cannot read the config file (${code ?? String(cause)})`;
    throw new ConfigError(path, [{ path: "", message }], { cause });
  }
  return parseConfigWith(schema, text, path, env);
}

function parseConfigWith(schema: ConfigSchema, text: string, file: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return { path: "", message: `${at ? `line ${at.line}, column ${at.col}: ` : ""}${e.message.split("\n")[0] ?? e.message}` };
      }),
    );
  }
  let raw: unknown;
  try {
    // Aliases are resolved here (and an alias bomb is refused by the yaml package's alias limit).
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError(file, [{ path: "", message: `the YAML cannot be read: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const issues: PathedIssue[] = [];
  const secrets: string[] = [];
  const interpolated = interpolate(raw, [], env, issues, secrets);
  if (issues.length > 0)
    throw new ConfigError(
      file,
      issues.map((i) => withLine(i, doc, lineCounter)),
    );

  const parsed = schema.safeParse(interpolated, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => withLine(toConfigIssue(issue), doc, lineCounter)),
    );
  }
  return { config: parsed.data, file, secrets };
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g;

/** Replaces ${VAR} and ${VAR:-default} in every string; `$${` stays a literal `${`. */
function interpolate(value: unknown, path: (string | number)[], env: NodeJS.ProcessEnv, issues: PathedIssue[], secrets: string[]): unknown {
  if (typeof value === "string") {
    const out = value.replace(/\$?\$\{([^}]*)\}/g, (match) => {
      if (match.startsWith("$${")) return match.slice(1);
      ENV_REF.lastIndex = 0;
      const ref = ENV_REF.exec(match);
      if (!ref) {
        issues.push({
          path: formatPath(path),
          rawPath: path,
          message: `"${match}" is not a valid environment reference; expected \${NAME} or \${NAME:-default}`,
        });
        return match;
      }
      const [, name = "", hasDefault, fallback] = ref;
      const resolved = env[name];
      if (resolved === undefined || resolved === "") {
        if (hasDefault !== undefined) return fallback ?? "";
        issues.push({ path: formatPath(path), rawPath: path, message: `environment variable ${name} is not set` });
        return match;
      }
      if (SECRET_FIELD.test(String(path.at(-1) ?? "")) || SECRET_FIELD.test(name)) secrets.push(resolved);
      return resolved;
    });
    // A secret written into the file itself (not advised) is still never repeated anywhere.
    if (out === value && out.length >= 8 && SECRET_FIELD.test(String(path.at(-1) ?? ""))) secrets.push(out);
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...path, i], env, issues, secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, [...path, k], env, issues, secrets)]));
  }
  return value;
}

type PathedIssue = ConfigIssue & { rawPath?: PropertyKey[] };

function toConfigIssue(issue: z.core.$ZodIssue): PathedIssue {
  const rawPath = [...issue.path];
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    message = `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}${suggestion(rawPath)}`;
    // Point the line at the unknown key itself rather than at its parent.
    return { path: formatPath(rawPath), message, rawPath: [...rawPath, issue.keys[0] ?? ""] };
  } else if (issue.code === "invalid_type") {
    const got = issue.input === undefined ? "nothing (the field is required)" : describeValue(issue.input);
    message = `expected ${issue.expected}, got ${got}`;
  } else if (issue.code === "invalid_union") {
    message = `${issue.message}, got ${describeValue(issue.input)}`;
  } else if (issue.code === "invalid_value") {
    message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(issue.input)}`;
  }
  return { path: formatPath(rawPath), message, rawPath };
}

function suggestion(path: PropertyKey[]): string {
  if (path.length === 1 && path[0] === "checks") return " (expected the id of a known check, see `isms-agent controls`)";
  return "";
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === "number" || typeof value === "boolean" ? `${typeof value} ${String(value)}` : typeof value;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Adds "(line N)" when the field exists in the YAML, or its nearest parent does. */
function withLine(issue: PathedIssue, doc: Document, lines: LineCounter): ConfigIssue {
  const path = issue.rawPath ?? [];
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) {
      const { line } = lines.linePos(node.range[0]);
      return { path: issue.path, message: `${issue.message} (line ${line})` };
    }
  }
  return { path: issue.path, message: issue.message };
}
