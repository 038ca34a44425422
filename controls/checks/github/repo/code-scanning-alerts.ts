import { z } from "zod";
import { daysBetween, isoDay } from "../../../../src/engine/check.js";
import { codeScanningAlertsEvidenceSchema, GITHUB_EVIDENCE } from "../../../../src/evidence/github.js";
import { defineRepoCheck, githubDate, need, readOrgEvidence } from "../../../lib/github.js";

const CLOSED = new Set(["dismissed", "fixed", "closed"]);

export default defineRepoCheck({
  id: "github.repo.code-scanning-alerts",
  title: "Critical and high code scanning alerts are fixed within their SLA",
  severity: "high",
  controls: [
    {
      control: "A.8.8",
      rationale:
        "“Information about technical vulnerabilities … shall be obtained, … exposure … evaluated and appropriate measures taken”: code scanning finds vulnerabilities in the organization's own code; the SLA shows measures are taken.",
    },
    {
      control: "A.8.28",
      rationale:
        "“Secure coding principles shall be applied to software development”: an insecure pattern found by code scanning stays in the code only within the SLA. What the scanner's rules do not cover is not in this evidence.",
    },
  ],
  remediation:
    "Fix each overdue alert (or dismiss it with a recorded reason) in the repository's Security tab; triage new critical and high alerts within the SLA.",
  alsoRequires: [GITHUB_EVIDENCE.codeScanningAlerts],
  settings: z
    .object({
      criticalSlaDays: z.number().int().min(0).default(15).describe("Days a critical alert may stay open."),
      highSlaDays: z.number().int().min(0).default(30).describe("Days a high alert may stay open."),
    })
    .strict(),
  judge(repo, settings, { org, now, evidence }) {
    const name = `${org}/${repo.name}`;
    if (repo.empty || !repo.defaultBranch) return { status: "not_applicable", reason: `Repository ${name} is empty: it has no code to scan.` };
    if (Array.isArray(repo.codeScanningAnalyses) && repo.codeScanningAnalyses.length === 0)
      return { status: "not_applicable", reason: `Repository ${name} has no code scanning analysis, so it has no code scanning alerts to judge.` };
    const { alerts } = readOrgEvidence(evidence, GITHUB_EVIDENCE.codeScanningAlerts, codeScanningAlertsEvidenceSchema);
    const open = need(alerts).filter((a) => a.repository.name === repo.name && !CLOSED.has((a.state ?? "open").toLowerCase()));
    const slas = new Map([
      ["critical", settings.criticalSlaDays],
      ["high", settings.highSlaDays],
      ["medium", Infinity],
      ["low", Infinity],
    ]);
    // A rule with no security severity (a quality rule) has no SLA; a severity GitHub does not document, or an unreadable date, could hide an overdue alert.
    const judged = open.map((a) => {
      const severity = a.rule.security_severity_level ?? null;
      const sla = severity === null ? Infinity : slas.get(severity);
      return { alert: a, severity, sla, created: githubDate(a.created_at) };
    });
    const unreadable = judged.filter((j) => j.sla === undefined || (Number.isFinite(j.sla) && j.created === null));
    const overdue = judged.filter((j) => j.sla !== undefined && j.created !== null && daysBetween(j.created, now) > j.sla);
    if (overdue.length > 0) {
      const list = overdue
        .map((j) => `#${j.alert.number} ${j.severity ?? ""} (${j.alert.rule.id ?? "unknown rule"}) open since ${isoDay(j.created ?? now)}`)
        .join(", ");
      return { status: "fail", reason: `Repository ${name} has code scanning alerts past their SLA: ${list}.` };
    }
    if (unreadable.length > 0) {
      const list = unreadable.map((j) => `#${j.alert.number} (severity ${JSON.stringify(j.severity)}, created "${j.alert.created_at}")`).join(", ");
      return { status: "error", reason: `Repository ${name} has code scanning alerts whose severity or creation date cannot be read: ${list}.` };
    }
    return { status: "pass", reason: `Repository ${name} has no critical or high code scanning alert open past its SLA.` };
  },
});
