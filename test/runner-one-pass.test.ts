/**
 * One pass through a run: each collector's evidence is judged as it lands and its findings are
 * stored then, not after the last collector; the run's summary, roll-up and objectives come from
 * what it kept while storing them.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runOnce } from "../app/runner.js";
import { parseConfig } from "../app/config.js";
import type { CollectorJob } from "../src/collect.js";
import { Redactor } from "../src/engine/redact.js";
import { IAM_EVIDENCE } from "../src/evidence/aws-iam.js";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite.js";
import { tempDir } from "./helpers.js";

const dirs: { cleanup: () => void }[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => d.cleanup());
});

const weakPolicy = { passwordPolicy: { MinimumPasswordLength: 8, PasswordReusePrevention: 0 } };

function passwordPolicyJob(account: string, before: () => Promise<void> = async () => undefined): CollectorJob {
  return {
    kind: "collect",
    collector: "aws.iam",
    scope: { source: `acct-${account}`, sourceType: "aws", account, region: "global" },
    produces: [IAM_EVIDENCE.passwordPolicy],
    sourceConcurrency: 2,
    async run({ now }) {
      await before();
      return [
        {
          source: `acct-${account}`,
          sourceType: "aws",
          account,
          region: "global",
          kind: IAM_EVIDENCE.passwordPolicy,
          apiCall: "GetAccountPasswordPolicy",
          collectedAt: now().toISOString(),
          payload: weakPolicy,
        },
      ];
    },
  };
}

describe("one pass through a run", () => {
  it("judges and stores the first collector's findings while another is still collecting", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
    stores.push(store);
    const { config } = parseConfig(
      "organization: Example Ltd\nsources:\n  aws:\n    - { name: acct-111111111111, regions: [eu-west-1] }\n    - { name: acct-222222222222, regions: [eu-west-1] }\n",
      join(dir.path, "isms-agent.yaml"),
      {},
    );
    // The second collector finishes only once the first one's findings are in the store: were the
    // run to judge at its end, this would wait forever (and the test time out).
    const firstJudged = async () => {
      for (;;) {
        const run = (await store.listRuns()).at(-1);
        if (run && (await store.findings(run.id)).some((f) => f.account === "111111111111")) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const result = await runOnce({
      config,
      store,
      redactor: new Redactor([]),
      jobs: [passwordPolicyJob("111111111111"), passwordPolicyJob("222222222222", firstJudged)],
    });
    expect(result.run.status).toBe("completed");
    const stored = await store.findings(result.run.id);
    expect(stored.map((f) => [f.account, f.checkId, f.status])).toEqual([
      ["111111111111", "aws.iam.password-policy", "fail"],
      ["222222222222", "aws.iam.password-policy", "fail"],
    ]);
    // The summary the CLI prints and the roll-up come from what the run kept, and agree with the store.
    expect(result.findings).toEqual({ pass: 0, fail: 2, error: 0, not_applicable: 0, excepted: 0 });
    expect(result.findingsByCheck.get("aws.iam.password-policy")).toEqual({ pass: 0, fail: 2, error: 0, not_applicable: 0, excepted: 0 });
    expect((await store.controlResults(result.run.id)).find((c) => c.controlId === "A.5.17")?.counts.fail).toBe(2);
    expect((await store.verify()).ok).toBe(true);
  });
});
