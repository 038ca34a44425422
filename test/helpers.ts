import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCredentialReport } from "../collectors/aws/iam.js";
import type { Check, EvidenceView, FindingDraft, Scope, StoredEvidence } from "../src/domain.js";
import { canonicalJson, sha256 } from "../src/engine/canonical.js";

export const ACCOUNT = "123456789012";
export const SCOPE: Scope = { source: "test", sourceType: "aws", account: ACCOUNT, region: "global" };

export function vendorFile(path: string): string {
  return readFileSync(new URL(`./fixtures/vendor/${path}`, import.meta.url), "utf8");
}

export function stored(kind: string, payload: unknown, scope: Scope = SCOPE, id = 1): StoredEvidence {
  return { ...scope, id, kind, apiCall: kind, collectedAt: "2026-11-01T00:00:00.000Z", payload, sha256: sha256(canonicalJson(payload)) };
}

export function view(records: StoredEvidence[], scope: Scope = SCOPE): EvidenceView {
  return { scope, get: (kind) => records.find((r) => r.kind === kind) };
}

/** A credential report payload exactly as the collector stores it, from CSV text. */
export function reportFromCsv(csv: string) {
  return parseCredentialReport(Buffer.from(csv, "utf8"), "text/csv", new Date("2026-11-01T00:00:00Z"));
}

export function runCheck(check: Check, records: StoredEvidence[], now: Date, settings: unknown = {}): FindingDraft[] {
  return check.evaluate({ evidence: view(records), now, settings });
}

export function tempDir(prefix = "isms-agent-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
