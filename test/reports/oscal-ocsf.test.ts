import { readFileSync } from "node:fs";
import { Ajv, type AnySchema } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../reports/build.js";
import { ocsfComplianceFindingSchema, renderOcsf, toOcsf } from "../../reports/ocsf.js";
import { renderOscal, stableUuid } from "../../reports/oscal.js";
import type { Report } from "../../reports/schema.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { copyDemoStore, demoRun } from "../demo-run.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
let store: SqliteStore;
let report: Report;

beforeAll(async () => {
  const demo = await demoRun();
  expect(demo.code).toBe(0);
  store = await openSqliteStore({ file: copyDemoStore(demo, dir.path) });
  report = await buildReport(store, 4);
}, 120_000);
afterAll(async () => {
  await store.close();
  dir.cleanup();
});

function oscalValidator() {
  const schema = JSON.parse(readFileSync(new URL("../fixtures/schemas/oscal_assessment-results_schema-v1.0.4.json", import.meta.url), "utf8")) as AnySchema;
  // NIST's patterns use \p{L} classes: they need unicode regular expressions.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("OSCAL assessment results", () => {
  it("validates against NIST's published OSCAL 1.0.4 assessment-results JSON schema", () => {
    const validate = oscalValidator();
    const document: unknown = JSON.parse(renderOscal(report));
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator is not a rubber stamp: a finding with a made-up state fails it.
    const broken = JSON.parse(renderOscal(report)) as { "assessment-results": { results: { findings: { target: { status: { state: string } } }[] }[] } };
    const first = broken["assessment-results"].results[0]?.findings[0];
    if (first) first.target.status.state = "mostly-fine";
    expect(validate(broken)).toBe(false);
  });

  it("has observations from evidence and a finding per judged control, linked; UUIDs stable across re-renders", async () => {
    const text = renderOscal(report);
    expect(renderOscal(await buildReport(store, 4))).toBe(text);
    const doc = JSON.parse(text) as {
      "assessment-results": {
        results: {
          observations: { uuid: string; props: { name: string; value: string }[] }[];
          findings: { title: string; target: { "target-id": string; status: { state: string } }; "related-observations"?: { "observation-uuid": string }[] }[];
        }[];
      };
    };
    const result = doc["assessment-results"].results[0];
    expect(result?.observations).toHaveLength(report.evidence.length);
    const judged = report.controls.filter((c) => c.applicable && ["pass", "fail", "partial"].includes(c.status));
    expect(result?.findings.map((f) => f.target["target-id"])).toEqual(judged.map((c) => c.id));
    const a85 = result?.findings.find((f) => f.target["target-id"] === "A.8.5");
    expect(a85?.target.status.state).toBe("not-satisfied");
    const uuids = new Set(result?.observations.map((o) => o.uuid));
    expect(a85?.["related-observations"]?.every((r) => uuids.has(r["observation-uuid"]))).toBe(true);
    expect(stableUuid("a", 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A different run has different UUIDs.
    expect(renderOscal(await buildReport(store, 3))).not.toContain(JSON.parse(text)["assessment-results"].uuid as string);
  });
});

describe("OCSF compliance findings", () => {
  it("one class-2003 event per finding with the Annex A ids in compliance.requirements", () => {
    const events = toOcsf(report);
    expect(events).toHaveLength(report.findings.length);
    // Every event as OCSF's class 2003 has it, keys in the schema's order (the renderer does not parse them).
    for (const event of events) expect(JSON.stringify(ocsfComplianceFindingSchema.parse(event))).toBe(JSON.stringify(event));
    const i = report.findings.findIndex((f) => f.status === "excepted");
    expect(events[i]).toMatchObject({
      class_uid: 2003,
      type_uid: 200301,
      compliance: { standards: ["ISO/IEC 27001:2022"], requirements: report.findings[i]?.controls, status: "Excepted" },
      cloud: { provider: "AWS" },
    });
    // The exception in full, owner included (the README promises the owner everywhere an exception shows).
    expect(events[i]?.compliance.status_detail).toBe(
      "Excepted (EXC-2026-004, owned by Head of IT, approved by CISO, until 2027-03-31): Contractor engagement ends this quarter; access is reviewed weekly until the account is removed.",
    );
    const failing = report.findings.findIndex((f) => f.status === "fail");
    expect(events[failing]).toMatchObject({ compliance: { status: "Fail", status_id: 3 }, resources: [{ uid: report.findings[failing]?.resourceId }] });
    expect(new Set(events.map((e) => e.metadata.uid)).size).toBe(events.length);
    expect(renderOcsf(report)).toBe(`${JSON.stringify(events, null, 2)}\n`);
  });
});
