/**
 * `isms-agent daemon`: the scheduled agent, until SIGTERM or Ctrl-C. Its own module, so only this
 * command loads the daemon (croner's jobs, the HTTP endpoint, prom-client).
 */
import type { LoadedConfig } from "../../src/config/load.js";
import { configuredSources } from "../../src/config/schema.js";
import { Redactor } from "../../src/engine/redact.js";
import { ConfigError, EXIT } from "../../src/errors.js";
import { createLogger } from "../../src/log.js";
import { Daemon } from "../daemon/daemon.js";
import { reportContext } from "../registry.js";
import { collectorSelectionIssues } from "../sources.js";
import type { Output } from "./output.js";
import { outputDir, withStore } from "./store.js";

export async function daemonCommand(loaded: LoadedConfig, io: Output, options: { signals?: boolean } = {}): Promise<number> {
  const { config, file } = loaded;
  if (!config.schedule && !configuredSources(config).some((s) => s.schedule)) {
    throw new ConfigError(file, [{ path: "schedule", message: 'the daemon needs a schedule, e.g. schedule: { cron: "0 2 * * *", timezone: Europe/Berlin }' }]);
  }
  const selection = await collectorSelectionIssues(config);
  if (selection.length > 0) throw new ConfigError(file, selection);
  const redactor = Redactor.fromEnvironment(process.env, loaded.secrets);
  const logger = createLogger();
  return withStore(loaded, "write", async (store) => {
    // Each run's reports go where `run` writes them (output resolved against the config file).
    const daemon = new Daemon({ config, store, redactor, logger, reports: { dir: outputDir(config, file), context: reportContext(config) } });
    await daemon.start();
    io.err(
      `isms-agent daemon: ${daemon.scopes.length} schedule${daemon.scopes.length === 1 ? "" : "s"}${daemon.url ? `, health and metrics on ${daemon.url}` : ""}. Stop with Ctrl-C or SIGTERM.`,
    );
    if (options.signals !== false) {
      await new Promise<void>((resolveStop) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
          void daemon.stop(`received ${signal}`).then(resolveStop);
        };
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
      });
    }
    return EXIT.ok;
  });
}
