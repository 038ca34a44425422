/**
 * The PDCA commands through the CLI's main: what they refuse (exit 2, naming the option and what
 * was expected, nothing stored) and what they record (chained in the ledger, so `verify` passes).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../app/cli/main.js";
import { nonconformitiesInStore, reviewRecordsInStore, risksInStore } from "../../src/store/registers.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const cleanups: (() => void)[] = [];
let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanups.splice(0).forEach((c) => c());
});

function configFile(): { file: string; database: string } {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const file = join(dir.path, "isms-agent.yaml");
  const database = join(dir.path, "evidence.db");
  writeFileSync(
    file,
    `organization: X
database: ${database}
riskScale: { likelihood: 3, impact: 3 }
objectives:
  - { id: mfa, title: MFA, metric: mfa_enrolment, target: 100, deadline: 2027-06-30, owner: CISO }
risks:
  - { id: R-1, title: Root takeover, asset: Root users, threat: Phishing, likelihood: 2, impact: 3, owner: CISO, treatment: treat, controls: [A.8.5] }
`,
  );
  return { file, database };
}
const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);
const printed = () => output.join("");
const risk = (file: string, ...extra: string[]) =>
  cli("risk", "add", "--config", file, "--id", "R-2", "--title", "Data loss", "--asset", "Backups", "--threat", "Ransomware", "--owner", "CTO", ...extra);

async function inStore<T>(database: string, read: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await openSqliteStore({ file: database });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe("isms-agent risk", () => {
  it("refuses a likelihood off the scale, an unknown control or objective, and a taken id, naming the option", async () => {
    const { file, database } = configFile();
    expect(await risk(file, "--likelihood", "4", "--impact", "2", "--treatment", "treat", "--controls", "A.8.5,A.9.9", "--objectives", "nope")).toBe(2);
    expect(printed()).toContain("--likelihood: expected 1 to 3 (riskScale.likelihood); got 4");
    expect(printed()).toContain("--controls (item 2): expected an Annex A 2022 control id");
    expect(printed()).toContain('--objectives (item 1): expected the id of an objective in `objectives`; there is no "nope"');
    expect(
      await cli(
        "risk",
        "add",
        "--config",
        file,
        "--id",
        "R-1",
        "--title",
        "t",
        "--asset",
        "a",
        "--threat",
        "x",
        "--owner",
        "o",
        "--likelihood",
        "1",
        "--impact",
        "1",
        "--treatment",
        "avoid",
      ),
    ).toBe(2);
    expect(printed()).toContain("risk R-1 is already in the register; choose another id");
    expect(await inStore(database, risksInStore)).toEqual([]);
  });

  it("records a risk in the store and lists it beside the config's, not judged before any run", async () => {
    const { file, database } = configFile();
    expect(await risk(file, "--likelihood", "2", "--impact", "3", "--treatment", "treat", "--controls", "A.8.13", "--residual-target", "2")).toBe(0);
    expect(printed()).toContain("Risk R-2 recorded: Data loss (likelihood 2 × impact 3 = 6), owner CTO, treatment treat by A.8.13.");
    output = [];
    expect(await cli("risk", "list", "--config", file)).toBe(0);
    expect(printed()).toMatch(/^R-1 \[config\] Root takeover .* No run yet: status not judged\./m);
    expect(printed()).toMatch(/^R-2 \[register\] Data loss .*residual target 2; owner CTO; treat\. No run yet/m);
    expect(await inStore(database, (s) => s.verify())).toMatchObject({ ok: true });
  });
});

describe("isms-agent nc", () => {
  it("adds one by hand, records its action, and refuses to close by hand one that evidence judges", async () => {
    const { file, database } = configFile();
    expect(await cli("nc", "add", "--config", file, "--title", "Audit: root MFA missing.", "--severity", "urgent")).toBe(2);
    expect(printed()).toContain('--severity expects one of low, medium, high, critical; got "urgent"');
    expect(
      await cli(
        "nc",
        "add",
        "--config",
        file,
        "--title",
        "Audit: root MFA missing.",
        "--severity",
        "high",
        "--checks",
        "aws.iam.root-mfa",
        "--due",
        "2027-02-30",
      ),
    ).toBe(2);
    expect(printed()).toContain("--due expects a real calendar date");
    expect(
      await cli(
        "nc",
        "add",
        "--config",
        file,
        "--title",
        "Audit: root MFA missing.",
        "--severity",
        "high",
        "--checks",
        "aws.iam.root-mfa",
        "--due",
        "2027-01-31",
      ),
    ).toBe(0);
    expect(await cli("nc", "add", "--config", file, "--title", "Audit: no visitor log at reception.", "--severity", "low", "--controls", "A.7.2")).toBe(0);
    expect(await cli("nc", "update", "--config", file, "--id", "NC-0001")).toBe(2);
    expect(printed()).toContain("nothing to update");
    expect(
      await cli("nc", "update", "--config", file, "--id", "NC-0001", "--root-cause", "Break-glass left aside.", "--action", "Enable MFA on every root user."),
    ).toBe(0);
    expect(await cli("nc", "update", "--config", file, "--id", "NC-0001", "--close-by-hand", "Looks fine.")).toBe(2);
    expect(printed()).toContain("NC-0001 is judged by evidence (aws.iam.root-mfa): it closes when runs verify its corrective action, not by hand");
    expect(await cli("nc", "update", "--config", file, "--id", "NC-0002", "--close-by-hand", "Checked the logbook.")).toBe(2);
    expect(printed()).toContain("NC-0002 has no corrective action yet");
    expect(
      await cli(
        "nc",
        "update",
        "--config",
        file,
        "--id",
        "NC-0002",
        "--action",
        "Visitor log kept at reception.",
        "--close-by-hand",
        "Logbook seen on 2026-12-01.",
      ),
    ).toBe(0);
    const ncs = await inStore(database, nonconformitiesInStore);
    expect(ncs.map((n) => [n.id, n.status, n.version, n.controls])).toEqual([
      ["NC-0001", "open", 2, ["A.8.2", "A.8.5"]],
      ["NC-0002", "closed", 2, ["A.7.2"]],
    ]);
    expect(ncs[0]).toMatchObject({ rootCause: "Break-glass left aside.", correctiveAction: "Enable MFA on every root user.", dueDate: "2027-01-31" });
    output = [];
    expect(await cli("nc", "list", "--config", file)).toBe(0);
    expect(printed()).toContain("Closed by hand (no evidence can judge it): Logbook seen on 2026-12-01.");
    expect(await inStore(database, (s) => s.verify())).toMatchObject({ ok: true });
  });
});

describe("isms-agent review record and audit sample", () => {
  it("records a review's decisions and actions, refusing a malformed action or an unknown done action", async () => {
    const { file, database } = configFile();
    const base = ["review", "record", "--config", file, "--held-on", "2026-11-30", "--from", "2026-09-01", "--to", "2026-11-30"];
    expect(await cli(...base, "--id", "MR-1")).toBe(2);
    expect(printed()).toContain("a review record needs at least one --decision or --action");
    expect(await cli(...base, "--id", "MR-1", "--action", "No owner given")).toBe(2);
    expect(printed()).toContain('--action expects "what | owner | due date (optional)"; got "No owner given"');
    expect(
      await cli(...base, "--id", "MR-1", "--decision", "Fund SSO.", "--action", "Roll out SSO | CTO | 2027-03-31", "--action", "Review suppliers | COO"),
    ).toBe(0);
    expect(await cli(...base, "--id", "MR-2", "--decision", "More.", "--done", "MR-9-A1")).toBe(2);
    expect(printed()).toContain("--done: no earlier review recorded an action MR-9-A1");
    const [review] = await inStore(database, reviewRecordsInStore);
    expect(review?.actions).toEqual([
      { id: "MR-1-A1", text: "Roll out SSO", owner: "CTO", due: "2027-03-31" },
      { id: "MR-1-A2", text: "Review suppliers", owner: "COO", due: null },
    ]);
  });

  it("refuses a sample before any run, or of an unknown control, and a review pack of an inverted period", async () => {
    const { file } = configFile();
    expect(await cli("audit", "sample", "--config", file, "--control", "A.8.99", "--size", "5", "--seed", "s")).toBe(2);
    expect(printed()).toContain('--control expects an Annex A 2022 control id such as A.8.5; got "A.8.99"');
    expect(await cli("audit", "sample", "--config", file, "--control", "A.8.5", "--size", "0", "--seed", "s")).toBe(2);
    expect(printed()).toContain('--size expects a positive whole number; got "0"');
    expect(await cli("audit", "sample", "--config", file, "--control", "A.8.5", "--size", "5", "--seed", "s")).toBe(2);
    expect(printed()).toContain("there is no finished run yet");
    expect(await cli("review", "--config", file, "--from", "2026-12-01", "--to", "2026-11-01")).toBe(2);
    expect(printed()).toContain("--from (2026-12-01) is after --to (2026-11-01)");
  });
});
