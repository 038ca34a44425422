/**
 * `isms-agent run`: one cycle (collect, judge, store, drift, alerts), then the reports and a
 * summary of the run.
 */
import type { LoadedConfig } from "../../src/config/load.js";
import { allSourceNames } from "../../src/config/schema.js";
import { SEVERITIES, SOURCE_TYPES, type DriftEvent, type Severity } from "../../src/domain.js";
import { Redactor } from "../../src/engine/redact.js";
import { ConfigError, EXIT, RunError, UsageError } from "../../src/errors.js";
import { findCheck } from "../../controls/registry.js";
import { writeReports } from "../../reports/write.js";
import { runCycle } from "../cycle.js";
import { reportContext } from "../registry.js";
import type { RunEvent } from "../runner.js";
import { collectorSelectionIssues, type PlanOptions } from "../sources.js";
import type { Output } from "./output.js";
import { Progress } from "./progress.js";
import { outputDir, withStore } from "./store.js";

export interface RunCommandOptions {
  failOn?: string;
  plan?: PlanOptions;
  now?: () => Date;
  /** Print progress lines (collectors as they finish). */
  progress?: boolean;
  /** Collect only these sources (names); default all. */
  sources?: string[];
  signal?: AbortSignal;
}

export async function runCommand(loaded: LoadedConfig, io: Output, options: RunCommandOptions = {}): Promise<number> {
  const { config, file } = loaded;
  const failOn = parseFailOn(options.failOn);
  if (allSourceNames(config).length === 0) {
    throw new ConfigError(file, [
      {
        path: "sources",
        message: `no sources are configured, so there is nothing to collect; add one under ${SOURCE_TYPES.map((type) => `sources.${type}`).join(", ")}`,
      },
    ]);
  }
  const unknown = (options.sources ?? []).filter((name) => !allSourceNames(config).includes(name));
  if (unknown.length > 0) throw new UsageError(`--source names no configured source: ${unknown.join(", ")} (configured: ${allSourceNames(config).join(", ")})`);
  const selection = await collectorSelectionIssues(config);
  if (selection.length > 0) throw new ConfigError(file, selection);
  const redactor = Redactor.fromEnvironment(process.env, loaded.secrets);
  return withStore(loaded, "write", async (store) => {
    const progress = options.progress ? new Progress(io, process.stderr.isTTY ? process.stderr : undefined) : undefined;
    const onEvent = (event: RunEvent) => progress?.onEvent(event);
    let cycle: Awaited<ReturnType<typeof runCycle>>;
    try {
      cycle = await runCycle({
        config,
        store,
        redactor,
        onEvent,
        ...(options.plan ? { plan: options.plan } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.sources ? { sources: options.sources } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      progress?.end();
    }
    if (!cycle.ran) {
      const held = cycle.heldBy;
      throw new RunError(
        `another agent is running source "${held.name.replace(/^source:/, "")}" on ${store.location} (lock holder ${held.owner}, since ${held.acquiredAt}); not starting a second run. Try again when it ends, or after ${held.expiresAt} if that agent crashed.`,
      );
    }
    const result = cycle.result;
    if ("error" in cycle.monitor) io.err(`Drift and alerts could not be worked out: ${cycle.monitor.error}`);
    else {
      const m = cycle.monitor;
      if (m.previousRunId !== null) io.out(`Drift since run ${m.previousRunId}: ${summariseDrift(m.drift)}.`);
      for (const d of m.deliveries) {
        if (d.status === "failed") io.err(`Alert delivery to ${d.channel} failed: ${d.error ?? ""}`);
        else io.out(`Sent ${d.alerts.length} alert${d.alerts.length === 1 ? "" : "s"} to ${d.channel}.`);
      }
    }
    // The run is stored and chained by now: a report that cannot be written is said, never a failed run.
    const written = await writeReports(store, result.run.id, outputDir(config, file), config.reports.formats, reportContext(config)).catch((error: unknown) => {
      io.err(
        `Run ${result.run.id} is stored, but its reports could not be written to ${outputDir(config, file)}: ${redactor.text(error instanceof Error ? error.message : String(error))}. Write them again with \`isms-agent report --run ${result.run.id}\`.`,
      );
      return [] as string[];
    });
    // The summary comes from what the run kept while storing its findings: nothing is read back.
    const counts = result.findings;
    io.out(
      `Run ${result.run.id} ${result.run.status}: ${counts.pass} pass, ${counts.fail} fail, ${counts.excepted} excepted, ${counts.error} error, ${counts.not_applicable} not applicable.`,
    );
    // Kept in the output (a CI log, a journal), the head later proves with `verify --expect-head` that no run up to it was removed.
    io.out(`Chain head after run ${result.run.id}: ${result.run.hash ?? "none"}`);
    // Drift and alert deliveries went into the ledger after the run was sealed: its head anchors them.
    io.out(`Ledger head: ${(await store.ledgerHead()) ?? "none"}`);
    for (const o of result.objectives) {
      io.out(
        `Objective ${o.objectiveId}: ${o.value === null ? "no data" : `${o.value}% (${o.numerator}/${o.denominator})`}, target ${o.target}% by ${o.deadline}: ${o.status.replace("_", " ")}.`,
      );
    }
    for (const outcome of result.outcomes.filter((o) => o.status === "error")) io.err(`Collector failed: ${outcome.error ?? outcome.collector}`);
    if (written.length > 0) io.out(`Reports: ${written.join(", ")}`);
    if (result.run.status === "failed") return EXIT.runFailed;
    if (failOn) {
      const threshold = SEVERITIES.indexOf(failOn);
      let hit = 0;
      for (const [checkId, byStatus] of result.findingsByCheck) {
        if (SEVERITIES.indexOf(findCheck(checkId)?.severity ?? "low") >= threshold) hit += byStatus.fail;
      }
      if (hit > 0) {
        io.err(`${hit} failing finding${hit === 1 ? "" : "s"} at severity ${failOn} or above (--fail-on ${failOn}).`);
        return EXIT.threshold;
      }
    }
    return EXIT.ok;
  });
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`--fail-on expects one of ${SEVERITIES.join(", ")}; got "${value}"`);
}

export function summariseDrift(events: readonly DriftEvent[]): string {
  if (events.length === 0) return "no changes";
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind.replace(/_/g, " ")}`).join(", ");
}
