import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../app/config.js";
import { configJsonSchema } from "../../app/config.js";
import { starterConfig, starterDeadline } from "../../src/config/starter.js";
import { ConfigError } from "../../src/errors.js";

const file = "/etc/isms-agent.yaml";
const minimal = `organization: Example Ltd
sources:
  aws:
    - name: production
      regions: [eu-west-1, us-east-1]
`;

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(yaml, file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("applies the documented defaults", () => {
    const { config } = parseConfig(minimal, file, {});
    expect(config.database).toBe("./data/evidence.db");
    expect(config.output).toBe("./out");
    expect(config.sources.azure).toEqual([]);
    expect(config.sources.aws[0]).toMatchObject({ name: "production", regions: ["eu-west-1", "us-east-1"], concurrency: 4 });
    expect(config.checks["aws.iam.access-key-rotation"]).toEqual({ maxAgeDays: 90 });
    expect(config.checks["aws.iam.password-policy"]).toMatchObject({ minimumLength: 14, reusePrevention: 24, maxAgeDays: null });
    expect(config.runner).toEqual({ collectorTimeoutSeconds: 600, concurrency: 4 });
  });

  it("accepts the contract example from the design, objectives included", () => {
    const yaml = `organization: Example Ltd
database: ./data/evidence.db
output: ./out
sources:
  aws:
    - name: production
      regions: [eu-west-1, us-east-1]
      profile: prod
      endpoint: http://127.0.0.1:4566
  azure: []
  github: []
objectives:
  - id: mfa-enrolment
    title: All console users enrolled in MFA
    metric: mfa_enrolment
    target: 100
    deadline: 2026-09-30
    owner: CISO
    controls: [A.5.17, A.8.5]
`;
    const { config } = parseConfig(yaml, file, {});
    expect(config.objectives[0]).toMatchObject({ id: "mfa-enrolment", deadline: "2026-09-30", controls: ["A.5.17", "A.8.5"] });
  });

  it("names the field, what was expected and the line, for every problem at once", () => {
    const yaml = `organization: Example Ltd
sources:
  aws:
    - name: production
      regions: eu-west-1
      colour: blue
checks:
  aws.iam.access-key-rotation:
    maxAgeDays: ninety
objectives:
  - id: mfa
    title: MFA
    metric: mfa_enrolment
    target: 120
    deadline: 30/09/2026
    owner: CISO
    controls: [A.9.9]
`;
    expect(problems(yaml)).toEqual([
      'sources.aws[0].regions: expected "all" or a list of regions such as [eu-west-1], got the string "eu-west-1" (line 5)',
      'sources.aws[0]: unknown key "colour" (line 6)',
      'checks.aws.iam.access-key-rotation.maxAgeDays: expected number, got the string "ninety" (line 9)',
      "objectives[0].target: Too big: expected number to be <=100 (line 14)",
      "objectives[0].deadline: expected a date as YYYY-MM-DD (line 15)",
      "objectives[0].controls[0]: expected an Annex A 2022 control id such as A.8.5 (line 17)",
    ]);
  });

  it("rejects a missing required field and an unknown check id", () => {
    expect(problems("sources: {}\nchecks:\n  aws.iam.nope: {}\n")).toEqual([
      "organization: expected string, got nothing (the field is required) (line 1)",
      'checks: unknown key "aws.iam.nope" (expected the id of a known check, see `isms-agent controls`) (line 3)',
    ]);
  });

  it("interpolates ${VAR} and ${VAR:-default}; a missing variable is an error naming it and the field", () => {
    const yaml = `organization: \${ORG:-Example Ltd}
sources:
  aws:
    - name: production
      regions: [eu-west-1]
      profile: \${AWS_PROFILE_NAME}
`;
    expect(parseConfig(yaml, file, { AWS_PROFILE_NAME: "prod" }).config.sources.aws[0]?.profile).toBe("prod");
    expect(parseConfig(yaml, file, { AWS_PROFILE_NAME: "prod" }).config.organization).toBe("Example Ltd");
    expect(problems(yaml, {})).toEqual(["sources.aws[0].profile: environment variable AWS_PROFILE_NAME is not set (line 6)"]);
  });

  it("rejects duplicate source names and objective ids, and a check_pass_rate metric without checks", () => {
    const yaml = `organization: X
sources:
  aws:
    - { name: a, regions: [eu-west-1] }
    - { name: a, regions: [eu-west-1] }
objectives:
  - { id: o, title: T, metric: check_pass_rate, target: 90, deadline: 2027-01-01, owner: me }
`;
    expect(problems(yaml)).toEqual([
      "objectives[0].checks: metric check_pass_rate needs a list of check ids (line 7)",
      'sources.aws[1].name: duplicate source name "a" (also sources.aws[0]) (line 5)',
    ]);
  });

  it("rejects an impossible date", () => {
    expect(problems(`organization: X\nobjectives:\n  - { id: o, title: T, metric: mfa_enrolment, target: 90, deadline: 2027-02-30, owner: me }\n`)).toEqual([
      "objectives[0].deadline: expected a real calendar date (line 3)",
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problems("organization: [unclosed\n")[0]).toMatch(/^: line \d+, column \d+: /);
  });

  it("a GitHub source needs exactly one of token or app", () => {
    expect(problems(`organization: X\nsources:\n  github:\n    - name: acme\n      org: acme\n`)).toEqual([
      "sources.github[0].token: give exactly one of token or app (line 4)",
    ]);
    const { config } = parseConfig(`organization: X\nsources:\n  github:\n    - name: acme\n      org: acme\n      token: \${GH}\n`, file, {
      GH: "ghp_0123456789abcdef",
    });
    expect(config.sources.github[0]).toMatchObject({ baseUrl: "https://api.github.com", maxRateLimitWaitSeconds: 900 });
  });

  it("accepts the Azure contract example and checks its credential shape", () => {
    const yaml = `organization: X
sources:
  azure:
    - name: corp
      tenantId: 00000000-0000-0000-0000-000000000000
      subscriptions: all
      credential:
        type: client-secret
        clientId: 11111111-1111-1111-1111-111111111111
        clientSecret: \${AZURE_CLIENT_SECRET}
      endpoint: https://management.azure.com
      graphEndpoint: https://graph.microsoft.com
      authorityHost: https://login.microsoftonline.com
`;
    const loaded = parseConfig(yaml, file, { AZURE_CLIENT_SECRET: "s3cr3t-value-123" });
    expect(loaded.config.sources.azure[0]).toMatchObject({ subscriptions: "all", endpoint: "https://management.azure.com" });
    expect(loaded.secrets).toContain("s3cr3t-value-123");
    expect(problems(yaml.replace("type: client-secret", "type: password"), { AZURE_CLIENT_SECRET: "x" })[0]).toMatch(
      /^sources\.azure\[0\]\.credential: expected "default", or \{ type: client-secret \| certificate \| access-token, ... \}/,
    );
  });

  it("the starter config written by `init` is valid, and config/examples holds what init wrote on 2027-02-01", () => {
    const starter = starterConfig(new Date());
    expect(parseConfig(starter, file, {}).config.organization).toBe("Example Ltd");
    expect(readFileSync(new URL("../../config/examples/isms-agent.example.yaml", import.meta.url), "utf8")).toBe(
      starterConfig(new Date("2027-02-01T09:00:00Z")),
    );
  });

  it("the starter objective's deadline is the end of the next quarter: ahead of the day init runs, by at least a quarter", () => {
    expect(starterDeadline(new Date("2026-12-01T04:53:00Z"))).toBe("2027-03-31");
    expect(starterDeadline(new Date("2026-09-30T23:59:59Z"))).toBe("2026-12-31");
    expect(starterDeadline(new Date("2026-10-01T00:00:00Z"))).toBe("2027-03-31");
    expect(starterDeadline(new Date("2027-01-01T00:00:00Z"))).toBe("2027-06-30");
    expect(starterDeadline(new Date("2028-02-29T12:00:00Z"))).toBe("2028-06-30");
    // Every day of four years, leap day included: a quarter's last day, 90 to 184 days ahead.
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2030, 0, 1); t += 86_400_000) {
      const today = new Date(t);
      const deadline = starterDeadline(today);
      expect(deadline).toMatch(/^\d{4}-(03-31|06-30|09-30|12-31)$/);
      const days = (Date.parse(deadline) - t) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(90);
      expect(days).toBeLessThanOrEqual(184);
    }
    const today = new Date();
    expect(parseConfig(starterConfig(today), file, {}).config.objectives[0]?.deadline).toBe(starterDeadline(today));
  });

  it("the committed JSON Schema is the one the code exports (run `npm run schema` after changing the config)", () => {
    const committed: unknown = JSON.parse(readFileSync(new URL("../../config/isms-agent.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });
});
