import { z } from "zod";
import { daysBetween, isoDay } from "../../../../src/engine/check.js";
import { defineRepoCheck, need, openAlerts } from "../../../lib/github.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export default defineRepoCheck({
  id: "github.repo.dependabot",
  title: "Dependabot alerts are on and critical or high alerts are fixed within their SLA",
  severity: "high",
  controls: [
    {
      control: "A.8.8",
      rationale:
        "“Information about technical vulnerabilities … shall be obtained, … exposure … evaluated and appropriate measures taken”: Dependabot alerts obtain it for dependencies; the SLA shows measures are taken.",
    },
  ],
  remediation: "Enable Dependabot alerts (and security updates); merge the fix for each overdue alert or dismiss it with a recorded reason.",
  settings: z
    .object({
      criticalSlaDays: z.number().int().min(0).default(15).describe("Days a critical alert may stay open."),
      highSlaDays: z.number().int().min(0).default(30).describe("Days a high alert may stay open."),
    })
    .strict(),
  judge(repo, settings, { org, now }) {
    const name = `${org}/${repo.name}`;
    if (!need(repo.vulnerabilityAlertsEnabled)) return { status: "fail", reason: `Repository ${name} has Dependabot alerts disabled.` };
    // Stored as GitHub gave them, open alerts of every severity; low and medium ones have no SLA.
    const alerts = openAlerts(need(repo.dependabotAlerts)).map((a) => ({
      number: a.number,
      severity: a.security_advisory?.severity ?? "unknown",
      createdAt: a.created_at,
      package: a.dependency?.package?.name ?? null,
    }));
    const slas = new Map([
      ["critical", settings.criticalSlaDays],
      ["high", settings.highSlaDays],
      ["medium", Infinity],
      ["low", Infinity],
    ]);
    const slaOf = (severity: string) => slas.get(severity.toLowerCase());
    // An unknown severity, or an unreadable date on an alert with an SLA, could hide an overdue alert: never a pass.
    const unreadable = alerts.filter((a) => {
      const sla = slaOf(a.severity);
      return sla === undefined || (Number.isFinite(sla) && (!ISO_DATE.test(a.createdAt) || Number.isNaN(Date.parse(a.createdAt))));
    });
    const overdue = alerts.filter((alert) => !unreadable.includes(alert) && daysBetween(new Date(alert.createdAt), now) > (slaOf(alert.severity) ?? Infinity));
    if (overdue.length === 0 && unreadable.length > 0) {
      const list = unreadable.map((a) => `#${a.number} (severity "${a.severity}", created "${a.createdAt}")`).join(", ");
      return { status: "error", reason: `Repository ${name} has Dependabot alerts whose severity or creation date cannot be read: ${list}.` };
    }
    if (overdue.length === 0) return { status: "pass", reason: `Repository ${name} has Dependabot alerts on and no critical or high alert past its SLA.` };
    const list = overdue.map((a) => `#${a.number} ${a.severity}${a.package ? ` in ${a.package}` : ""} open since ${isoDay(new Date(a.createdAt))}`).join(", ");
    return { status: "fail", reason: `Repository ${name} has Dependabot alerts past their SLA: ${list}.` };
  },
});
