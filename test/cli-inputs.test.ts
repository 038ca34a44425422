/**
 * What the CLI accepts from the command line: files for `evidence add` (regular files only,
 * bounded, no symlinks unless asked) and dates (real calendar dates, never Date's guesses).
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../app/cli/main.js";
import { parseDayOption, parseTimeOption } from "../src/dates.js";
import { UsageError } from "../src/errors.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { tempDir } from "./helpers.js";

const dirs: { cleanup: () => void }[] = [];
const fifos: string[] = [];
let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  // A reader stuck opening a FIFO (the bug this file guards against) is released by a writer.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody is reading it, nothing to release.
    }
  }
  dirs.splice(0).forEach((d) => d.cleanup());
});

const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);
const text = () => output.join("");

function setup(extraConfig = ""): { dir: string; config: string; db: string } {
  const d = tempDir();
  dirs.push(d);
  const config = join(d.path, "isms-agent.yaml");
  const db = join(d.path, "evidence.db");
  writeFileSync(config, `organization: X\ndatabase: ${db}\n${extraConfig}`);
  return { dir: d.path, config, db };
}

const addEvidence = (config: string, file: string, ...more: string[]) =>
  cli("evidence", "add", "--config", config, "--control", "A.6.3", "--file", file, "--note", "Training completion export.", ...more);

async function storedEvidenceCount(db: string): Promise<number> {
  if (!existsSync(db)) return 0;
  const store = await openSqliteStore({ file: db });
  try {
    return (await store.manualEvidence()).length;
  } finally {
    await store.close();
  }
}

describe("evidence add takes regular files only", () => {
  it("a FIFO is refused at once (exit 2) instead of waiting forever for a writer", async () => {
    const { dir, config, db } = setup();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    fifos.push(fifo);
    expect(await addEvidence(config, fifo)).toBe(2);
    expect(text()).toContain(`--file ${fifo} is not a regular file (it is a FIFO); give the path of the evidence file itself`);
    expect(await storedEvidenceCount(db)).toBe(0);
  });

  it("a device such as /dev/zero is refused (exit 2) without reading it", async () => {
    const { config, db } = setup();
    expect(await addEvidence(config, "/dev/zero")).toBe(2);
    expect(text()).toContain("--file /dev/zero is not a regular file (it is a character device)");
    expect(await storedEvidenceCount(db)).toBe(0);
  });

  it("a directory is refused (exit 2)", async () => {
    const { dir, config } = setup();
    expect(await addEvidence(config, dir)).toBe(2);
    expect(text()).toContain(`--file ${dir} is not a regular file (it is a directory)`);
  });

  it("a symlink is refused unless --follow-symlinks, which stores the file it points to", async () => {
    const { dir, config, db } = setup();
    const target = join(dir, "training.csv");
    writeFileSync(target, "name,completed\nalice,2026-01-10\n");
    const link = join(dir, "latest.csv");
    symlinkSync(target, link);
    expect(await addEvidence(config, link)).toBe(2);
    expect(text()).toContain(`--file ${link} is a symbolic link; pass --follow-symlinks to store the file it points to`);
    expect(await storedEvidenceCount(db)).toBe(0);

    output = [];
    expect(await addEvidence(config, link, "--follow-symlinks")).toBe(0);
    expect(text()).toMatch(/Stored latest\.csv \(32 bytes, sha256 [0-9a-f]{64}\) as evidence 1 for A\.6\.3/);
    expect(await storedEvidenceCount(db)).toBe(1);
  });

  it("a symlink to a device is refused even with --follow-symlinks", async () => {
    const { dir, config } = setup();
    const link = join(dir, "zero");
    symlinkSync("/dev/zero", link);
    expect(await addEvidence(config, link, "--follow-symlinks")).toBe(2);
    expect(text()).toContain(`--file ${link} is not a regular file (it is a character device)`);
  });

  it("a file over manualEvidenceMaxMiB is refused naming the limit and the config field; one at the limit is stored", async () => {
    const { dir, config, db } = setup("manualEvidenceMaxMiB: 1\n");
    const big = join(dir, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, 1024 * 1024 + 1);
    expect(await addEvidence(config, big)).toBe(2);
    expect(text()).toContain(
      `--file ${big} is 1048577 bytes, over the limit of 1 MiB (1048576 bytes) for manual evidence; raise manualEvidenceMaxMiB in the config to store it`,
    );
    expect(await storedEvidenceCount(db)).toBe(0);

    truncateSync(big, 1024 * 1024);
    output = [];
    expect(await addEvidence(config, big)).toBe(0);
    expect(text()).toContain("Stored big.bin (1048576 bytes");
  });

  it("the default limit is 100 MiB: a sparse file just over it is refused without being read", async () => {
    const { dir, config, db } = setup();
    const big = join(dir, "huge.bin");
    writeFileSync(big, "");
    truncateSync(big, 100 * 1024 * 1024 + 1);
    expect(await addEvidence(config, big)).toBe(2);
    expect(text()).toContain("over the limit of 100 MiB (104857600 bytes) for manual evidence; raise manualEvidenceMaxMiB");
    expect(await storedEvidenceCount(db)).toBe(0);
  });

  it("manualEvidenceMaxMiB must be a positive number (a config error naming the field)", async () => {
    const { config } = setup("manualEvidenceMaxMiB: 0\n");
    expect(await cli("validate", "--config", config)).toBe(2);
    expect(text()).toContain("manualEvidenceMaxMiB: Too small: expected number to be >0 (line 3)");
  });
});

describe("dates on the command line", () => {
  it("the parser takes YYYY-MM-DD and full ISO 8601 times with a zone, and nothing Date would guess at", () => {
    expect(parseDayOption("2026-02-28", "--to")).toBe("2026-02-28");
    expect(parseDayOption("2028-02-29", "--to")).toBe("2028-02-29");
    expect(parseTimeOption("2026-03-02", "--as-of").toISOString()).toBe("2026-03-02T23:59:59.999Z");
    expect(parseTimeOption("2026-03-02T09:00:00Z", "--as-of").toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(parseTimeOption("2026-03-02T09:00Z", "--as-of").toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(parseTimeOption("2026-03-02T09:00:00.250+01:00", "--as-of").toISOString()).toBe("2026-03-02T08:00:00.250Z");
    expect(parseTimeOption("2026-03-02T00:30:00-05:30", "--as-of").toISOString()).toBe("2026-03-02T06:00:00.000Z");
    for (const bad of [
      "0",
      "12",
      "2026",
      "2026-03",
      "2026-02-31",
      "2026-02-29",
      "2026-13-01",
      "2026-00-10",
      "2026-04-31",
      "2026-3-2",
      " 2026-03-02",
      "2026-03-02 ",
      "March 2, 2026",
      "2026/03/02",
      "",
      "2026-03-02T09:00:00",
      "2026-03-02T25:00:00Z",
      "2026-03-02T09:60:00Z",
      "2026-03-02T09:00:61Z",
      "2026-03-02T09:00:00+24:00",
      "2026-02-30T09:00:00Z",
      "+002026-03-02",
    ]) {
      expect(() => parseTimeOption(bad, "--as-of"), bad).toThrow(UsageError);
    }
    for (const bad of ["0", "12", "2026-02-31", "2026-03-02T09:00:00Z", "20260302", "2026-06-31"])
      expect(() => parseDayOption(bad, "--valid-until"), bad).toThrow(UsageError);
    expect(() => parseDayOption("2026-02-31", "--valid-until")).toThrow(
      '--valid-until expects a real calendar date as YYYY-MM-DD; got "2026-02-31" (February 2026 has 28 days)',
    );
    expect(() => parseTimeOption("12", "--as-of")).toThrow(
      '--as-of expects a date as YYYY-MM-DD or an ISO 8601 time with its zone, such as 2026-03-02T09:00:00Z; got "12"',
    );
  });

  it("evidence add --valid-until 2026-02-31 is refused (exit 2), naming the option", async () => {
    const { dir, config, db } = setup();
    const file = join(dir, "training.csv");
    writeFileSync(file, "alice\n");
    expect(await addEvidence(config, file, "--valid-until", "2026-02-31")).toBe(2);
    expect(text()).toContain('--valid-until expects a real calendar date as YYYY-MM-DD; got "2026-02-31" (February 2026 has 28 days)');
    expect(await storedEvidenceCount(db)).toBe(0);
  });

  it("report --as-of 0 and --as-of 12 are refused (exit 2) instead of being read as the years 2000 and 2001", async () => {
    const { config, db } = setup();
    for (const value of ["0", "12", "2026-03-02T09:00:00", "2026-03-02T24:00:00Z"]) {
      output = [];
      expect(await cli("report", "--config", config, "--as-of", value), value).toBe(2);
      expect(text()).toContain(`--as-of expects a date as YYYY-MM-DD or an ISO 8601 time with its zone, such as 2026-03-02T09:00:00Z; got "${value}"`);
    }
    output = [];
    expect(await cli("report", "--config", config, "--as-of", "2026-02-31")).toBe(2);
    expect(text()).toContain('--as-of expects a real calendar date as YYYY-MM-DD; got "2026-02-31" (February 2026 has 28 days)');
    // A valid time with an offset gets as far as the (empty) store, converted to UTC.
    await (await openSqliteStore({ file: db })).close();
    output = [];
    expect(await cli("report", "--config", config, "--as-of", "2026-03-02T09:00:00+01:00")).toBe(2);
    expect(text()).toContain("no run had finished by 2026-03-02T08:00:00.000Z");
  });

  it("report and pack --from/--to take real calendar days only", async () => {
    const { dir, config } = setup();
    expect(await cli("report", "--config", config, "--from", "2026-02-31", "--to", "2026-03-31")).toBe(2);
    expect(text()).toContain('--from expects a real calendar date as YYYY-MM-DD; got "2026-02-31" (February 2026 has 28 days)');
    output = [];
    expect(await cli("pack", "--config", config, "--from", "2026-01-01", "--to", "12", "--out", join(dir, "p.zip"))).toBe(2);
    expect(text()).toContain('--to expects a date as YYYY-MM-DD; got "12"');
  });

  // --expires goes through the config's exception schema (strict calendar days too), so every problem is listed at once.
  it("exception add --expires 2026-04-31 is refused (exit 2), naming the option", async () => {
    const { config } = setup();
    const code = await cli(
      "exception",
      "add",
      "--config",
      config,
      "--id",
      "EXC-1",
      "--check",
      "aws.iam.console-user-mfa",
      "--reason",
      "Leaves soon.",
      "--owner",
      "IT",
      "--approved-by",
      "CISO",
      "--expires",
      "2026-04-31",
    );
    expect(code).toBe(2);
    expect(text()).toContain("--expires: expected a real calendar date");
  });
});
