import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../app/cli/main.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { tempDir } from "./helpers.js";

const dirs: { cleanup: () => void }[] = [];
let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

describe("isms-agent CLI", () => {
  it("init writes a starter config that validate accepts; init refuses to overwrite", async () => {
    const file = join(dir(), "isms-agent.yaml");
    expect(await cli("init", "--config", file)).toBe(0);
    expect(await cli("validate", "--config", file)).toBe(0);
    expect(output.join("")).toContain('is valid: organisation "Example Ltd", 1 AWS source, 1 objective.');
    expect(await cli("init", "--config", file)).toBe(2);
    expect(output.join("")).toContain("already exists; pass --force");
  });

  it("validate counts the sources of every type, and names none it does not have", async () => {
    const file = join(dir(), "isms-agent.yaml");
    writeFileSync(
      file,
      [
        "organization: Example Ltd",
        "sources:",
        "  azure:",
        "    - { name: tenant, tenantId: 00000000-0000-0000-0000-000000000001, credential: { type: access-token, armToken: t } }",
        "  github:",
        "    - { name: code, org: example, token: t }",
        "    - { name: code-2, org: example-2, token: t }",
        "",
      ].join("\n"),
    );
    expect(await cli("validate", "--config", file)).toBe(0);
    expect(output.join("")).toContain('is valid: organisation "Example Ltd", 1 Azure source, 2 GitHub sources, 0 objectives.');
    writeFileSync(file, "organization: Example Ltd\n");
    expect(await cli("validate", "--config", file)).toBe(0);
    expect(output.join("")).toContain('is valid: organisation "Example Ltd", no sources, 0 objectives.');
  });

  it("a config error exits 2 naming the field, before any API is called", async () => {
    const file = join(dir(), "bad.yaml");
    writeFileSync(file, "organization: X\nsources:\n  aws:\n    - name: prod\n      regions: [mars-north-1a]\n");
    expect(await cli("run", "--config", file)).toBe(2);
    expect(output.join("")).toContain("sources.aws[0].regions[0]: expected an AWS region name such as eu-west-1 (line 5)");
  });

  it("a missing config file exits 2 and says how to make one", async () => {
    expect(await cli("validate", "--config", join(dir(), "nope.yaml"))).toBe(2);
    expect(output.join("")).toContain("the config file does not exist (create one with `isms-agent init`");
  });

  it("a config with no sources refuses to run (exit 2)", async () => {
    const file = join(dir(), "empty.yaml");
    writeFileSync(file, "organization: X\n");
    expect(await cli("run", "--config", file)).toBe(2);
    expect(output.join("")).toContain("no sources are configured");
  });

  it("report of a run that does not exist is a usage error (exit 2); an unknown format too", async () => {
    const d = dir();
    const file = join(d, "c.yaml");
    writeFileSync(file, `organization: X\ndatabase: ${join(d, "e.db")}\n`);
    await (await openSqliteStore({ file: join(d, "e.db") })).close();
    expect(await cli("report", "--config", file, "--run", "latest")).toBe(2);
    expect(output.join("")).toContain("there is no finished run");
    expect(await cli("report", "--config", file, "--format", "pdf")).toBe(2);
    expect(output.join("")).toContain("--format expects a comma-separated list of json, md, html, csv, soa, oscal, ocsf");
  });

  it("verify on an empty store passes; a missing one or a database that is not SQLite exits 1 naming the file", async () => {
    const d = dir();
    const file = join(d, "c.yaml");
    writeFileSync(file, `organization: X\ndatabase: ${join(d, "e.db")}\n`);
    expect(await cli("verify", "--config", file)).toBe(1);
    expect(output.join("")).toContain(`${join(d, "e.db")}: holds no isms-agent store: the file does not exist`);
    await (await openSqliteStore({ file: join(d, "e.db") })).close();
    expect(await cli("verify", "--config", file)).toBe(0);
    writeFileSync(join(d, "bad.db"), "not a database");
    writeFileSync(file, `organization: X\ndatabase: ${join(d, "bad.db")}\n`);
    expect(await cli("verify", "--config", file)).toBe(1);
    expect(output.join("")).toContain(`${join(d, "bad.db")}: is not an SQLite database; refusing to use or overwrite it`);
    expect(readFileSync(join(d, "bad.db"), "utf8")).toBe("not a database");
  });

  it("controls lists all 93 with their checks", async () => {
    expect(await cli("controls")).toBe(0);
    const text = output.join("");
    expect(text).toContain("A.8.5   Secure authentication [technological; automated] — 9 checks");
    expect(text).toContain("aws.iam.console-user-mfa: Console sign-in with a second factor");
    expect(text).toContain("A.6.3   Information security awareness, education and training [people; manual] — manual evidence");
    // Each control's evidence set, with the command that fills a manual element.
    expect(text).toContain('evidence "restore-test": A record of a restore test — manual: `evidence add --control A.8.13 --element restore-test`');
    expect(text).toContain(
      'evidence "backup-configuration": Backup configuration of every data store in scope — from aws.config.backups, aws.config.backup-plans',
    );
    // 25: A.5.33 lost its only check (secret scanning), A.5.14, A.5.16, A.8.28 and A.8.30 gained one.
    expect(text).toContain("46 of 93 controls have at least one automated check");
  });

  it("an unknown command is bad usage (exit 2)", async () => {
    expect(await cli("frobnicate")).toBe(2);
  });
});
