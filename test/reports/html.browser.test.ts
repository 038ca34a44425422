/**
 * The HTML report in real headless Chromium, driven by playwright-core: CHROMIUM_PATH or a system
 * chromium if present, else the Chromium shipped in the @sparticuz/chromium npm package (see
 * ../chromium.ts), so nothing outside `npm ci` is needed. The page must load with no console error
 * and no request leaving the file, and its key figures must equal report.json's.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportSchema, type Report } from "../../reports/schema.js";
import { findChromium } from "../chromium.js";
import { demoRun } from "../demo-run.js";

const SCREENSHOTS = resolve("test-results");

let browser: Browser;
let out: string;
let report: Report;

beforeAll(async () => {
  const chromiumLaunch = await findChromium();
  // The demo's outputs, built once for the test run by test/global-setup.ts; only read here.
  const demo = await demoRun();
  out = demo.out;
  expect(demo.code).toBe(0);
  report = reportSchema.parse(JSON.parse(readFileSync(join(out, "report.json"), "utf8")));
  browser = await chromium.launch({ executablePath: chromiumLaunch.executablePath, args: chromiumLaunch.args, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("report.html in headless Chromium", () => {
  it("loads with no console errors and no external requests; its figures equal report.json; a screenshot is saved", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("request", (request) => requests.push(request.url()));
    const file = pathToFileURL(join(out, "report.html")).href;
    await page.goto(file, { waitUntil: "load" });

    expect(problems).toEqual([]);
    expect(requests.filter((url) => url !== file && !url.startsWith("data:"))).toEqual([]);

    const figure = async (name: string) => (await page.locator(`[data-figure="${name}"]`).first().textContent())?.trim();
    expect(await figure("run-id")).toBe(String(report.run.id));
    expect(await figure("as-of")).toBe(report.asOf);
    for (const status of ["pass", "fail", "partial", "not_evaluated", "not_applicable"] as const) {
      expect(await figure(`controls-${status}`)).toBe(String(report.summary.controls[status]));
    }
    for (const status of ["pass", "fail", "excepted", "error", "not_applicable"] as const) {
      expect(await figure(`findings-${status}`)).toBe(String(report.summary.findings[status]));
    }
    for (const o of report.objectives) expect(await figure(`objective-${o.id}-value`)).toBe(o.value === null ? "no data" : `${o.value}%`);
    expect(await figure("scope-collectors")).toBe(String(report.scope.length));
    expect(await figure("drift-events")).toBe(String(report.drift.events.length));

    // The matrix shows all 93 controls with the status report.json gives each.
    const cells = await page
      .locator(".matrix [data-control]")
      .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-control"), n.getAttribute("data-status")]));
    expect(cells).toEqual(report.controls.map((c) => [c.id, c.status]));
    // Sparklines are inline SVG, one per objective.
    expect(await page.locator("[data-objective] svg.spark").count()).toBe(report.objectives.length);

    // Drill down: A.8.5 opens to its failing resources and the evidence behind them.
    const a85 = page.locator("#ctl-A-8-5");
    await a85.locator("summary").click();
    await expect.poll(() => a85.evaluate((d) => d.hasAttribute("open"))).toBe(true);
    const text = (await a85.textContent()) ?? "";
    const failing = report.findings.filter((x) => x.status === "fail" && x.controls.includes("A.8.5"));
    expect(failing.length).toBeGreaterThan(0);
    for (const x of failing) expect(text).toContain(x.reason);
    const sha = failing[0]?.evidenceSha256;
    if (sha) expect(text).toContain(sha);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await a85.locator("summary").click();
    await page.locator("h1").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "report.png"), fullPage: false });
    expect(existsSync(join(SCREENSHOTS, "report.png"))).toBe(true);
    // And on paper: the print stylesheet lays it out without error.
    await page.emulateMedia({ media: "print" });
    const pdfProblems = problems.length;
    await page.pdf({ path: join(SCREENSHOTS, "report.pdf"), format: "A4" });
    expect(problems.length).toBe(pdfProblems);
    await page.close();
  }, 60_000);

  it("shows the registers as report.json has them, and the management review pack loads with its seven 9.3.2 inputs", async () => {
    // A browser of its own: a single-process Chromium (the npm-shipped one) ends with its last page.
    const chromiumLaunch = await findChromium();
    const own = await chromium.launch({ executablePath: chromiumLaunch.executablePath, args: chromiumLaunch.args, headless: true });
    const page = await own.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(pathToFileURL(join(out, "report.html")).href, { waitUntil: "load" });
    const risks = await page.locator("[data-risk]").evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-risk"), n.getAttribute("data-risk-status")]));
    expect(risks).toEqual(report.registers?.risks.map((r) => [r.risk.id, r.status.status]));
    expect(risks.length).toBeGreaterThan(0);
    const ncs = await page.locator("[data-nc]").evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-nc"), n.getAttribute("data-nc-status")]));
    expect(ncs).toEqual(report.registers?.nonconformities.map((n) => [n.id, n.status]));

    const review = JSON.parse(readFileSync(join(out, "management-review.json"), "utf8")) as { inputs: Record<string, { filledFrom: string; summary: string }> };
    await page.goto(pathToFileURL(join(out, "management-review.html")).href, { waitUntil: "load" });
    const sections = await page
      .locator("section[data-input]")
      .evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-input"), n.getAttribute("data-filled-from")]));
    expect(sections).toEqual(Object.entries(review.inputs).map(([k, s]) => [k, s.filledFrom]));
    expect(await page.locator('section[data-input="b"]').textContent()).toContain(review.inputs["b"]?.summary ?? "?");
    expect(problems).toEqual([]);
    await own.close();
  }, 60_000);
});
