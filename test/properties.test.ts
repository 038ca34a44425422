/**
 * Property-based tests (fast-check) on every parser of outside data and on the config loader:
 * whatever comes in, the result is a value or a clear error — never a crash of another kind.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../collectors/aws/csv.js";
import { parseCredentialReport } from "../collectors/aws/iam.js";
import { parsePortSpec } from "../controls/lib/azure.js";
import { CHECKS } from "../controls/registry.js";
import { parseConfig } from "../src/config/load.js";
import type { CollectorOutcome, StoredEvidence } from "../src/domain.js";
import { FINDING_STATUSES } from "../src/domain.js";
import { canonicalJson, sha256 } from "../src/engine/canonical.js";
import { evaluate } from "../src/engine/evaluate.js";
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

  it("CSV: any text parses or fails with an Error", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          expect(Array.isArray(parseCsv(text))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
  });

  it("credential report: any bytes give a report or a 'malformed credential report' error", () => {
    const header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date\n";
    const body = fc.oneof(fc.string(), fc.string().map((s) => header + s), fc.uint8Array().map((b) => Buffer.from(b).toString("latin1")));
    fc.assert(
      fc.property(body, fc.constantFrom(undefined, "text/csv", "text/plain"), (text, format) => {
        try {
          const report = parseCredentialReport(Buffer.from(text, "utf8"), format, new Date("2026-11-01T00:00:00Z"));
          expect(Array.isArray(report.rows)).toBe(true);
        } catch (error) {
          expect((error as Error).message).toMatch(/^malformed credential report/);
        }
      }),
      RUNS,
    );
  });

  it("NSG port specifications: a valid range or an Error; every valid range round-trips", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer({ min: -10, max: 70_000 }).map(String), fc.tuple(fc.nat(70_000), fc.nat(70_000)).map(([a, b]) => `${a}-${b}`)), (spec) => {
        try {
          const r = parsePortSpec(spec);
          expect(r.from).toBeGreaterThanOrEqual(0);
          expect(r.to).toBeLessThanOrEqual(65535);
          expect(r.from).toBeLessThanOrEqual(r.to);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.nat(65535), fc.nat(65535), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        expect(parsePortSpec(`${from}-${to}`)).toEqual({ from, to });
      }),
      RUNS,
    );
  });

  it("every check, fed evidence of any shape (rules, rulesets, NSGs, reports...), yields findings with a status and a reason, never a crash", () => {
    const kinds = [...new Set(CHECKS.flatMap((c) => c.requires))];
    const scopes = { aws: "123456789012", azure: "00000000-0000-0000-0000-000000000000", github: "acme" } as const;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...kinds), fc.anything({ maxDepth: 4 }), { maxKeys: kinds.length }), (payloads) => {
        const evidence: StoredEvidence[] = Object.entries(payloads).flatMap(([kind, payload], i) =>
          (["aws", "azure", "github"] as const).map((sourceType, j) => ({
            source: sourceType,
            sourceType,
            account: scopes[sourceType],
            region: "global",
            kind,
            apiCall: kind,
            collectedAt: "2026-11-01T00:00:00.000Z",
            payload,
            id: i * 3 + j,
            sha256: sha256(canonicalJson(payload ?? null)),
          })),
        );
        const outcomes: CollectorOutcome[] = [];
        const findings = evaluate({ checks: CHECKS, evidence, outcomes, settings: new Map(), now: new Date("2026-11-02T00:00:00Z") });
        for (const f of findings) {
          expect(FINDING_STATUSES).toContain(f.status);
          expect(f.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("property: the config loader", () => {
  it("any YAML text loads or fails with a ConfigError", () => {
    const text = fc.oneof(
      fc.string(),
      fc.anything({ maxDepth: 3 }).map((v) => String(stringify(v) ?? "")),
      fc.record({ organization: fc.anything({ maxDepth: 1 }), sources: fc.anything({ maxDepth: 3 }), objectives: fc.anything({ maxDepth: 2 }), schedule: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => stringify(v)),
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
