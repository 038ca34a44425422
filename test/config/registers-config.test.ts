import { describe, expect, it } from "vitest";
import { parseConfig } from "../../app/config.js";
import { ConfigError } from "../../src/errors.js";

const base = `organization: Example Ltd
objectives:
  - { id: mfa-enrolment, title: MFA, metric: mfa_enrolment, target: 100, deadline: 2027-06-30, owner: CISO }
exceptions:
  - { id: EXC-1, check: aws.iam.root-mfa, reason: Break-glass., owner: CISO, approvedBy: CEO, expires: 2027-01-31 }
`;

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, "/etc/isms-agent.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("the risk register, nonconformity SLAs and effectiveness in config", () => {
  it("reads risks with their treating controls and objectives, and gives the policy's defaults", () => {
    const { config } = parseConfig(
      `${base}risks:
  - { id: R-3, title: Account takeover, asset: Consoles, threat: Credential stuffing, likelihood: 4, impact: 5, owner: CISO, treatment: treat, controls: [A.8.5], objectives: [mfa-enrolment], residualTarget: 6 }
  - { id: R-9, title: Break-glass root, asset: Root user, threat: Misuse, likelihood: 1, impact: 5, owner: CISO, treatment: accept, exceptions: [EXC-1] }
nonconformities: { slaDays: { high: 7 }, effectiveness: { runs: 2, days: 7 } }
`,
      "/etc/isms-agent.yaml",
      {},
    );
    expect(config.risks.map((r) => [r.id, r.treatment, r.controls])).toEqual([
      ["R-3", "treat", ["A.8.5"]],
      ["R-9", "accept", []],
    ]);
    expect(config.riskScale).toEqual({ likelihood: 5, impact: 5 });
    expect(config.nonconformities).toEqual({
      slaDays: { critical: 3, high: 7, medium: 30, low: 90 },
      staleEvidenceDays: 7,
      dueDays: 30,
      effectiveness: { runs: 2, days: 7 },
    });
  });

  it("names the field and what was expected for each mistake, all at once", () => {
    const found = problems(`${base}riskScale: { likelihood: 3 }
risks:
  - { id: R-1, title: T, asset: A, threat: X, likelihood: 4, impact: 5, owner: O, treatment: treat, controls: [A.9.9], objectives: [nope] }
  - { id: R-1, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: mitigate }
  - { id: R-2, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: treat }
  - { id: R-4, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: accept, exceptions: [EXC-404] }
nonconformities: { slaDays: { high: 0 }, effectiveness: { runs: 0 } }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^risks\[0\]\.controls\[0\]: expected an Annex A 2022 control id/),
        expect.stringMatching(/^risks\[1\]\.treatment: expected one of "treat", "accept", "transfer", "avoid"/),
        expect.stringMatching(/^nonconformities\.slaDays\.high: /),
        expect.stringMatching(/^nonconformities\.effectiveness\.runs: /),
      ]),
    );
    // The rules across fields come once the shapes are right.
    expect(
      problems(`${base}riskScale: { likelihood: 3 }
risks:
  - { id: R-1, title: T, asset: A, threat: X, likelihood: 4, impact: 5, owner: O, treatment: treat, controls: [A.8.5], objectives: [nope] }
  - { id: R-1, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: avoid }
  - { id: R-2, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: treat }
  - { id: R-4, title: T, asset: A, threat: X, likelihood: 1, impact: 1, owner: O, treatment: accept, exceptions: [EXC-404] }
`),
    ).toEqual([
      "risks[0].likelihood: expected 1 to 3 (riskScale.likelihood); got 4 (line 8)",
      'risks[0].objectives[0]: expected the id of an objective in `objectives`; there is no "nope" (line 8)',
      'risks[1].id: duplicate risk id "R-1" (line 9)',
      'risks[2].controls: a risk treated by "treat" needs the controls or objectives that treat it, or its status can never be judged (line 10)',
      'risks[3].exceptions[0]: expected the id of an exception in `exceptions`; there is no "EXC-404" (line 11)',
    ]);
  });
});
