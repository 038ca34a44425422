/**
 * A database that cannot be used: read-only, locked by another writer past the busy timeout, or
 * not an SQLite file. Each is a clear error naming the file, exit non-zero, and nothing is
 * overwritten.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../app/cli/main.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
const writes: string[] = [];
let restore: () => void;

beforeAll(() => {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
});
afterAll(() => {
  restore();
  chmodSync(dir.path, 0o755);
  dir.cleanup();
});

function config(name: string, extra = ""): string {
  const file = join(dir.path, `${name}.yaml`);
  writeFileSync(
    file,
    `organization: Example Ltd
database: ${join(dir.path, `${name}.db`)}
${extra}
sources:
  github:
    - { name: gh, org: acme, token: "t0123456789", baseUrl: "http://127.0.0.1:9" }
`,
  );
  return file;
}

describe("a database the agent cannot use", () => {
  it("not an SQLite file: refused by name, exit 1, the file untouched", async () => {
    const file = config("notes");
    const db = join(dir.path, "notes.db");
    writeFileSync(db, "These are my meeting notes, not a database.\n");
    writes.length = 0;
    expect(await main(["node", "isms-agent", "run", "--config", file])).toBe(1);
    expect(writes.join("")).toContain(`Evidence store error: ${db}: is not an SQLite database; refusing to use or overwrite it`);
    expect(readFileSync(db, "utf8")).toBe("These are my meeting notes, not a database.\n");
  });

  it("locked by another writer past the busy timeout: a clear error, exit 1, nothing written", async () => {
    const file = config("locked", "databaseBusyTimeoutSeconds: 0.2");
    const db = join(dir.path, "locked.db");
    await (await openSqliteStore({ file: db })).close();
    const holder = new sqlite3.Database(db);
    await new Promise<void>((ok, fail) => holder.exec("PRAGMA journal_mode = WAL; BEGIN EXCLUSIVE; CREATE TABLE held (x);", (e) => (e ? fail(e) : ok())));
    try {
      writes.length = 0;
      expect(await main(["node", "isms-agent", "run", "--config", file])).toBe(1);
      const said = writes.join("");
      expect(said).toContain(`Evidence store error: ${db}:`);
      expect(said).toMatch(/SQLITE_BUSY.*another process has held a write lock on it for longer than the busy timeout/);
    } finally {
      await new Promise<void>((ok) => holder.exec("ROLLBACK", () => holder.close(() => ok())));
    }
    const store = await openSqliteStore({ file: db });
    expect(await store.listRuns()).toEqual([]);
    await store.close();
  });

  it("read-only (file and folder): a clear error naming the file, exit 1, its bytes unchanged", async (ctx) => {
    const ro = join(dir.path, "ro");
    mkdirSync(ro);
    const db = join(ro, "evidence.db");
    const file = join(ro, "isms-agent.yaml");
    writeFileSync(
      file,
      `organization: Example Ltd\ndatabase: ${db}\nsources:\n  github:\n    - { name: gh, org: acme, token: "t0123456789", baseUrl: "http://127.0.0.1:9" }\n`,
    );
    await (await openSqliteStore({ file: db })).close();
    const bytes = readFileSync(db);
    chmodSync(db, 0o444);
    chmodSync(ro, 0o555);
    chmodSync(dir.path, 0o755);
    // Root ignores file modes. As root, make file and folder immutable (which binds root too) where
    // the filesystem allows; else run the agent as an unprivileged user, if it can reach this checkout.
    const vitenode = resolve("node_modules/.bin/vite-node");
    const asRoot = process.getuid?.() === 0;
    const immutable = asRoot && spawnSync("chattr", ["+i", db, ro]).status === 0;
    const nobody = { uid: 65534, gid: 65534 };
    if (asRoot && !immutable && spawnSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(vitenode)}, 1)`], nobody).status !== 0) {
      chmodSync(ro, 0o755);
      ctx.skip(
        "running as root, chattr +i is refused here and an unprivileged user cannot reach this checkout: no way to make the database read-only for the agent",
      );
    }
    const child = spawnSync(vitenode, [resolve("app/cli/bin.ts"), "--", "run", "--config", file], {
      encoding: "utf8",
      env: { ...process.env, HOME: "/tmp" },
      ...(asRoot && !immutable ? nobody : {}),
      timeout: 60_000,
    });
    if (immutable) spawnSync("chattr", ["-i", db, ro]);
    chmodSync(ro, 0o755);
    expect(child.status).toBe(1);
    expect(child.stderr).toContain(`Evidence store error: ${db}:`);
    // SQLite says READONLY, or CANTOPEN for a WAL database it cannot open for writing.
    expect(child.stderr).toMatch(/SQLITE_(READONLY|CANTOPEN).*the file or its folder is read-only/);
    expect(readFileSync(db).equals(bytes)).toBe(true);
  }, 60_000);
});
