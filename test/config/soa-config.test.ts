import { describe, expect, it } from "vitest";
import { parseConfig } from "../../app/config.js";
import { ConfigError } from "../../src/errors.js";

const base = `organization: Example Ltd
sources:
  aws:
    - { name: production, regions: [eu-west-1] }
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

describe("statementOfApplicability.controls (clause 6.1.3 d)", () => {
  it("takes a justification for inclusion and an implementation status per control; both default to not stated", () => {
    const { config } = parseConfig(
      `${base}statementOfApplicability:\n  controls:\n    A.8.5: { inclusion: "Risk R-3: account takeover.", implementation: partially_implemented }\n`,
      "/etc/isms-agent.yaml",
      {},
    );
    expect(config.statementOfApplicability.controls["A.8.5"]).toEqual({ inclusion: "Risk R-3: account takeover.", implementation: "partially_implemented" });
    expect(parseConfig(base, "/etc/isms-agent.yaml", {}).config.statementOfApplicability.controls).toEqual({});
  });

  it("names the field for an unknown control, an unknown status, and a control both excluded and described as included", () => {
    const found = problems(`${base}statementOfApplicability:
  excluded:
    - { control: A.7.5, justification: No premises. }
  controls:
    A.9.9: { implementation: implemented }
    A.7.5: { inclusion: "Needed." }
`);
    expect(found).toEqual([
      expect.stringMatching(/^statementOfApplicability\.controls\.A\.9\.9: expected an Annex A 2022 control id/),
      expect.stringMatching(/^statementOfApplicability\.controls\.A\.7\.5: A\.7\.5 is excluded/),
    ]);
    expect(problems(`${base}statementOfApplicability:\n  controls:\n    A.8.5: { implementation: done }\n`)).toEqual([
      expect.stringMatching(
        /^statementOfApplicability\.controls\.A\.8\.5\.implementation: expected one of "implemented", "partially_implemented", "planned", "not_implemented", got the string "done"/,
      ),
    ]);
  });
});
