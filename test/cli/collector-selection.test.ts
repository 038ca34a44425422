/**
 * `sources.<type>[i].collectors`: a run of only some of a source's collectors (e.g. IAM alone),
 * against the loopback AWS server the real SDK talks to. The other collectors make no request and
 * leave no finding; an unknown collector name is a config error naming the field.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../app/cli/main.js";
import { demoEstate } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { openSqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

let server: FakeAwsServer | undefined;
const dirs: { cleanup: () => void }[] = [];
let output: string[] = [];
beforeAll(() => {
  process.env["AWS_ACCESS_KEY_ID"] = "AKIAISMSAGENTTEST000";
  process.env["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key-not-real";
  process.env["AWS_EC2_METADATA_DISABLED"] = "true";
});
beforeEach(() => {
  output = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (output.push(String(chunk)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
  dirs.splice(0).forEach((d) => d.cleanup());
});

const cli = (...args: string[]) => main(["node", "isms-agent", ...args]);

function config(lines: string[]): string {
  const d = tempDir();
  dirs.push(d);
  const file = join(d.path, "isms-agent.yaml");
  writeFileSync(file, ["organization: Example Ltd", "database: ./evidence.db", "output: ./out", ...lines, ""].join("\n"));
  return file;
}

describe("a source's collectors selection", () => {
  it("collectors: [aws.iam] makes the IAM calls only and judges only the IAM checks", async () => {
    server = await startFakeAws(demoEstate(new Date()));
    const file = config(["sources:", "  aws:", `    - { name: prod, regions: [eu-west-1, ap-south-1], endpoint: "${server.url}", collectors: [aws.iam] }`]);
    expect(await cli("run", "--config", file)).toBe(0);
    const actions = new Set(server.requests.map((r) => r.action));
    expect([...actions].sort()).toEqual(["GenerateCredentialReport", "GetAccountPasswordPolicy", "GetCallerIdentity", "GetCredentialReport"]);
    const store = await openSqliteStore({ file: join(file, "..", "evidence.db") });
    try {
      const run = await store.latestFinishedRun();
      expect(run?.status).toBe("completed");
      const checks = new Set((await store.findings(run?.id ?? 0)).map((f) => f.checkId));
      expect(checks.size).toBeGreaterThan(0);
      expect([...checks].filter((id) => !id.startsWith("aws.iam."))).toEqual([]);
      const outcomes = await store.collectorOutcomes(run?.id ?? 0);
      expect([...new Set(outcomes.map((o) => o.collector))].sort()).toEqual(["aws.discovery", "aws.iam"]);
    } finally {
      await store.close();
    }
  });

  it("an unknown collector name is a config error naming the field and the names there are, before any call", async () => {
    server = await startFakeAws(demoEstate(new Date()));
    const file = config(["sources:", "  aws:", `    - { name: prod, regions: [eu-west-1], endpoint: "${server.url}", collectors: [aws.iam, aws.cloudtrail] }`]);
    expect(await cli("validate", "--config", file)).toBe(2);
    expect(output.join("")).toMatch(/sources\.aws\[0\]\.collectors\[1\]: "aws\.cloudtrail" is not one of the AWS collectors, which are aws\.iam, aws\.config/);
    expect(await cli("run", "--config", file)).toBe(2);
    expect(server.requests).toEqual([]);
  });

  it("an empty or repeated list is refused by the config schema", async () => {
    const empty = config(["sources:", "  github:", "    - { name: code, org: example, token: t, collectors: [] }"]);
    expect(await cli("validate", "--config", empty)).toBe(2);
    expect(output.join("")).toContain("sources.github[0].collectors: expected at least one collector; leave the field out to use every collector");
    const twice = config(["sources:", "  github:", "    - { name: code, org: example, token: t, collectors: [github.org, github.org] }"]);
    expect(await cli("validate", "--config", twice)).toBe(2);
    expect(output.join("")).toContain("sources.github[0].collectors: expected each collector once");
  });
});
