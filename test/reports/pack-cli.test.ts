/** `isms-agent pack` and `isms-agent verify pack.zip` through the CLI's main, on a real SQLite file. */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../app/cli/main.js";
import { tempDir } from "../helpers.js";
import { DAY, smallStore, tamper, writeZip, zipEntries } from "./pack-fixture.js";

const dir = tempDir();
let output: string[] = [];
const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);
const printed = () => output.join("");

beforeAll(async () => {
  await (await smallStore(join(dir.path, "evidence.db"))).close();
  writeFileSync(join(dir.path, "isms-agent.yaml"), `organization: Example Ltd\ndatabase: ${join(dir.path, "evidence.db")}\n`);
});
afterAll(() => dir.cleanup());
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const config = () => join(dir.path, "isms-agent.yaml");

describe("isms-agent verify pack.zip", () => {
  it("with the public key: exit 0, intact and authentic", async () => {
    expect(await cli("keygen", "--out", join(dir.path, "key"))).toBe(0);
    expect(
      await cli("pack", "--config", config(), "--from", DAY, "--to", DAY, "--out", join(dir.path, "signed.zip"), "--sign-key", join(dir.path, "key.pem")),
    ).toBe(0);
    output = [];
    expect(await cli("verify", join(dir.path, "signed.zip"), "--public-key", join(dir.path, "key.pub"))).toBe(0);
    expect(printed()).toMatch(/is intact and authentic: \d+ files match the manifest; signature valid \(Ed25519, key sha256:[0-9a-f]{64}\)/);
  });

  it("without a key, a signed pack exits 1: its signature was not checked, and it is never called intact", async () => {
    output = [];
    expect(await cli("verify", join(dir.path, "signed.zip"))).toBe(1);
    expect(printed()).not.toContain("intact");
    expect(printed()).toContain("authenticity was not checked: the pack carries a signature by key sha256:");
    expect(printed()).toContain("pass --public-key <key.pub> to check who wrote it");
  });

  it("a pack whose signature was stripped exits 1 without a key, and 0 only with an explicit --unsigned-ok, still saying it is unchecked", async () => {
    const stripped = await writeZip(
      join(dir.path, "stripped.zip"),
      (await zipEntries(join(dir.path, "signed.zip"))).filter(([name]) => name !== "signature.json"),
    );
    output = [];
    expect(await cli("verify", stripped)).toBe(1);
    expect(printed()).not.toContain("intact");
    expect(printed()).toContain("authenticity was not checked: the pack is not signed, so anyone could have written it and its manifest");
    output = [];
    expect(await cli("verify", stripped, "--unsigned-ok")).toBe(0);
    expect(printed()).not.toContain("intact");
    expect(printed()).toMatch(
      /The files of .*stripped\.zip match its manifest \(\d+ files\), but its authenticity was NOT checked \(the pack is not signed\); accepted because of --unsigned-ok\./,
    );
    // A key given for an unsigned pack still fails, --unsigned-ok or not.
    output = [];
    expect(await cli("verify", stripped, "--unsigned-ok", "--public-key", join(dir.path, "key.pub"))).toBe(1);
    expect(printed()).toContain("the pack is not signed, but a public key was given to check it with");
  });

  it("the help says how authenticity is checked", async () => {
    output = [];
    await cli("verify", "--help");
    expect(printed()).toContain("--unsigned-ok");
    expect(printed()).toContain("--public-key <file>");
  });
});

describe("isms-agent pack", () => {
  it("refuses a store that fails verify: exit 1 naming the first bad record, and no zip", async () => {
    const d = tempDir();
    try {
      const db = join(d.path, "evidence.db");
      await (await smallStore(db)).close();
      await tamper(db, `UPDATE evidence SET payload = replace(payload, '"AccountMFAEnabled":1', '"AccountMFAEnabled":0')`);
      writeFileSync(join(d.path, "c.yaml"), `organization: Example Ltd\ndatabase: ${db}\n`);
      const out = join(d.path, "pack.zip");
      output = [];
      expect(await cli("pack", "--config", join(d.path, "c.yaml"), "--from", DAY, "--to", DAY, "--out", out)).toBe(1);
      expect(printed()).toContain("evidence record 1 of run 1 (aws.iam.account-summary, GetAccountSummary, account 111122223333) does not match its sha256");
      expect(printed()).toContain("refusing to write an evidence pack");
      expect(existsSync(out)).toBe(false);
    } finally {
      d.cleanup();
    }
  });
});
