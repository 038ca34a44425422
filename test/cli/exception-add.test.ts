/**
 * `isms-agent exception add` refuses an expiry that could never apply: a day before today (UTC)
 * or a day that is not on the calendar. Both are usage errors (exit 2) and nothing is stored.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Output } from "../../app/cli/output.js";
import { exceptionAddCommand } from "../../app/cli/registers.js";
import { main } from "../../app/cli/main.js";
import { loadConfig } from "../../app/config.js";
import { UsageError } from "../../src/errors.js";
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

function configFile(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const file = join(dir.path, "isms-agent.yaml");
  writeFileSync(file, `organization: X\ndatabase: ${join(dir.path, "evidence.db")}\n`);
  return file;
}
const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);
const add = (file: string, expires: string) =>
  cli(
    "exception",
    "add",
    "--config",
    file,
    "--id",
    "EXC-9",
    "--check",
    "aws.iam.console-user-mfa",
    "--reason",
    "Key on order.",
    "--owner",
    "Support lead",
    "--approved-by",
    "CISO",
    "--expires",
    expires,
  );
const quiet = (): Output => ({ out: () => undefined, err: () => undefined });

describe("isms-agent exception add: the expiry", () => {
  it("a past expiry (2024-01-31) exits 2 naming --expires, and nothing is recorded", async () => {
    const file = configFile();
    expect(await add(file, "2024-01-31")).toBe(2);
    expect(output.join("")).toMatch(
      /--expires: 2024-01-31 is before today \(\d{4}-\d{2}-\d{2}, UTC\); an exception that has already expired would never apply/,
    );
    expect(output.join("")).not.toContain("is excepted until");
    output = [];
    expect(await cli("exception", "list", "--config", file)).toBe(0);
    expect(output.join("")).toContain("The exceptions register is empty.");
  });

  it("an impossible day (2026-02-31) exits 2 naming --expires", async () => {
    expect(await add(configFile(), "2026-02-31")).toBe(2);
    expect(output.join("")).toContain("--expires: expected a real calendar date");
  });

  it("today (UTC) is the earliest accepted expiry: it holds to the end of the day", async () => {
    const loaded = await loadConfig(configFile());
    const now = () => new Date("2026-11-05T23:30:00Z");
    const options = { check: "aws.iam.console-user-mfa", reason: "Key on order.", owner: "Support lead", approvedBy: "CISO", now };
    await expect(exceptionAddCommand(loaded, { ...options, id: "EXC-1", expires: "2026-11-04" }, quiet())).rejects.toThrow(
      new UsageError(
        "--expires: 2026-11-04 is before today (2026-11-05, UTC); an exception that has already expired would never apply. Give its last day, today or later.",
      ),
    );
    expect(await exceptionAddCommand(loaded, { ...options, id: "EXC-2", expires: "2026-11-05" }, quiet())).toBe(0);
  });
});
