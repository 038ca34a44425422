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
import type { AuditPlanOptions, AuditResultOptions, AuditSampleOptions } from "./audit.js";
import type { NcAddOptions, NcUpdateOptions } from "./nc.js";
import type { ReviewOptions, ReviewRecordOptions } from "./review.js";
import type { RiskAddOptions } from "./risk.js";
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
  risk: () => import("./risk.js"),
  nc: () => import("./nc.js"),
  review: () => import("./review.js"),
  audit: () => import("./audit.js"),
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
    // Options apply where they stand, so `review record --from` is the record's, not the pack's.
    .enablePositionalOptions()
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

  addLoopCommands(program, configOption, setExit);

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

/** The registers that close the PDCA loop: risks, nonconformities, management review, internal audit. */
function addLoopCommands(program: Command, configOption: () => Option, setExit: (code: number) => void): void {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const risk = program.command("risk").description("the risk register (clauses 6.1.2, 6.1.3): each risk's live status from its treating controls");
  risk
    .command("add")
    .description("record a risk in the store's register (chained in the ledger, like exceptions)")
    .addOption(configOption())
    .requiredOption("--id <id>", "a stable id, e.g. R-3")
    .requiredOption("--title <text>", "the risk, in a few words")
    .requiredOption("--asset <text>", "the asset or scope at risk")
    .requiredOption("--threat <text>", "the threat")
    .requiredOption("--likelihood <n>", "1 to riskScale.likelihood (default 5)")
    .requiredOption("--impact <n>", "1 to riskScale.impact (default 5)")
    .requiredOption("--owner <name>", "the risk owner")
    .requiredOption("--treatment <kind>", "treat, accept, transfer or avoid")
    .option("--controls <ids>", "comma-separated Annex A controls that treat it, e.g. A.8.5,A.5.17")
    .option("--objectives <ids>", "comma-separated objective ids that measure the treatment")
    .option("--exceptions <ids>", "for accept: the exceptions the acceptance rests on")
    .option("--residual-target <n>", "the residual score (likelihood × impact) aimed for")
    .option("--review-date <date>", "when the risk is next reviewed (YYYY-MM-DD)")
    .action(async (opts: { config: string } & RiskAddOptions) =>
      setExit(await (await commands.risk()).riskAddCommand(await loadConfig(opts.config), opts, io)),
    );
  risk
    .command("list")
    .description("list the register with each risk's live status from the latest run")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.risk()).riskListCommand(await loadConfig(opts.config), io)));

  const nc = program.command("nc").description("nonconformities and corrective actions (clause 10.2), closed only when later runs prove the fix");
  nc.command("add")
    .description("record a nonconformity found by people (an audit, a complaint)")
    .addOption(configOption())
    .requiredOption("--title <text>", "what happened, a full sentence")
    .requiredOption("--severity <level>", "low, medium, high or critical")
    .option("--controls <ids>", "comma-separated Annex A controls concerned")
    .option("--checks <ids>", "comma-separated checks whose passing runs will verify the corrective action")
    .option("--owner <name>", "who owns the corrective action")
    .option("--due <date>", "due date (YYYY-MM-DD); default nonconformities.dueDays from today")
    .action(async (opts: { config: string } & NcAddOptions) => setExit(await (await commands.nc()).ncAddCommand(await loadConfig(opts.config), opts, io)));
  nc.command("list")
    .description("list nonconformities with their actions and verification")
    .addOption(configOption())
    .action(async (opts: { config: string }) => setExit(await (await commands.nc()).ncListCommand(await loadConfig(opts.config), io)));
  nc.command("update")
    .description("record the correction, root cause, corrective action, owner or due date of a nonconformity")
    .addOption(configOption())
    .requiredOption("--id <id>", "the nonconformity, e.g. NC-0001")
    .option("--owner <name>", "who owns the corrective action")
    .option("--due <date>", "due date (YYYY-MM-DD)")
    .option("--correction <text>", "what was done at once to contain it (10.2 a)")
    .option("--root-cause <text>", "why it happened (10.2 b)")
    .option("--action <text>", "the corrective action (10.2 c); runs after it verify it")
    .option("--close-by-hand <note>", "close one that no check, objective or control can judge, saying how its effectiveness was reviewed")
    .action(async (opts: { config: string } & NcUpdateOptions) =>
      setExit(await (await commands.nc()).ncUpdateCommand(await loadConfig(opts.config), opts, io)),
    );

  const review = program
    .command("review")
    .enablePositionalOptions()
    .description("write the management review pack (clause 9.3.2 a to g) for a period: management-review.json, .md and .html")
    .addOption(configOption())
    .option("--from <date>", "first day of the period (YYYY-MM-DD)")
    .option("--to <date>", "last day of the period (YYYY-MM-DD, inclusive)")
    .option("--out <dir>", "output folder (default: the config's output)")
    .option("--issues <text>", "input b): changes in external and internal issues")
    .option("--interested-parties <text>", "input c): changes in needs of interested parties")
    .option("--feedback <text>", "input e): feedback from interested parties")
    .action(async (opts: { config: string; from?: string; to?: string } & Omit<ReviewOptions, "from" | "to">) => {
      if (opts.from === undefined || opts.to === undefined)
        throw new (await import("../../src/errors.js")).UsageError("review needs --from and --to (YYYY-MM-DD)");
      setExit(await (await commands.review()).reviewCommand(await loadConfig(opts.config), { ...opts, from: opts.from, to: opts.to }, io));
    });
  review
    .command("record")
    .description("record the decisions and actions of a management review (9.3.3), chained in the ledger; the next pack shows them as input a)")
    .addOption(configOption())
    .requiredOption("--id <id>", "a stable id, e.g. MR-2026-12")
    .requiredOption("--held-on <date>", "the day of the review (YYYY-MM-DD)")
    .requiredOption("--from <date>", "first day of the period reviewed")
    .requiredOption("--to <date>", "last day of the period reviewed")
    .option("--attendee <name>", "who attended (repeat)", collect)
    .option("--decision <text>", "a decision (repeat)", collect)
    .option("--action <text>", '"what | owner | due date" (repeat)', collect)
    .option("--done <id>", "an action of an earlier review found done (repeat)", collect)
    .option("--issues <text>", "input b) as discussed")
    .option("--interested-parties <text>", "input c) as discussed")
    .option("--feedback <text>", "input e) as discussed")
    .action(async (opts: { config: string } & ReviewRecordOptions) =>
      setExit(await (await commands.review()).reviewRecordCommand(await loadConfig(opts.config), opts, io)),
    );

  const audit = program.command("audit").description("the internal audit programme (clause 9.2)");
  audit
    .command("sample")
    .description("draw a reproducible random sample of the resources a run judged for a control; the seed and the population's hash are recorded")
    .addOption(configOption())
    .requiredOption("--control <id>", "Annex A control id, e.g. A.8.5")
    .requiredOption("--size <n>", "how many resources to draw")
    .requiredOption("--seed <text>", "the seed, e.g. the audit's reference; the same seed over the same population redraws the same sample")
    .option("--run <id>", 'the run whose resources are the population, or "latest"', "latest")
    .option("--auditor <name>", "who audits the sample")
    .action(async (opts: { config: string } & AuditSampleOptions) =>
      setExit(await (await commands.audit()).auditSampleCommand(await loadConfig(opts.config), opts, io)),
    );
  audit
    .command("result")
    .description("record what the audit found for one sampled item; a nonconforming item opens a nonconformity judged by the control's checks")
    .addOption(configOption())
    .requiredOption("--sample <id>", "the sample, e.g. SAMPLE-0001")
    .requiredOption("--item <item>", "the item's number in the draw (1, 2, …) or its text")
    .requiredOption("--result <result>", "conforming or nonconforming")
    .requiredOption("--note <text>", "what the auditor saw")
    .option("--severity <level>", "of the nonconformity a nonconforming item opens", "medium")
    .action(async (opts: { config: string } & AuditResultOptions) =>
      setExit(await (await commands.audit()).auditResultCommand(await loadConfig(opts.config), opts, io)),
    );
  audit
    .command("plan")
    .description(
      "the audit programme over the certification cycle: every control at least once, failing, stale, manual-only and high-risk ones more often, auditors impartial",
    )
    .addOption(configOption())
    .option("--years <n>", "the certification cycle in years", "3")
    .option("--auditors <names>", "comma-separated internal auditors; none is given a control they own")
    .action(async (opts: { config: string } & AuditPlanOptions) =>
      setExit(await (await commands.audit()).auditPlanCommand(await loadConfig(opts.config), opts, io)),
    );
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
