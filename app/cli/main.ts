/**
 * The `isms-agent` command line. Parses arguments, calls a command, and turns every error into
 * a message and an exit code here, in one place: 0 done, 1 the run failed, 2 bad usage or
 * config, 3 the --fail-on threshold was hit.
 */
import { Command, CommanderError, Option } from "commander";
import { DEFAULT_CONFIG_FILE } from "../../src/config/default-file.js";
import { EXIT, describeError, exitCodeFor } from "../../src/errors.js";
import { nodeSupportNotice } from "../../src/node-support.js";
import { toolVersion } from "../../src/version.js";
import { stdio as io } from "./output.js";
import type { EvidenceAddOptions, ExceptionAddOptions } from "./registers.js";
import type { PackCommandOptions } from "./reports.js";
import type { LoadedConfig } from "../../src/config/load.js";

// Each command's module (and the SDKs, the store, the reports it needs) is imported when that
// command runs, so `--version`, `--help` and a config check load none of what they do not use.
const commands = {
  config: () => import("../config.js"),
  run: () => import("./run.js"),
  reports: () => import("./reports.js"),
  registers: () => import("./registers.js"),
  daemon: () => import("./daemon.js"),
  setup: () => import("./setup.js"),
  demo: () => import("./demo.js"),
};

/** What a new user runs first says so on a Node.js older than the tested ones, before loading what may fail there. */
function noticeOldNode(): void {
  const notice = nodeSupportNotice(process.versions.node);
  if (notice) io.err(notice);
}

async function loadConfig(file: string): Promise<LoadedConfig> {
  return (await commands.config()).loadConfig(file);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("isms-agent")
    .description("Continuous ISO/IEC 27001:2022 evidence: collect, evaluate against Annex A, keep tamper-evident, report.")
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const configOption = () => new Option("-c, --config <file>", "the config file").default(DEFAULT_CONFIG_FILE);

  program
    .command("run")
    .description("collect evidence once, evaluate it, store it and write report.json, report.md, findings.csv and soa.csv")
    .addOption(configOption())
    .option("--fail-on <severity>", "exit 3 if a finding of this severity or above fails (low, medium, high, critical)")
    .option("--quiet", "print only the summary")
    .option("--source <names>", "collect only these sources (comma-separated names)")
    .action(async (opts: { config: string; failOn?: string; quiet?: boolean; source?: string }) => {
      const loaded = await loadConfig(opts.config);
      const { runCommand } = await commands.run();
      // Ctrl-C / SIGTERM: stop starting collectors, keep what was collected, mark the run interrupted.
      const controller = new AbortController();
      const stop = (signal: NodeJS.Signals) => controller.abort(new Error(`received ${signal}`));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        setExit(
          await runCommand(loaded, io, {
            ...(opts.failOn ? { failOn: opts.failOn } : {}),
            ...(opts.source
              ? {
                  sources: opts.source
                    .split(",")
                    .map((s) => s.trim())
                    .filter(Boolean),
                }
              : {}),
            progress: !opts.quiet,
            signal: controller.signal,
          }),
        );
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });

  program
    .command("daemon")
    .description("run on the configured schedule; serve /healthz and /metrics; stop gracefully on SIGTERM")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.daemon()).daemonCommand(await loadConfig(opts.config), io)));

  const exception = program.command("exception").description("the exceptions register (accepted risks)");
  exception
    .command("add")
    .description("record an accepted risk: a failing finding (or every finding of a check) shows as excepted until it expires")
    .addOption(configOption())
    .requiredOption("--id <id>", "a stable id, e.g. EXC-2026-004")
    .requiredOption("--check <check>", "the check id, e.g. aws.iam.console-user-mfa")
    .option("--resource <id>", "the resource id; * matches any characters; default every resource of the check")
    .option("--source <name>", "limit to one configured source")
    .option("--account <id>", "limit to one account / subscription / org")
    .requiredOption("--reason <text>", "why the risk is accepted")
    .requiredOption("--owner <name>", "who owns the risk")
    .requiredOption("--approved-by <name>", "who approved it")
    .requiredOption("--expires <date>", "last day it holds (YYYY-MM-DD)")
    .action(async (opts: { config: string } & ExceptionAddOptions) =>
      setExit(await (await commands.registers()).exceptionAddCommand(await loadConfig(opts.config), opts, io)),
    );
  exception
    .command("list")
    .description("list the register: config entries and those added with `exception add`")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.registers()).exceptionListCommand(await loadConfig(opts.config), io)));

  const evidence = program.command("evidence").description("manual evidence for controls no API can show");
  evidence
    .command("add")
    .description("store a file (hashed) as evidence for a control, e.g. training records for A.6.3")
    .addOption(configOption())
    .requiredOption("--control <id>", "Annex A control id, e.g. A.6.3")
    .requiredOption("--file <path>", "the evidence file")
    .requiredOption("--note <text>", "what it shows")
    .option("--valid-until <date>", "after this day (YYYY-MM-DD) the control is flagged stale")
    .option("--follow-symlinks", "if --file is a symbolic link, store the file it points to (refused otherwise)")
    .option("--element <id>", "the element of the control's evidence set this file fills (see `isms-agent controls`), e.g. restore-test for A.8.13")
    .action(async (opts: { config: string } & EvidenceAddOptions) =>
      setExit(await (await commands.registers()).evidenceAddCommand(await loadConfig(opts.config), opts, io)),
    );
  evidence
    .command("list")
    .description("list stored manual evidence")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.registers()).evidenceListCommand(await loadConfig(opts.config), io)));

  program
    .command("report")
    .description("render a stored run again")
    .addOption(configOption())
    .option("--run <id>", 'run id, or "latest"', "latest")
    .option(
      "--format <list>",
      "comma-separated formats: json, md, html, csv (findings), soa, oscal, ocsf (default: the config's reports.formats, all seven unless set)",
    )
    .option("--out <dir>", "output folder (default: the config's output)")
    .option("--as-of <date>", "render the state as it was then (YYYY-MM-DD or an ISO time): the latest run finished by that moment")
    .option("--from <date>", "with --to: summarise every run in the period (period.json, period.md, period.html)")
    .option("--to <date>", "last day of the period (inclusive)")
    .action(async (opts: { config: string; run: string; format: string; out?: string; asOf?: string; from?: string; to?: string }) => {
      setExit(await (await commands.reports()).reportCommand(await loadConfig(opts.config), opts, io));
    });

  program
    .command("verify")
    .argument("[pack]", "an evidence pack (.zip) to check instead of the store")
    .description(
      "without a pack: recompute every evidence hash and the run hash chain of the store; with one: check the archive's layout and every file against its manifest, and the manifest's signature. " +
        "A pack verifies (exit 0) only when signed by --public-key's key; without a key it exits 1, since a matching manifest proves nothing about who wrote the pack, unless --unsigned-ok accepts it unchecked",
    )
    .addOption(configOption())
    .option("--public-key <file>", "the Ed25519 public key the pack must be signed with (what proves who wrote it)")
    .option("--unsigned-ok", "accept a pack whose files match its manifest without checking who wrote it (unsigned, or no --public-key)")
    .option(
      "--expect-head <hash>",
      "a chain head recorded earlier (printed by run and verify, kept in a pack's manifest): fail unless the store's chain still holds it",
    )
    .action(async (pack: string | undefined, opts: { config: string; publicKey?: string; unsignedOk?: boolean; expectHead?: string }) => {
      const { verifyCommand, verifyPackCommand } = await commands.reports();
      if (pack) setExit(await verifyPackCommand(pack, opts.publicKey, io, { unsignedOk: opts.unsignedOk }));
      else setExit(await verifyCommand(await loadConfig(opts.config), io, { expectHead: opts.expectHead }));
    });

  program
    .command("migrate")
    .description(
      "upgrade the evidence store to this version's schema (as `run` does first), then verify it: for a store no run will open, such as an auditor's copy",
    )
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.reports()).migrateCommand(await loadConfig(opts.config), io)));

  program
    .command("pack")
    .description("write the auditor's evidence pack for a period: reports, SoA, raw evidence per control, manual evidence, manifest (optionally signed)")
    .addOption(configOption())
    .requiredOption("--from <date>", "first day (YYYY-MM-DD)")
    .requiredOption("--to <date>", "last day (YYYY-MM-DD, inclusive)")
    .option("--out <file>", "the archive", "evidence-pack.zip")
    .option("--sign-key <file>", "sign the manifest with this Ed25519 private key (see keygen)")
    .action(async (opts: { config: string } & PackCommandOptions) =>
      setExit(await (await commands.reports()).packCommand(await loadConfig(opts.config), opts, io)),
    );

  program
    .command("keygen")
    .description("make an Ed25519 key pair for signing evidence packs: <out>.pem (private) and <out>.pub")
    .option("--out <prefix>", "file name prefix", "isms-pack-key")
    .option("--force", "overwrite existing files")
    .action(async (opts: { out: string; force?: boolean }) => setExit(await (await commands.reports()).keygenCommand(opts.out, opts.force ?? false, io)));

  program
    .command("controls")
    .description("list the 93 Annex A controls with the automated checks that cover each")
    .action(async () => setExit((await commands.setup()).controlsCommand(io)));

  program
    .command("objectives")
    .description("show each objective's latest measurement and status")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.setup()).objectivesCommand(await loadConfig(opts.config), io)));

  program
    .command("init")
    .description("write a commented starter config")
    .addOption(configOption())
    .option("--force", "overwrite an existing file")
    .action(async (opts: { config: string; force?: boolean }) => {
      noticeOldNode();
      setExit(await (await commands.setup()).initCommand(opts.config, opts.force ?? false, io));
    });

  program
    .command("validate")
    .description("check a config file and list every problem")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.setup()).validateCommand(opts.config, io)));

  program
    .command("demo")
    .description("run the agent against the bundled simulated estate (loopback servers, no cloud account needed)")
    .option("--out <dir>", "where reports go", "./out")
    .option("--database <file>", "the demo's evidence store", "./data/demo-evidence.db")
    .action(async (opts: { out: string; database: string }) => {
      noticeOldNode();
      setExit(await (await commands.demo()).demoCommand(opts, io));
    });

  program
    .command("schema")
    .description("write the JSON Schemas of the config and of report.json")
    .option("--config-schema <file>", "config schema file", "config/isms-agent.schema.json")
    .option("--report-schema <file>", "report.json schema file", "config/report.schema.json")
    .action(async (opts: { configSchema: string; reportSchema: string }) =>
      setExit(await (await commands.setup()).schemaCommand(opts.configSchema, opts.reportSchema, io)),
    );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.err(describeError(error));
    return exitCodeFor(error);
  }
}
