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

describe("Redactor: derived forms of secrets", () => {
  const slack = "https://hooks.slack.com/services/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456789ab";
  const teams =
    "https://prod-12.westeurope.logic.azure.com:443/workflows/0f1e2d3c4b5a69788796a5b4c3d2e1f0/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=TeamsSigCanary0123456789abcdefXYZ";
  const password = "Smtp/Echo+Canary=0123456789!";
  const redactor = new Redactor([slack, teams, password]);

  it("a secret URL's secret-looking path segments are redacted wherever they appear, plain words of the path are not", () => {
    const echoed = "no_service: /services/T0A1B2C3D4/B0E5F6G7H8/EchoCanarySlackToken0123456789ab (HTTP 404)";
    expect(redactor.text(echoed)).toBe(`no_service: ${REDACTED} (HTTP 404)`);
    expect(redactor.text("team T0A1B2C3D4, bot B0E5F6G7H8, token EchoCanarySlackToken0123456789ab")).toBe(
      `team ${REDACTED}, bot ${REDACTED}, token ${REDACTED}`,
    );
    expect(redactor.text("workflow 0f1e2d3c4b5a69788796a5b4c3d2e1f0 not found")).toBe(`workflow ${REDACTED} not found`);
    expect(redactor.text("bad sig TeamsSigCanary0123456789abcdefXYZ")).toBe(`bad sig ${REDACTED}`);
    // Words every URL has stay readable.
    expect(redactor.text("the services and workflows of triggers")).toBe("the services and workflows of triggers");
    expect(redactor.text("api-version 2016-06-01, a date like any other")).toBe("api-version 2016-06-01, a date like any other");
  });

  it("URL-encoded and base64 forms (plain and URL-safe) of a secret are redacted", () => {
    for (const form of [encodeURIComponent(password), Buffer.from(password).toString("base64"), Buffer.from(password).toString("base64url")]) {
      expect(redactor.text(`echo ${form} end`)).not.toContain(form);
      expect(redactor.text(`echo ${form} end`)).toContain(REDACTED);
    }
    expect(redactor.text(encodeURIComponent(`/services/T0A1B2C3D4/B0E5F6G7H8/EchoCanarySlackToken0123456789ab`))).not.toMatch(/EchoCanary|T0A1B2C3D4/);
  });

  it("the password inside an SMTP AUTH PLAIN string, base64('\\0user\\0password'), is redacted at whatever alignment it lands", () => {
    for (const user of ["isms-agent", "ab", "abc", "abcd"]) {
      const plain = Buffer.from(`\0${user}\0${password}`).toString("base64");
      const out = redactor.text(`535 Authentication failed for AUTH PLAIN ${plain}`);
      expect(out).toContain(REDACTED);
      // What is left of the base64 decodes to no more than two characters of the password on each side.
      const rest = out.split(" ").at(-1) ?? "";
      for (const piece of rest.split(REDACTED)) {
        const decoded = Buffer.from(piece, "base64").toString("latin1");
        for (let i = 0; i + 3 <= password.length; i++) expect(decoded).not.toContain(password.slice(i, i + 3));
      }
    }
  });
});
