/**
 * A Report built directly as data (no store, no clock, no catalog): deterministic for a given
 * size, so its renders can be pinned, and cheap at tens of thousands of findings. It carries
 * what renderers must escape or branch on: HTML and CSV specials, formula-looking cells,
 * multi-byte and astral characters, exceptions, errors, stale controls, excluded controls,
 * manual evidence, drift, alerts and objectives with history.
 */
import { CONTROL_STATUSES, FINDING_STATUSES, SEVERITIES, SOURCE_TYPES } from "../../src/domain.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../../reports/schema.js";

const THEMES = ["organizational", "people", "physical", "technological"] as const;
const THEME_SIZES = [37, 8, 14, 34] as const;
const TRICKY = [
  '<script>alert("x")</script>',
  '=HYPERLINK("http://x")',
  'comma, quote " and\nnewline',
  "Zoë — 日本語 🔐",
  "tab\tand 'single'",
  "-1+2",
  "@sum",
  "plain",
];

function hex(n: number, length = 64): string {
  let out = "";
  let x = (n + 1) * 2654435761;
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += x.toString(16).padStart(8, "0");
  }
  return out.slice(0, length);
}

export function syntheticReport(findingCount: number): Report {
  const controlIds = THEMES.flatMap((theme, t) => Array.from({ length: THEME_SIZES[t] ?? 0 }, (_, i) => ({ id: `A.${t + 5}.${i + 1}`, theme })));
  const checkIds = Array.from({ length: 12 }, (_, i) => `${SOURCE_TYPES[i % 3] ?? "aws"}.svc${i % 4}.check-${i}`);
  const controlsOfCheck = (c: number) => [controlIds[(c * 7) % 93]?.id ?? "A.5.1", controlIds[(c * 11 + 3) % 93]?.id ?? "A.5.2"];
  const evidenceCount = Math.max(1, Math.ceil(findingCount / 5));
  const evidence = Array.from({ length: evidenceCount }, (_, i) => ({
    id: i + 1,
    kind: `${checkIds[i % 12]?.split(".").slice(0, 2).join(".") ?? "aws.svc"}.payload`,
    apiCall: i % 2 === 0 ? "ListThings" : "GetThing",
    source: `src-${i % 3}`,
    account: `1111222233${String(i % 100).padStart(2, "0")}`,
    region: i % 4 === 0 ? "global" : "eu-west-1",
    collectedAt: `2026-11-01T00:${String(i % 60).padStart(2, "0")}:00.000Z`,
    sha256: hex(i),
  }));
  const findings = Array.from({ length: findingCount }, (_, i) => {
    const check = i % 12;
    const status = FINDING_STATUSES[(i * 7) % 5] ?? "pass";
    const tricky = TRICKY[i % TRICKY.length] ?? "";
    return {
      checkId: checkIds[check] ?? "aws.svc0.check-0",
      title: `Check ${check} title ${check === 3 ? tricky : ""}`.trim(),
      severity: SEVERITIES[check % 4] ?? "low",
      source: `src-${i % 3}`,
      sourceType: SOURCE_TYPES[check % 3] ?? "aws",
      account: `1111222233${String(i % 100).padStart(2, "0")}`,
      region: i % 5 === 0 ? "global" : "eu-west-1",
      resourceId: `arn:aws:iam::111122223333:user/u${i}${i % 9 === 0 ? tricky : ""}`,
      status,
      reason: `Resource u${i} is ${status}: ${tricky}`,
      controls: controlsOfCheck(check),
      remediation: check % 5 === 0 ? "" : `Fix u${i}'s setting (${tricky}).`,
      evidenceSha256: i % 13 === 0 ? null : (evidence[i % evidenceCount]?.sha256 ?? null),
      exception:
        status === "excepted"
          ? { id: `EXC-${i % 4}`, reason: `Accepted: ${tricky}`, owner: "Head of IT", approvedBy: "CISO & <board>", expires: "2099-12-31" }
          : null,
    };
  });
  const counts = (s: string) => findings.filter((f) => f.status === s).length;
  const controls = controlIds.map(({ id, theme }, c) => {
    const status = CONTROL_STATUSES[c % 5] ?? "pass";
    const checks = checkIds.filter((_, k) => controlsOfCheck(k).includes(id));
    const mine = findings.filter((f) => f.controls.includes(id));
    const applicable = status !== "not_applicable";
    return {
      id,
      title: `Control ${id} ${TRICKY[c % TRICKY.length] ?? ""}`,
      theme,
      automation: (["automated", "partial", "manual"] as const)[c % 3] ?? "manual",
      status,
      coverage: (["automated", "partial", "manual", "none"] as const)[c % 4] ?? "none",
      evidenceSet:
        c % 3 === 0
          ? [
              { id: `${id}-e1`, description: `Element one of ${id}`, collected: true, by: "checks" as const, checks, manualEvidence: [], missing: null },
              {
                id: `${id}-e2`,
                description: `Element two & <two>`,
                collected: false,
                by: null,
                checks: [],
                manualEvidence: [],
                missing: "Not collected: no source.",
              },
              { id: `${id}-e3`, description: "Element three", collected: true, by: "manual" as const, checks: [], manualEvidence: [1], missing: null },
            ]
          : [],
      missingEvidence: c % 3 === 0 ? ["Element two & <two>"] : [],
      checks,
      counts: {
        pass: mine.filter((f) => f.status === "pass").length,
        fail: mine.filter((f) => f.status === "fail").length,
        error: mine.filter((f) => f.status === "error").length,
        not_applicable: mine.filter((f) => f.status === "not_applicable").length,
        excepted: mine.filter((f) => f.status === "excepted").length,
      },
      applicable,
      justification: applicable ? null : `Not needed: ${TRICKY[c % TRICKY.length] ?? ""}`,
      inclusionJustification: applicable && c % 2 === 0 ? `Risk R-${c}` : null,
      implementationStatus: applicable
        ? ((["implemented", "partially_implemented", "planned", "not_implemented", "not_stated"] as const)[c % 5] ?? "not_stated")
        : null,
      lastEvidenceAt: c % 6 === 0 ? null : "2026-11-01T00:00:00.000Z",
      stale: c % 7 === 0,
      staleReason: c % 7 === 0 ? `Evidence for ${id} is older than 48 hours.` : null,
      manualEvidence:
        c % 10 === 0
          ? [
              {
                id: c,
                fileName: `policy-${c}<v2>.pdf`,
                size: 1234,
                sha256: hex(1000 + c),
                note: 'Signed policy, "final"',
                addedAt: "2026-10-01T10:00:00.000Z",
                validUntil: c % 20 === 0 ? null : "2026-10-31",
                expired: c % 20 !== 0,
              },
            ]
          : [],
    };
  });
  const controlCounts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Record<
    (typeof CONTROL_STATUSES)[number],
    number
  >;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    organization: 'Example <Ltd> & "Sons"',
    asOf: "2026-11-01T01:00:00.000Z",
    tool: { name: "isms-agent", version: "0.1.0" },
    run: {
      id: 7,
      startedAt: "2026-11-01T00:00:00.000Z",
      finishedAt: "2026-11-01T01:00:00.000Z",
      status: "partial",
      error: "One collector failed: <timeout>.",
      hash: hex(7),
      prevHash: hex(6),
      sources: ["src-0", "src-1", "src-2"],
    },
    scope: Array.from({ length: 9 }, (_, i) => ({
      collector: `${SOURCE_TYPES[i % 3] ?? "aws"}.svc${i}`,
      source: `src-${i % 3}`,
      sourceType: SOURCE_TYPES[i % 3] ?? "aws",
      account: `11112222333${i}`,
      region: i % 2 === 0 ? "global" : "eu-west-1",
      status: i === 4 ? ("error" as const) : ("ok" as const),
      error: i === 4 ? 'AccessDenied: <not allowed> for "role"' : null,
      finishedAt: "2026-11-01T00:30:00.000Z",
    })),
    summary: {
      findings: { pass: counts("pass"), fail: counts("fail"), error: counts("error"), not_applicable: counts("not_applicable"), excepted: counts("excepted") },
      controls: controlCounts,
    },
    findings,
    controls,
    objectives: [
      {
        id: "mfa-enrolment",
        title: "All console users in MFA <now>",
        owner: "CISO",
        metric: "mfa_enrolment",
        value: 87.5,
        numerator: 7,
        denominator: 8,
        errors: 1,
        target: 100,
        deadline: "2027-03-31",
        status: "on_track",
        history: [
          { runId: 5, measuredAt: "2026-10-30T00:00:00.000Z", value: 75 },
          { runId: 6, measuredAt: "2026-10-31T00:00:00.000Z", value: null },
          { runId: 7, measuredAt: "2026-11-01T00:00:00.000Z", value: 87.5 },
        ],
        trend: "up",
        projectedDate: "2026-12-15",
      },
      {
        id: "keys",
        title: "Keys rotated",
        owner: "Ops",
        metric: "check_pass_rate",
        value: null,
        numerator: 0,
        denominator: 0,
        errors: 0,
        target: 95,
        deadline: "2026-12-31",
        status: "no_data",
        history: [],
        trend: "none",
        projectedDate: null,
      },
      {
        id: "done",
        title: "Done",
        owner: "Ops",
        metric: "check_pass_rate",
        value: 100,
        numerator: 3,
        denominator: 3,
        errors: 0,
        target: 90,
        deadline: "2026-12-31",
        status: "met",
        history: [{ runId: 7, measuredAt: "2026-11-01T00:00:00.000Z", value: 100 }],
        trend: "flat",
        projectedDate: null,
      },
    ],
    evidence,
    drift: {
      previousRunId: 6,
      events: [
        {
          kind: "regression",
          key: "k1",
          severity: "high",
          message: "User u1 <started> failing.",
          checkId: checkIds[0] ?? null,
          controlId: null,
          objectiveId: null,
          before: "pass",
          after: "fail",
        },
        {
          kind: "fixed",
          key: "k2",
          severity: "low",
          message: "User u2 fixed & done.",
          checkId: checkIds[1] ?? null,
          controlId: null,
          objectiveId: null,
          before: "fail",
          after: "pass",
        },
      ],
    },
    alerts: [
      { channel: "ops-webhook", status: "sent", attempts: 1, error: null, at: "2026-11-01T01:00:01.000Z", alerts: ["User u1 <started> failing."] },
      { channel: "mail", status: "failed", attempts: 4, error: "ECONNREFUSED <smtp>", at: "2026-11-01T01:00:02.000Z", alerts: ["a", "b & c"] },
    ],
    exceptions: [
      {
        id: "EXC-0",
        checkId: checkIds[0] ?? "",
        resource: null,
        source: null,
        account: null,
        reason: "Accepted <risk>.",
        owner: "Head of IT",
        approvedBy: "CISO",
        expires: "2099-12-31",
        origin: "config",
        expired: false,
        findings: 3,
      },
      {
        id: "EXC-1",
        checkId: checkIds[1] ?? "",
        resource: "*/u1",
        source: "src-1",
        account: "111122223301",
        reason: "Old.",
        owner: "Ops",
        approvedBy: "CTO",
        expires: "2020-01-01",
        origin: "register",
        expired: true,
        findings: 0,
      },
    ],
    registers: null,
    notes: ["Automated evidence supports a control; it does not prove it.", 'Note with <html> & "quotes".'],
  };
}
