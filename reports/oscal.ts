/**
 * OSCAL 1.0.4 Assessment Results (JSON) for one run: an observation per evidence record (what
 * was collected, how, when, with its sha256), a finding per Annex A control that automated
 * evidence could judge (satisfied / not-satisfied, linked to the observations behind it).
 * Controls without a determination get no finding: OSCAL has no "not evaluated" state, and
 * inventing one would claim more than the evidence shows. UUIDs are derived from the run and
 * the record, so re-rendering the same run gives the same document.
 */
import { createHash } from "node:crypto";
import { jsonChunks, lazyJsonArray } from "./json-chunks.js";
import type { Report } from "./schema.js";
import { groupBy } from "../src/group.js";

export const OSCAL_VERSION = "1.0.4";

/** A name-based UUID (version 5 layout) from sha256 of the parts: stable across re-renders. */
export function stableUuid(...parts: (string | number)[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** assessment-results.oscal.json in chunks: the observations and findings written one at a time. */
export function* oscalChunks(report: Report): Generator<string, void, undefined> {
  yield* jsonChunks(oscalDocument(report), 2);
  yield "\n";
}

export function renderOscal(report: Report): string {
  return [...oscalChunks(report)].join("");
}

/** The document, its observations and findings made as they are written (JSON.stringify sees plain arrays). */
function oscalDocument(report: Report) {
  const runKey = `${report.organization}\u0000run-${report.run.id}\u0000${report.run.hash ?? report.run.startedAt}`;
  const observationUuid = new Map(report.evidence.map((e) => [e.sha256, stableUuid(runKey, "observation", e.id, e.sha256)]));
  const observation = (e: Report["evidence"][number]) => ({
    uuid: observationUuid.get(e.sha256) ?? stableUuid(runKey, "observation", e.id),
    title: `${e.kind} from ${e.source}`,
    description: `Collected by isms-agent with ${e.apiCall} from ${e.source}, account ${e.account}${e.region === "global" ? "" : `, region ${e.region}`}.`,
    props: [
      { name: "evidence-kind", value: e.kind },
      { name: "sha256", value: e.sha256 },
      { name: "account", value: e.account },
      { name: "region", value: e.region },
    ],
    methods: ["TEST"],
    types: ["control-objective"],
    collected: e.collectedAt,
    "relevant-evidence": [
      { href: `#evidence-${e.id}`, description: `Evidence record ${e.id} in the isms-agent store (sha256 ${e.sha256}); its payload is in the evidence pack.` },
    ],
  });
  const observations = lazyJsonArray(function* () {
    for (const e of report.evidence) yield observation(e);
  });

  const findingsByControl = groupBy(report.findings, (f) => f.controls);
  const judged = report.controls.filter((c) => c.applicable && (c.status === "pass" || c.status === "fail" || c.status === "partial"));
  const finding = (c: Report["controls"][number]) => {
    const items = findingsByControl.get(c.id) ?? [];
    const related = [...new Set(items.map((f) => f.evidenceSha256).filter((s): s is string => s !== null))].flatMap((sha) => {
      const uuid = observationUuid.get(sha);
      return uuid ? [{ "observation-uuid": uuid }] : [];
    });
    const failing = items.filter((f) => f.status === "fail" || f.status === "excepted");
    const k = c.counts;
    return {
      uuid: stableUuid(runKey, "finding", c.id),
      title: `${c.id} ${c.title}`,
      description:
        `${k.pass} passing, ${k.fail} failing, ${k.excepted} excepted (accepted risk) and ${k.error} unjudged findings from checks ${c.checks.join(", ")}. Coverage by automated evidence: ${c.coverage}.` +
        (failing.length > 0
          ? ` Not satisfied because: ${failing
              .slice(0, 20)
              .map((f) => f.reason)
              .join(" ")}${failing.length > 20 ? ` (and ${failing.length - 20} more)` : ""}`
          : ""),
      target: {
        type: "objective-id",
        "target-id": c.id,
        status: { state: c.status === "pass" ? "satisfied" : "not-satisfied", reason: c.status },
        ...(c.coverage === "partial" || c.missingEvidence.length > 0
          ? {
              remarks: `The evidence covers this control only in part. Missing: ${c.missingEvidence.join("; ") || "the documented process and records the control asks for"}.`,
            }
          : {}),
      },
      ...(related.length > 0 ? { "related-observations": related } : {}),
    };
  };
  const findings = lazyJsonArray(function* () {
    for (const c of judged) yield finding(c);
  });

  const applicable = report.controls.filter((c) => c.applicable).map((c) => ({ "control-id": c.id }));
  const excluded = report.controls.filter((c) => !c.applicable).map((c) => ({ "control-id": c.id }));
  const document = {
    "assessment-results": {
      uuid: stableUuid(runKey, "assessment-results"),
      metadata: {
        title: `ISO/IEC 27001:2022 Annex A automated assessment — ${report.organization}, run ${report.run.id}`,
        "last-modified": report.run.finishedAt ?? report.run.startedAt,
        version: report.tool.version,
        "oscal-version": OSCAL_VERSION,
        props: [{ name: "run-hash", value: report.run.hash ?? "none" }],
        remarks: "Written by isms-agent from one stored run. Automated evidence supports a control; it does not prove it.",
      },
      "import-ap": {
        href: "#isms-agent-configuration",
        remarks: "isms-agent has no separate assessment plan: the plan is its configuration (sources, checks, objectives, Statement of Applicability).",
      },
      results: [
        {
          uuid: stableUuid(runKey, "result"),
          title: `Run ${report.run.id} (${report.run.status})`,
          description: `Automated evidence collected from ${report.scope.length} collector runs (${report.scope.filter((s) => s.status === "error").length} failed) and judged against Annex A of ISO/IEC 27001:2022.`,
          start: report.run.startedAt,
          ...(report.run.finishedAt ? { end: report.run.finishedAt } : {}),
          "reviewed-controls": {
            "control-selections": [
              {
                description: "Every Annex A control that applies per the Statement of Applicability.",
                ...(applicable.length > 0 ? { "include-controls": applicable } : {}),
                ...(excluded.length > 0 ? { "exclude-controls": excluded } : {}),
              },
            ],
          },
          ...(report.evidence.length > 0 ? { observations } : {}),
          ...(judged.length > 0 ? { findings } : {}),
        },
      ],
    },
  };
  return document;
}
