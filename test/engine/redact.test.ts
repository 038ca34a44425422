import { describe, expect, it } from "vitest";
import { REDACTED, Redactor } from "../../src/engine/redact.js";

describe("Redactor", () => {
  const redactor = Redactor.fromEnvironment({ GITHUB_TOKEN: "ghp_supersecretvalue123", HOME: "/root" }, ["config-secret-value-1"]);

  it("replaces known secret values anywhere, and secret-named keys whatever their value", () => {
    expect(redactor.value({ a: "x ghp_supersecretvalue123 y", nested: [{ clientSecret: "abc", password_enabled: "true" }], n: 1 })).toEqual({
      a: `x ${REDACTED} y`,
      nested: [{ clientSecret: REDACTED, password_enabled: "true" }],
      n: 1,
    });
    expect(redactor.text("token is config-secret-value-1")).toBe(`token is ${REDACTED}`);
  });

  it("strips credentials from URLs: query tokens and user:password@", () => {
    expect(redactor.text("https://hooks.example/x?token=abc123&v=2")).toBe(`https://hooks.example/x?token=${REDACTED}&v=2`);
    expect(redactor.text("https://bob:hunter2@git.example/repo")).toBe(`https://${REDACTED}@git.example/repo`);
  });

  it("does not redact short values that would blank half a payload, nor non-secret environment variables", () => {
    const r = Redactor.fromEnvironment({ API_TOKEN: "abc", HOME: "/root" });
    expect(r.text("abc /root")).toBe("abc /root");
  });
});
