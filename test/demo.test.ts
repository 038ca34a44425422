import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoCommand } from "../src/cli/demo.js";
import { reportSchema } from "../reports/schema.js";
import { DEMO_ORGANIZATION, DEMO_USERS } from "./fixtures/estates/demo.js";
import { tempDir } from "./helpers.js";

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe("isms-agent demo", () => {
  it("writes report.json and report.md showing the seeded MFA enrolment exactly", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const code = await demoCommand({ out: join(dir.path, "out"), database: join(dir.path, "demo.db") }, io);
    expect(code).toBe(0);

    // Worked out from the seed itself, not from the agent.
    const consoleUsers = DEMO_USERS.filter((u) => u.password);
    const withMfa = consoleUsers.filter((u) => u.mfa);
    const expected = Math.round((withMfa.length / consoleUsers.length) * 10000) / 100;

    const report = reportSchema.parse(JSON.parse(readFileSync(join(dir.path, "out", "report.json"), "utf8")));
    expect(report.organization).toBe(DEMO_ORGANIZATION);
    expect(report.run.status).toBe("completed");
    expect(report.objectives[0]).toMatchObject({ id: "mfa-enrolment", value: expected, numerator: withMfa.length, denominator: consoleUsers.length });
    const md = readFileSync(join(dir.path, "out", "report.md"), "utf8");
    expect(md).toContain(`${expected}% (${withMfa.length}/${consoleUsers.length})`);
    expect(lines.join("\n")).toContain(`Objective mfa-enrolment: ${expected}% (${withMfa.length}/${consoleUsers.length})`);
  });
});
