/**
 * The CLI loads only what a command needs. The CLI as it ships (test/cli-bundle.ts) runs on bare
 * node with a module hook that records every file the process loads; the packages are those the
 * loaded bundle files were built from (their source maps) and those loaded from node_modules.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAwsAccount } from "../../demo/estates/demo.js";
import { startFakeAws, type FakeAwsServer } from "../../demo/servers/aws.js";
import { bundleCli, type CliBundle } from "../cli-bundle.js";
const HEAVY = ["@aws-sdk/", "@azure/", "@octokit/", "nodemailer", "prom-client", "sqlite3"] as const;

let bundle: CliBundle;
let dir: string;
let bin: string;
let register: string;
let aws: FakeAwsServer;

beforeAll(async () => {
  bundle = await bundleCli();
  ({ dir, bin } = bundle);
  // Hooks run on their own thread: each resolved URL is appended to $LOAD_LOG.
  writeFileSync(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOAD_LOG, resolved.url + "\\n");
  return resolved;
}
`,
  );
  register = join(dir, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
  aws = await startFakeAws(demoAwsAccount(new Date()));
}, 60_000);

afterAll(async () => {
  await aws?.close();
  bundle?.cleanup();
});

/** Runs the bundled CLI; returns its exit code, output and the packages it resolved. */
function cli(args: string[], name: string): Promise<{ code: number | null; output: string; packages: string[] }> {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, "");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", register, bin, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        LOAD_LOG: log,
        AWS_ACCESS_KEY_ID: "AKIAISMSAGENTTEST000",
        AWS_SECRET_ACCESS_KEY: "lazy-loading-test-secret",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, output, packages: bundle.packagesIn(readFileSync(log, "utf8").split("\n").filter(Boolean)) }));
  });
}

function loaded(packages: readonly string[], prefixes: readonly string[]): string[] {
  return packages.filter((p) => prefixes.some((prefix) => p === prefix || p.startsWith(prefix)));
}

function writeConfig(name: string, extra = ""): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `organization: Example Ltd
database: ${JSON.stringify(join(dir, `${name}.db`))}
output: ${JSON.stringify(join(dir, `${name}-out`))}
sources:
  aws:
    - { name: prod, regions: [eu-west-1], endpoint: "${aws.url}" }
${extra}`,
  );
  return file;
}

describe("the CLI loads only what a command needs (bundled entry point, real node)", () => {
  it("--version and --help load no SDK, mail, metrics or database module", async () => {
    const version = await cli(["--version"], "version");
    expect(version.code).toBe(0);
    expect(version.output.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(loaded(version.packages, HEAVY)).toEqual([]);
    const help = await cli(["--help"], "help");
    expect(help.code).toBe(0);
    expect(help.output).toContain("Usage: isms-agent");
    expect(loaded(help.packages, HEAVY)).toEqual([]);
  });

  it("controls and validate of an AWS-only config load no SDK, mail, metrics or database module", async () => {
    const controls = await cli(["controls"], "controls");
    expect(controls.code).toBe(0);
    expect(loaded(controls.packages, HEAVY)).toEqual([]);
    const validate = await cli(["validate", "--config", writeConfig("validate")], "validate");
    expect(validate.output).toContain('is valid: organisation "Example Ltd", 1 AWS source, 0 objectives.');
    expect(validate.code).toBe(0);
    expect(loaded(validate.packages, HEAVY)).toEqual([]);
  });

  it("an AWS-only run with a webhook channel loads the AWS SDK and SQLite, and no Azure, GitHub, mail or Prometheus module", async () => {
    const config = writeConfig(
      "run",
      `alerts:\n  channels:\n    - { type: webhook, name: siem, url: "http://127.0.0.1:9/none", secret: "0123456789abcdef0123" }\n`,
    );
    const run = await cli(["run", "--quiet", "--config", config], "run");
    expect(run.output).toContain(`Run 1 completed`);
    expect(run.code).toBe(0);
    expect(loaded(run.packages, ["@aws-sdk/"]).length).toBeGreaterThan(0);
    expect(loaded(run.packages, ["sqlite3"])).toEqual(["sqlite3"]);
    expect(loaded(run.packages, ["@azure/", "@octokit/", "nodemailer", "prom-client"])).toEqual([]);
  });

  it("an IAM-only run (collectors: [aws.iam]) loads the IAM and STS clients and no other AWS service's", async () => {
    const config = writeConfig("iam-only");
    writeFileSync(config, readFileSync(config, "utf8").replace("endpoint:", "collectors: [aws.iam], endpoint:"));
    const run = await cli(["run", "--quiet", "--config", config], "iam-only");
    expect(run.output).toContain(`Run 1 completed`);
    expect(run.code).toBe(0);
    expect(loaded(run.packages, ["@aws-sdk/client-"])).toEqual(["@aws-sdk/client-iam", "@aws-sdk/client-sts"]);
  });
});
