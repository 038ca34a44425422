/**
 * The exceptions register (risk acceptance) applied to findings. Pure. Only a `fail` can be
 * excepted: a pass needs no acceptance and an error was never judged. An exception past its
 * expiry day no longer applies, so the finding is a failure again.
 */
import type { AppliedException, Finding, RiskException } from "../domain.js";

export function isExpired(exception: Pick<RiskException, "expires">, now: Date): boolean {
  return now.getTime() > Date.parse(`${exception.expires}T23:59:59.999Z`);
}

/** A resource pattern is an exact id; `*` in it stands for any run of characters. */
export function resourceMatches(pattern: string | null, resourceId: string): boolean {
  if (pattern === null || pattern === "*") return true;
  if (!pattern.includes("*")) return pattern === resourceId;
  // Not a regex: `.*a.*a.*…` backtracks exponentially. With `*` the only wildcard, taking each
  // middle part at its leftmost place is always right, so this is O(n·m) at worst.
  const parts = pattern.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (first.length + last.length > resourceId.length || !resourceId.startsWith(first) || !resourceId.endsWith(last)) return false;
  let at = first.length;
  const end = resourceId.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = resourceId.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

export function exceptionCovers(exception: RiskException, finding: Finding): boolean {
  return (
    exception.checkId === finding.checkId &&
    resourceMatches(exception.resource, finding.resourceId) &&
    (exception.source === null || exception.source === finding.source) &&
    (exception.account === null || exception.account === finding.account)
  );
}

export function applyExceptions(findings: readonly Finding[], register: readonly RiskException[], now: Date): Finding[] {
  const active = register.filter((e) => !isExpired(e, now));
  return findings.map((finding) => {
    if (finding.status !== "fail") return { ...finding, exception: null };
    const exception = active.find((e) => exceptionCovers(e, finding));
    if (!exception) return { ...finding, exception: null };
    const applied: AppliedException = {
      id: exception.id,
      reason: exception.reason,
      owner: exception.owner,
      approvedBy: exception.approvedBy,
      expires: exception.expires,
    };
    return { ...finding, status: "excepted", exception: applied };
  });
}
