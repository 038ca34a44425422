/**
 * The Act step after each run, against a real SQLite store and a real loopback webhook: a failure
 * past its SLA opens a nonconformity (naming where else the check fails), the action recorded
 * with `nc update`, two passing runs a week apart verify it, a failure after that reopens it, and
 * each of new / overdue / recurred reaches the channel once. `verify` covers every step.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ncUpdateCommand } from "../app/cli/nc.js";
import type { Output } from "../app/cli/output.js";
import { parseConfig } from "../app/config.js";
import { closeTheLoop } from "../app/loop.js";
import type { RunResult } from "../app/runner.js";
import type { Finding, FindingCounts } from "../src/domain.js";
import { Redactor } from "../src/engine/redact.js";
import { nonconformitiesInStore, registersAfterRun } from "../src/store/registers.js";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite.js";
import { startHttpReceiver } from "./fixtures/servers/alerts.js";
import { tempDir } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-02T02:00:00.000Z");
const quiet: Output = { out: () => undefined, err: () => undefined };

function finding(resourceId: string, status: "pass" | "fail"): Finding {
  return {
    checkId: "aws.iam.root-mfa",
    source: "prod",
    sourceType: "aws",
    account: resourceId.split(":")[4] ?? "1",
    region: "global",
    resourceId,
    status,
    reason: `The root user ${status === "pass" ? "has" : "has no"} MFA.`,
    evidenceSha256: null,
    controls: null,
  };
}

async function storedRun(store: SqliteStore, day: number, failing: readonly string[]): Promise<RunResult> {
  const startedAt = new Date(T0 + day * DAY).toISOString();
  const run = await store.startRun({ organization: "Example Ltd", startedAt, sources: ["prod"] });
  const roots = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"];
  const findings = roots.map((r) => finding(r, failing.includes(r) ? "fail" : "pass"));
  const counts: FindingCounts = { pass: roots.length - failing.length, fail: failing.length, error: 0, not_applicable: 0, excepted: 0 };
  const record = await store.finishRun(run.id, {
    status: "completed",
    finishedAt: new Date(T0 + day * DAY + 60_000).toISOString(),
    findings,
    controls: [{ controlId: "A.8.5", status: failing.length > 0 ? "fail" : "pass", coverage: "partial", checks: ["aws.iam.root-mfa"], counts }],
    objectives: [],
  });
  return { run: record, outcomes: [], findings: counts, findingsByCheck: new Map([["aws.iam.root-mfa", counts]]), objectives: [] };
}

describe("the loop after each run", () => {
  it("opens, verifies by evidence, reopens on recurrence, and alerts on new, overdue and recurred nonconformities", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const webhook = await startHttpReceiver();
    cleanups.push(() => webhook.close());
    const file = join(dir.path, "isms-agent.yaml");
    const loaded = parseConfig(
      `organization: Example Ltd
database: ${join(dir.path, "evidence.db")}
alerts:
  channels:
    - { type: webhook, name: siem, url: ${webhook.url}/hook, secret: loop-test-secret-0123456789, events: [nonconformity] }
risks:
  - { id: R-1, title: Root account takeover, asset: AWS root users, threat: Phishing, likelihood: 3, impact: 5, owner: CISO, treatment: treat, controls: [A.8.5] }
nonconformities: { effectiveness: { runs: 2, days: 7 } }
`,
      file,
      {},
    );
    const store = await openSqliteStore({ file: loaded.config.database });
    cleanups.push(() => store.close());
    let clock = T0;
    const input = { config: loaded.config, store, redactor: new Redactor([]), now: () => new Date(clock) };
    const step = async (day: number, failing: string[]) => {
      const result = await storedRun(store, day, failing);
      clock = T0 + day * DAY + 120_000;
      return { result, loop: await closeTheLoop(input, result, []) };
    };
    const alerts = () => webhook.posts.flatMap((p) => (JSON.parse(p.body) as { alerts: { message: string }[] }).alerts.map((a) => a.message));
    const bad = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"];

    // Day 0: failing, but within the 3-day SLA of a critical check.
    expect((await step(0, bad)).loop.opened).toEqual([]);
    // Day 7: still failing, a week old: a nonconformity opens, naming both accounts.
    const second = await step(7, bad);
    expect(second.loop.opened).toHaveLength(1);
    const opened = second.loop.opened[0];
    expect(opened).toMatchObject({ id: "NC-0001", key: "check:aws.iam.root-mfa", severity: "critical", controls: ["A.8.2", "A.8.5"], dueDate: "2026-12-09" });
    expect(opened?.similar).toEqual(["prod/111111111111/global: arn:aws:iam::111111111111:root", "prod/222222222222/global: arn:aws:iam::222222222222:root"]);
    expect(alerts().filter((m) => m.startsWith("Nonconformity NC-0001 opened: Check aws.iam.root-mfa"))).toHaveLength(1);
    expect((await registersAfterRun(store, second.result.run.id))?.risks[0]?.status.status).toBe("treatment_not_effective");

    // Day 8: the owner records the action and a due date that will pass before it is verified.
    await ncUpdateCommand(loaded, { id: "NC-0001", action: "Enforce root MFA with an SCP.", due: "2026-11-12", now: () => new Date(T0 + 8 * DAY) }, quiet);
    // Day 14: fixed; one passing run so far, and the action is overdue.
    const third = await step(14, []);
    expect(third.loop.overdue.map((n) => n.id)).toEqual(["NC-0001"]);
    expect((await nonconformitiesInStore(store))[0]?.status).toBe("verifying");
    expect(alerts().filter((m) => m.startsWith("The corrective action of nonconformity NC-0001 is overdue"))).toHaveLength(1);
    // Day 21: a second passing run a week later: verified effective, the runs cited by hash.
    const fourth = await step(21, []);
    expect(fourth.loop.verified.map((n) => n.id)).toEqual(["NC-0001"]);
    expect(fourth.loop.verified[0]?.verification).toEqual(
      [third, fourth].map(({ result }) => ({ runId: result.run.id, hash: result.run.hash, startedAt: result.run.startedAt })),
    );
    expect((await registersAfterRun(store, fourth.result.run.id))?.risks[0]?.status.status).toBe("treatment_effective");
    // Day 28: it comes back: reopened, once, with an alert.
    const fifth = await step(28, bad.slice(0, 1));
    expect(fifth.loop.reopened.map((n) => [n.id, n.status, n.recurrences])).toEqual([["NC-0001", "open", 1]]);
    expect(fifth.loop.opened).toEqual([]);
    expect(alerts().filter((m) => m.startsWith("Nonconformity NC-0001 recurred"))).toHaveLength(1);
    // Day 35: still failing: no second recurrence, no new nonconformity.
    const sixth = await step(35, bad.slice(0, 1));
    expect([sixth.loop.reopened, sixth.loop.opened]).toEqual([[], []]);

    expect(await store.verify()).toMatchObject({ ok: true });
  });
});
