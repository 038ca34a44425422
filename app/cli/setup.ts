/**
 * Commands about the config and the catalog: `init`, `validate`, `schema`, `controls`,
 * `objectives`. None of them collects; only `objectives` opens the store.
 */
import { writeFile } from "node:fs/promises";
import { access, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ANNEX_A } from "../../controls/annex-a.js";
import { evidenceSetOf } from "../../controls/evidence-sets.js";
import { controlCoverage } from "../../controls/mapping.js";
import { buildReport } from "../../reports/build.js";
import { reportJsonSchema } from "../../reports/schema.js";
import { writeFileAtomic } from "../../src/atomic-file.js";
import type { LoadedConfig } from "../../src/config/load.js";
import { starterConfig } from "../../src/config/starter.js";
import { SOURCE_TYPES } from "../../src/domain.js";
import { TREND_ARROWS } from "../../src/engine/objectives.js";
import { ConfigError, EXIT, UsageError } from "../../src/errors.js";
import { configJsonSchema, loadConfig } from "../config.js";
import { reportContext } from "../registry.js";
import { collectorSelectionIssues, SOURCES } from "../sources.js";
import type { Output } from "./output.js";
import { withStore } from "./store.js";

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export async function validateCommand(configFile: string, io: Output): Promise<number> {
  const { config, file } = await loadConfig(configFile);
  const selection = await collectorSelectionIssues(config);
  if (selection.length > 0) throw new ConfigError(file, selection);
  const sources = SOURCE_TYPES.filter((type) => config.sources[type].length > 0).map((type) =>
    plural(config.sources[type].length, `${SOURCES[type].label} source`),
  );
  io.out(
    `${file} is valid: organisation "${config.organization}", ${sources.length > 0 ? sources.join(", ") : "no sources"}, ${plural(config.objectives.length, "objective")}.`,
  );
  return EXIT.ok;
}

export async function initCommand(configFile: string, force: boolean, io: Output, now: Date = new Date()): Promise<number> {
  const file = resolve(configFile);
  if (!force) {
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    if (exists) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
  }
  await mkdir(dirname(file), { recursive: true });
  // Temp + rename: --force replaces a symlink, never the file it points at, and no reader sees half.
  await writeFileAtomic(file, starterConfig(now));
  io.out(`Wrote a starter config to ${file}. Edit it, then check it with \`isms-agent validate --config ${configFile}\`.`);
  return EXIT.ok;
}

export function controlsCommand(io: Output): number {
  const coverage = controlCoverage();
  let automated = 0;
  for (const { control, checks } of coverage) {
    if (checks.length > 0) automated++;
    const how =
      checks.length > 0 ? `${checks.length} check${checks.length === 1 ? "" : "s"}` : control.automation === "manual" ? "manual evidence" : "no check yet";
    io.out(`${control.id.padEnd(7)} ${control.title} [${control.theme}; ${control.automation}] — ${how}`);
    for (const check of checks) io.out(`          ${check.id}: ${check.rationale}`);
    for (const element of evidenceSetOf(control.id)?.elements ?? []) {
      io.out(
        `          evidence "${element.id}": ${element.description} — ${element.checks.length > 0 ? `from ${element.checks.join(", ")}` : `manual: \`evidence add --control ${control.id} --element ${element.id}\``}`,
      );
    }
  }
  io.out("");
  io.out(`${automated} of ${ANNEX_A.length} controls have at least one automated check; the others need manual evidence.`);
  return EXIT.ok;
}

export async function objectivesCommand(loaded: LoadedConfig, io: Output): Promise<number> {
  if (loaded.config.objectives.length === 0) {
    io.out("No objectives are configured.");
    return EXIT.ok;
  }
  return withStore(loaded, "read", async (store) => {
    const latest = await store.latestFinishedRun();
    const measured = latest ? (await buildReport(store, latest.id, reportContext(loaded.config))).objectives : [];
    for (const objective of loaded.config.objectives) {
      const m = measured.find((x) => x.id === objective.id);
      const head = `${objective.id}: ${objective.title} (owner ${objective.owner})`;
      if (!m) {
        io.out(`${head} — not measured yet; target ${objective.target}% by ${objective.deadline}.`);
        continue;
      }
      const value = m.value === null ? "no data" : `${m.value}%`;
      const projection =
        m.status === "met"
          ? "target reached"
          : m.projectedDate
            ? `reaches ${objective.target}% around ${m.projectedDate} at the current rate`
            : "does not reach the target at the current rate";
      io.out(
        `${head} — ${value} ${TREND_ARROWS[m.trend]} of ${objective.target}% by ${objective.deadline}: ${m.status.replace("_", " ")}; ${projection} (${m.history.length} measurement${m.history.length === 1 ? "" : "s"}).`,
      );
    }
    return EXIT.ok;
  });
}

/** Writes the JSON Schemas of the config and of report.json. */
export async function schemaCommand(configSchemaFile: string, reportSchemaFile: string, io: Output): Promise<number> {
  await writeFile(configSchemaFile, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  await writeFile(reportSchemaFile, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
  io.out(`Wrote ${configSchemaFile} and ${reportSchemaFile}`);
  return EXIT.ok;
}
