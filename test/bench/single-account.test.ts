/**
 * `npm run bench -- --single-account`: the estate it serves, how its figures join
 * bench/results.json, and one tiny run of the mode end to end (the CLI bundled, on bare node,
 * against the loopback AWS server). Only what the mode counts is asserted, never a time.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { median, singleAccountBench, SINGLE_ACCOUNT_ACTIONS, withFullBench, withSingleAccount } from "../../bench/single-account.js";
import { singleAccountEstate } from "../../bench/estate.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const DAY = 86_400_000;

describe("the single-account estate", () => {
  const estate = singleAccountEstate(5000, NOW);
  const account = estate.accounts[0];
  const rows = (account?.credentialReportCsv ?? "")
    .split("\n")
    .slice(1)
    .map((line) => line.split(","));
  const header = (account?.credentialReportCsv ?? "").split("\n")[0]?.split(",") ?? [];
  const col = (name: string) => header.indexOf(name);

  it("is one account in one region, with no AWS Config data", () => {
    expect(estate.accounts).toHaveLength(1);
    expect(estate.enabledRegions).toHaveLength(1);
    expect(account?.config ?? {}).toEqual({});
  });

  it("has 5,000 IAM users beside root in the credential report, a mix of good and bad", () => {
    expect(rows).toHaveLength(5001);
    const users = rows.filter((r) => r[col("user")] !== "<root_account>");
    const consoleWithoutMfa = users.filter((r) => r[col("password_enabled")] === "true" && r[col("mfa_active")] === "false");
    const oldKeys = users.filter(
      (r) => r[col("access_key_1_active")] === "true" && NOW.getTime() - Date.parse(r[col("access_key_1_last_rotated")] ?? "") > 90 * DAY,
    );
    const good = users.filter((r) => r[col("mfa_active")] === "true" && r[col("access_key_1_active")] === "false");
    expect(consoleWithoutMfa.length).toBeGreaterThan(100);
    expect(oldKeys.length).toBeGreaterThan(100);
    expect(good.length).toBeGreaterThan(1000);
  });
});

describe("results.json", () => {
  const full = { machine: { node: "v20", cpus: 2 }, scale: 1, totalWallMs: 55767, sources: { aws: { requests: 581 } } };

  it("the single-account figures go under singleAccount, the full bench's figures stay as they were", () => {
    const merged = withSingleAccount(full, { users: 5000 });
    expect(merged).toEqual({ ...full, singleAccount: { users: 5000 } });
  });

  it("a full bench keeps the single-account figures of an earlier run", () => {
    const previous = { ...full, totalWallMs: 1, singleAccount: { users: 5000 } };
    expect(withFullBench(previous, full)).toEqual({ ...full, singleAccount: { users: 5000 } });
    expect(withFullBench(undefined, full)).toEqual(full);
  });

  it("median of an odd and an even number of samples", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("the single-account mode, at 20 users", () => {
  mkdirSync(resolve("bench/.build"), { recursive: true });
  const buildDir = mkdtempSync(join(resolve("bench/.build"), "test-single-account-"));
  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

  it("runs the bundled CLI to a completed run: the minimum requests, seven reports, wall time and peak RSS measured", async () => {
    const result = await singleAccountBench({ users: 20, latencyMs: 0, runs: 1, versionRuns: 1, buildDir });
    for (const sample of [...result.samples.firstRun, ...result.samples.withPreviousRun]) {
      expect(sample.exitCode).toBe(0);
      expect(sample.status).toBe("completed");
      expect(sample.failedCollectors).toEqual([]);
      // IAM only (collectors: [aws.iam]): GetCallerIdentity, the credential report (generate, get), the password policy.
      expect(sample.actions).toEqual(Object.fromEntries(SINGLE_ACCOUNT_ACTIONS.map((a) => [a, 1])));
      expect(sample.requests).toBe(4);
      expect(sample.reports.map((r) => r.file)).toEqual([
        "assessment-results.oscal.json",
        "findings.csv",
        "findings.ocsf.json",
        "report.html",
        "report.json",
        "report.md",
        "soa.csv",
      ]);
      expect(sample.findings.fail).toBeGreaterThan(0);
      expect(sample.wallMs).toBeGreaterThan(0);
      expect(sample.peakRssMb).toBeGreaterThan(20);
    }
    expect(result.firstRun.requests).toBe(4);
    expect(result.firstRun.reportsWritten).toBe(7);
    expect(result.version.samplesMs).toHaveLength(1);
    expect(result.version.output).toMatch(/^\d+\.\d+\.\d+$/);
  }, 120_000);
});
