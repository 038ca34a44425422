/**
 * Property-based tests (fast-check) on every parser of outside data and on the config loader:
 * whatever comes in, the result is a value or a clear error — never a crash of another kind.
 * Assertions never run inside a try whose catch accepts any Error (a failed expect is one).
 * Checks fed broken evidence: test/controls/checks.properties.test.ts.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../collectors/aws/csv.js";
import { parseCredentialReport } from "../collectors/aws/iam.js";
import { parsePortSpec } from "../controls/lib/azure.js";
import { parseConfig } from "../app/config.js";
import { ConfigError } from "../src/errors.js";

const RUNS = { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 300) };

function rfc4180(table: string[][]): string {
  return table.map((row) => row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(",")).join("\n");
}

describe("property: parsers of outside data", () => {
  it("CSV: any table written per RFC 4180 reads back as itself", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é", "1") });
    // A row of one empty cell is indistinguishable from an empty line, so rows have content.
    const row = fc.array(cell, { minLength: 1, maxLength: 5 }).filter((r) => r.length > 1 || (r[0] ?? "") !== "");
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), (table) => {
        expect(parseCsv(rfc4180(table))).toEqual(table);
      }),
      RUNS,
    );
  });

  it("CSV: text without quotes splits on line ends and commas; text with quotes gives a table of strings or the parser's own unterminated-quote error", () => {
    const expectedError = "unterminated quoted field at the end of the CSV";
    const plain = fc.string({ unit: fc.constantFrom("a", "b", ",", "\n", "\r", "\r\n", " ", "é", "1") });
    fc.assert(
      fc.property(plain, (text) => {
        // Without quotes nothing can be unterminated: the parse is line ends then commas, a final line end ending the last row.
        const lines = text.split(/\r\n|\r|\n/);
        if (lines[lines.length - 1] === "") lines.pop();
        expect(parseCsv(text)).toEqual(lines.map((line) => line.split(",")));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('"', '""', "a", ",", "\n", "\r\n", " ") })), (text) => {
        const outcome = attempt(() => parseCsv(text));
        if ("error" in outcome) {
          expect(outcome.error).toBeInstanceOf(Error);
          expect((outcome.error as Error).message).toBe(expectedError);
          // Only an opening quote left open can cause it.
          expect(text).toContain('"');
        } else {
          for (const row of outcome.value) {
            expect(row.length).toBeGreaterThan(0);
            for (const cell of row) expect(typeof cell).toBe("string");
          }
        }
      }),
      RUNS,
    );
    // A field that opens a quote and never closes it: always that error, never a table.
    const unquoted = fc.string({ unit: fc.constantFrom("a", ",", "\n", " ", "1") });
    fc.assert(
      fc.property(unquoted, unquoted, (before, after) => {
        const text = `${before}${before === "" || /[,\n]$/.test(before) ? "" : ","}"${after}`;
        const outcome = attempt(() => parseCsv(text));
        expect(outcome).toEqual({ error: new Error(expectedError) });
      }),
      RUNS,
    );
  });

  it("credential report: any bytes give a report or a 'malformed credential report' error", () => {
    const header =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n";
    const body = fc.oneof(
      fc.string(),
      fc.string().map((s) => header + s),
      fc.uint8Array().map((b) => Buffer.from(b).toString("latin1")),
    );
    fc.assert(
      fc.property(body, fc.constantFrom(undefined, "text/csv", "text/plain"), (text, format) => {
        const outcome = attempt(() => parseCredentialReport(Buffer.from(text, "utf8"), format, new Date("2026-11-01T00:00:00Z")));
        if ("error" in outcome) {
          expect(outcome.error).toBeInstanceOf(Error);
          expect((outcome.error as Error).message).toMatch(/^malformed credential report/);
        } else {
          expect(Array.isArray(outcome.value.rows)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("NSG port specifications: every valid spec parses to its range; every invalid one throws the parser's message for it", () => {
    const space = fc.constantFrom("", " ", "\t");
    const port = fc.integer({ min: 0, max: 65535 });
    // Valid: *, any, a port, a range from <= to <= 65535, with blanks around.
    const valid = fc.oneof(
      fc.tuple(space, fc.constantFrom("*", "any", "Any", "ANY"), space).map(([a, v, b]) => ({ spec: a + v + b, range: { from: 0, to: 65535 } })),
      fc.tuple(space, port, space).map(([a, p, b]) => ({ spec: `${a}${p}${b}`, range: { from: p, to: p } })),
      fc.tuple(port, port, space, space).map(([x, y, a, b]) => {
        const [from, to] = x <= y ? [x, y] : [y, x];
        return { spec: `${from}${a}-${b}${to}`, range: { from, to } };
      }),
    );
    fc.assert(
      fc.property(valid, ({ spec, range }) => {
        expect(parsePortSpec(spec)).toEqual(range);
      }),
      RUNS,
    );
    // Invalid, each with the message that names what is wrong.
    const invalid = fc.oneof(
      fc.integer({ min: 65536, max: 99999 }).map((p) => ({ spec: String(p), message: `port ${p} is out of range` })),
      fc
        .tuple(port, port)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => {
          const spec = `${Math.max(a, b)}-${Math.min(a, b)}`;
          return { spec, message: `port range "${spec}" is not a valid range` };
        }),
      fc
        .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 65536, max: 99999 }))
        .map(([a, b]) => ({ spec: `${a}-${b}`, message: `port range "${a}-${b}" is not a valid range` })),
      fc
        .string()
        .filter((text) => !/^\s*(\*|any|\d{1,5}|\d{1,5}\s*-\s*\d{1,5})\s*$/i.test(text))
        .map((spec) => ({ spec, message: `"${spec}" is not a port, a range or *` })),
      fc
        .constantFrom("123456", "-1", "22,80", "22-", "-22", "1-2-3", "0x16", "22.0")
        .map((spec) => ({ spec, message: `"${spec}" is not a port, a range or *` })),
    );
    fc.assert(
      fc.property(invalid, ({ spec, message }) => {
        expect(attempt(() => parsePortSpec(spec))).toEqual({ error: new Error(message) });
      }),
      RUNS,
    );
  });
});

describe("property: the config loader", () => {
  it("any YAML text loads or fails with a ConfigError", () => {
    const text = fc.oneof(
      fc.string(),
      fc.anything({ maxDepth: 3 }).map((v) => String(stringify(v) ?? "")),
      fc
        .record(
          {
            organization: fc.anything({ maxDepth: 1 }),
            sources: fc.anything({ maxDepth: 3 }),
            objectives: fc.anything({ maxDepth: 2 }),
            schedule: fc.anything({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => stringify(v)),
    );
    fc.assert(
      fc.property(text, (yaml) => {
        try {
          parseConfig(yaml, "/tmp/isms-agent.yaml", {});
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.issues.length).toBeGreaterThan(0);
          for (const issue of error.issues) expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});

/** The value or the thrown error, so that assertions run outside any try/catch and a failed expect is never swallowed. */
function attempt<T>(run: () => T): { value: T } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}
