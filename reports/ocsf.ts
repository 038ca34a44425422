/**
 * OCSF Compliance Finding (class 2003, OCSF 1.1) JSON: one event per finding, with the Annex A
 * ids in its compliance object, so results drop into SIEMs and GRC tools that import OCSF.
 * There is no OCSF schema package, so the part we emit is described (and checked) with zod.
 */
import { z } from "zod";
import { jsonChunks, lazyJsonArray } from "./json-chunks.js";
import { stableUuid } from "./oscal.js";
import type { Report } from "./schema.js";

export const OCSF_VERSION = "1.1.0";

const SEVERITY_ID = { low: 2, medium: 3, high: 4, critical: 5 } as const;
const SEVERITY_NAME = { low: "Low", medium: "Medium", high: "High", critical: "Critical" } as const;
/** OCSF compliance.status_id: 1 Pass, 2 Warning, 3 Fail, 99 Other. */
const COMPLIANCE_STATUS = {
  pass: { id: 1, name: "Pass" },
  fail: { id: 3, name: "Fail" },
  excepted: { id: 99, name: "Excepted" },
  error: { id: 99, name: "Error" },
  not_applicable: { id: 99, name: "Not applicable" },
} as const;
const PROVIDER = { aws: "AWS", azure: "Azure", github: "GitHub" } as const;

export const ocsfComplianceFindingSchema = z.object({
  category_uid: z.literal(2),
  category_name: z.literal("Findings"),
  class_uid: z.literal(2003),
  class_name: z.literal("Compliance Finding"),
  activity_id: z.literal(1),
  activity_name: z.literal("Create"),
  type_uid: z.literal(200301),
  type_name: z.literal("Compliance Finding: Create"),
  time: z.number().int(),
  severity_id: z.number().int().min(0).max(6),
  severity: z.string(),
  status_id: z.number().int(),
  status: z.string(),
  message: z.string(),
  metadata: z.object({
    version: z.literal(OCSF_VERSION),
    uid: z.string(),
    product: z.object({ name: z.string(), vendor_name: z.string(), version: z.string() }),
  }),
  finding_info: z.object({ uid: z.string(), title: z.string(), desc: z.string(), types: z.array(z.string()) }),
  compliance: z.object({
    standards: z.array(z.string()).min(1),
    requirements: z.array(z.string()),
    control: z.string(),
    status: z.string(),
    status_id: z.number().int(),
    status_detail: z.string(),
  }),
  resources: z.array(z.object({ uid: z.string(), type: z.string(), region: z.string(), cloud_partition: z.string().optional() })).min(1),
  cloud: z.object({ provider: z.string(), region: z.string(), account: z.object({ uid: z.string() }) }),
  remediation: z.object({ desc: z.string() }),
  unmapped: z.record(z.string(), z.unknown()),
});
export type OcsfComplianceFinding = z.infer<typeof ocsfComplianceFindingSchema>;

export function toOcsf(report: Report): OcsfComplianceFinding[] {
  return [...ocsfEvents(report)];
}

/** One event per finding, made as it is asked for. */
export function* ocsfEvents(report: Report): Generator<OcsfComplianceFinding, void, undefined> {
  const time = Date.parse(report.run.finishedAt ?? report.run.startedAt);
  for (const [index, f] of report.findings.entries()) {
    const uid = stableUuid(report.organization, `run-${report.run.id}`, report.run.hash ?? "", "finding", index, f.checkId, f.resourceId);
    const compliance = COMPLIANCE_STATUS[f.status];
    // Typed, not parsed per event: test/reports/oscal-ocsf.test.ts holds every event to the schema.
    const event: OcsfComplianceFinding = {
      category_uid: 2,
      category_name: "Findings",
      class_uid: 2003,
      class_name: "Compliance Finding",
      activity_id: 1,
      activity_name: "Create",
      type_uid: 200301,
      type_name: "Compliance Finding: Create",
      time,
      severity_id: SEVERITY_ID[f.severity],
      severity: SEVERITY_NAME[f.severity],
      // Finding status 1 New: each run reports afresh; drift is in the report.
      status_id: 1,
      status: "New",
      message: f.reason,
      metadata: { version: OCSF_VERSION, uid, product: { name: "isms-agent", vendor_name: "isms-agent", version: report.tool.version } },
      finding_info: { uid, title: f.title, desc: f.reason, types: ["ISO/IEC 27001:2022 Annex A"] },
      compliance: {
        standards: ["ISO/IEC 27001:2022"],
        requirements: f.controls,
        control: f.checkId,
        status: compliance.name,
        status_id: compliance.id,
        status_detail: f.exception
          ? `Excepted (${f.exception.id}, owned by ${f.exception.owner}, approved by ${f.exception.approvedBy}, until ${f.exception.expires}): ${f.exception.reason}`
          : f.reason,
      },
      resources: [{ uid: f.resourceId, type: f.checkId.split(".").slice(0, 2).join("."), region: f.region }],
      cloud: { provider: PROVIDER[f.sourceType], region: f.region, account: { uid: f.account } },
      remediation: { desc: f.remediation },
      unmapped: {
        isms_source: f.source,
        isms_run_id: report.run.id,
        isms_run_hash: report.run.hash,
        isms_evidence_sha256: f.evidenceSha256,
        isms_status: f.status,
      },
    };
    yield event;
  }
}

/** findings.ocsf.json in chunks: the JSON array of events, written one event at a time. */
export function* ocsfChunks(report: Report): Generator<string, void, undefined> {
  yield* jsonChunks(
    lazyJsonArray(() => ocsfEvents(report)),
    2,
  );
  yield "\n";
}

export function renderOcsf(report: Report): string {
  return [...ocsfChunks(report)].join("");
}
