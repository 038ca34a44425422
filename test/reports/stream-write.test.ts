/**
 * Reports are streamed to their files: the writer takes chunks (a header, one per finding,
 * control or observation, a footer) and writes them in bounded pieces into a temporary file that
 * is renamed into place. What lands on disk is byte for byte what the string renderers return;
 * no write ever carries the whole document; a renderer that fails half way leaves the previous
 * file untouched and no temporary file behind.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomicStream } from "../../src/atomic-file.js";
import { REPORT_FORMATS, writeReportFiles, type ReportFormat } from "../../reports/write.js";
import { syntheticReport } from "./synthetic-report.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
afterAll(() => dir.cleanup());
const ALL = Object.keys(REPORT_FORMATS) as ReportFormat[];
// The formats that grow with the findings (report.md lists every finding too).
const GROWING: ReportFormat[] = ["json", "csv", "ocsf", "oscal", "html", "md"];

describe("writeFileAtomicStream", () => {
  it("writes strings and bytes in order, gathered into bounded writes, and renames into place", async () => {
    const path = join(dir.path, "plain.txt");
    const writes: number[] = [];
    const chunks = function* () {
      for (let i = 0; i < 10_000; i++) yield `line ${i} — ünïcödé 🔐\n`;
      yield Buffer.from("bytes at the end\n");
    };
    const expected = [...chunks()].map((c) => (typeof c === "string" ? c : c.toString("utf8"))).join("");
    const { bytes } = await writeFileAtomicStream(path, chunks(), { bufferBytes: 4096, onWrite: (b) => writes.push(b.length) });
    expect(readFileSync(path, "utf8")).toBe(expected);
    expect(bytes).toBe(Buffer.byteLength(expected));
    expect(writes.reduce((a, b) => a + b, 0)).toBe(bytes);
    expect(Math.max(...writes)).toBeLessThan(4096 + 64);
    expect(writes.length).toBeGreaterThan(10);
  });

  it("takes async chunks", async () => {
    const path = join(dir.path, "async.txt");
    async function* chunks() {
      for (let i = 0; i < 100; i++) {
        await Promise.resolve();
        yield `${i},`;
      }
    }
    await writeFileAtomicStream(path, chunks());
    expect(readFileSync(path, "utf8")).toBe(Array.from({ length: 100 }, (_, i) => `${i},`).join(""));
  });

  it("leaves the previous file and no temporary file when the chunks fail half way", async () => {
    const path = join(dir.path, "failing.txt");
    writeFileSync(path, "previous version\n");
    const chunks = function* () {
      for (let i = 0; i < 50_000; i++) yield "x".repeat(100);
      throw new Error("renderer broke at finding 50000");
    };
    await expect(writeFileAtomicStream(path, chunks(), { bufferBytes: 1024 })).rejects.toThrow("renderer broke at finding 50000");
    expect(readFileSync(path, "utf8")).toBe("previous version\n");
    expect(readdirSync(dir.path).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

// sha256 of each format of syntheticReport(300) as the string renderers wrote it before reports were
// streamed (commit 19569cf): streaming changed no byte. A deliberate change to a renderer updates these.
const BEFORE_STREAMING: Record<ReportFormat, string> = {
  // json and html: report schema 1.3 added the registers (issue 18).
  json: "6ea01bb4f5d107dbb86c8517dfb3a98c4b942dbf28db28503d539855cc6de0cb",
  md: "28e46d322f73daff83b31e1246dc8db68823eb965746e115b7135626cb73bc73",
  html: "21c38431a700b0d84151f810e56dd899641a98564627be6f63a553177a75e775",
  csv: "ee7158850604cc80bea02954d1d99fc5fc738e5d0db628c8fca42486a11e6354",
  soa: "41814e2dc25b3a1495e01a21d5b89a864d7f406d5fa65c8f47a998c0eec730a3",
  oscal: "245e5570bc0dd9e2403c05329590ae32f6502ff98d1a515360b62bd3776164fe",
  ocsf: "08e513d1d931da048056487e0a2823b62dd5881c6191707e1fec2d58ba03f054",
};

describe("writeReportFiles", () => {
  it("writes the same bytes as the string renderers did before streaming", async () => {
    const out = join(dir.path, "pinned");
    await writeReportFiles(syntheticReport(300), out, ALL);
    for (const format of ALL) {
      const file = REPORT_FORMATS[format].file;
      expect(
        createHash("sha256")
          .update(readFileSync(join(out, file)))
          .digest("hex"),
        file,
      ).toBe(BEFORE_STREAMING[format]);
    }
  });

  it("writes every format byte for byte as its string renderer returns it", async () => {
    const report = syntheticReport(500);
    const out = join(dir.path, "identity");
    const written = await writeReportFiles(report, out, ALL);
    expect(written.map((p) => p.slice(out.length + 1)).sort()).toEqual(
      Object.values(REPORT_FORMATS)
        .map((f) => f.file)
        .sort(),
    );
    for (const format of ALL) {
      const { file, render } = REPORT_FORMATS[format];
      expect(readFileSync(join(out, file), "utf8"), file).toBe(render(report));
    }
  });

  it("never writes a report of 20,000 findings in a piece near its size (no whole-document string)", async () => {
    const report = syntheticReport(20_000);
    const out = join(dir.path, "large");
    const largest = new Map<string, number>();
    const hashes = new Map<string, ReturnType<typeof createHash>>();
    await writeReportFiles(report, out, GROWING, {
      onWrite: (file, bytes) => {
        largest.set(file, Math.max(largest.get(file) ?? 0, bytes.length));
        const hash = hashes.get(file) ?? createHash("sha256");
        hashes.set(file, hash.update(bytes));
      },
    });
    for (const format of GROWING) {
      const path = join(out, REPORT_FORMATS[format].file);
      const size = statSync(path).size;
      expect(size, path).toBeGreaterThan(2 * 1024 * 1024);
      expect(largest.get(path), path).toBeLessThan(Math.min(1024 * 1024, size / 8));
      // What was observed is what is on disk.
      expect(hashes.get(path)?.digest("hex"), path).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  }, 60_000);
});
