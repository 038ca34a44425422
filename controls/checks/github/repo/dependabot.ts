import { z } from "zod";
import { daysBetween, isoDay } from "../../../../src/engine/check.js";
import { defineRepoCheck, need } from "../../../lib/github.js";

export default defineRepoCheck({
  id: "github.repo.dependabot",
  title: "Dependabot alerts are on and critical or high alerts are fixed within their SLA",
  severity: "high",
  controls: [{ control: "A.8.8", rationale: "Dependabot alerts are how vulnerabilities in dependencies are found; the SLA is how they are managed." }],
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
    const overdue = need(repo.openDependabotAlerts).filter((alert) => {
      const sla = alert.severity === "critical" ? settings.criticalSlaDays : alert.severity === "high" ? settings.highSlaDays : Infinity;
      return daysBetween(new Date(alert.createdAt), now) > sla;
    });
    if (overdue.length === 0) return { status: "pass", reason: `Repository ${name} has Dependabot alerts on and no critical or high alert past its SLA.` };
    const list = overdue.map((a) => `#${a.number} ${a.severity}${a.package ? ` in ${a.package}` : ""} open since ${isoDay(new Date(a.createdAt))}`).join(", ");
    return { status: "fail", reason: `Repository ${name} has Dependabot alerts past their SLA: ${list}.` };
  },
});
