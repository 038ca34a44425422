/**
 * Commands that only read never create or migrate a store, and reports an auditor relies on
 * (as of a moment, a period) refuse a store that fails its integrity check (issue 14).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../app/cli/main.js";
import { tempDir } from "../helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

function setup(database: string) {
  const dir = tempDir();
  dirs.push(dir);
  const config = join(dir.path, "isms-agent.yaml");
  writeFileSync(config, `organization: Example Ltd\ndatabase: ${database}\nsources:\n  aws:\n    - { name: prod, regions: [eu-west-1] }\n`);
  return { dir: dir.path, config };
}

async function cli(args: string[]) {
  const output: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  try {
    const code = await main(["node", "isms-agent", ...args]);
    return { code, text: output.join("") };
  } finally {
    vi.restoreAllMocks();
  }
}

async function sql(file: string, statements: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const db = new sqlite3.Database(file, (err) => (err ? fail(err) : db.exec(statements, (e) => db.close(() => (e ? fail(e) : ok())))));
  });
}

describe("read-only commands", () => {
  it("verify, report and the register lists on a mistyped database path create nothing and say there is no store", async () => {
    const { dir, config } = setup("./data/evidnce.db");
    for (const args of [["verify"], ["report"]]) {
      const { code, text } = await cli([...args, "--config", config]);
      expect(code, args.join(" ")).toBe(1);
      expect(text).toMatch(/evidnce\.db\W+holds no isms-agent store: the file does not exist/);
    }
    // The register lists say there is no store yet (the config's own entries still listed).
    for (const args of [
      ["exception", "list"],
      ["evidence", "list"],
    ]) {
      const { code, text } = await cli([...args, "--config", config]);
      expect(code, args.join(" ")).toBe(0);
      expect(text).toMatch(/no evidence store at \S+evidnce\.db yet/i);
    }
    expect(existsSync(join(dir, "data"))).toBe(false);
  });

  it("verify pointed at another application's SQLite file leaves it byte for byte as it was", async () => {
    const { dir, config } = setup("./other.db");
    const other = join(dir, "other.db");
    await sql(other, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello');");
    const before = readFileSync(other);
    const { code, text } = await cli(["verify", "--config", config]);
    expect(code).toBe(1);
    expect(text).toMatch(/is an SQLite database but not an isms-agent store/);
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(existsSync(`${other}-wal`)).toBe(false);
  });
});

describe("a store written by the previous version", () => {
  it("verify says how to upgrade it; migrate upgrades and verifies it; verify then passes", async () => {
    const { copyFileSync } = await import("node:fs");
    const { dir, config } = setup("./old.db");
    copyFileSync(new URL("../fixtures/stores/schema4-v1-runs.db", import.meta.url), join(dir, "old.db"));
    const refused = await cli(["verify", "--config", config]);
    expect(refused.code).toBe(1);
    expect(refused.text).toMatch(/older isms-agent \(schema version 4;.*`isms-agent migrate` \(or the next `run`\) upgrades it/);
    const migrated = await cli(["migrate", "--config", config]);
    expect(migrated.code).toBe(0);
    expect(migrated.text).toMatch(/It verifies: 4 runs, 4 evidence records\. Chain head: 0921df6d2ce2554e6fa271b71cc8f18db9f0b6cf332399226b7781e3ad8b41d5/);
    expect((await cli(["verify", "--config", config])).code).toBe(0);
  });
});

describe("reports an auditor relies on check integrity first", () => {
  it("report --as-of and a period report refuse a store that fails verify, naming the record", async () => {
    const { dir, config } = setup("./evidence.db");
    const file = join(dir, "evidence.db");
    // A store with one forged finished run outside the chain, made by the agent's own migrations.
    const { openSqliteStore } = await import("../../src/store/sqlite.js");
    const store = await openSqliteStore({ file });
    await store.close();
    await sql(
      file,
      `INSERT INTO runs (started_at, finished_at, status, organization, host, pid, sources) VALUES ('2026-11-04T00:00:00.000Z', '2026-11-04T00:00:01.000Z', 'completed', 'Example Ltd', 'h', 1, '[]')`,
    );
    for (const args of [
      ["report", "--as-of", "2026-11-05"],
      ["report", "--from", "2026-11-01", "--to", "2026-11-30"],
    ]) {
      const { code, text } = await cli([...args, "--config", config, "--out", join(dir, "out")]);
      expect(code, args.join(" ")).toBe(1);
      expect(text).toMatch(/fails its integrity check: run 1 is marked completed but is not in the hash chain/);
    }
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
