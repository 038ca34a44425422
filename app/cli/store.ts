/**
 * The one way a command opens the configured store, and where its files go. Only the commands
 * that record something (run, daemon, exception add, evidence add) open it to write, which creates
 * and migrates it; every other command reads an existing store and fails clearly when there is none.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { LoadedConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import type { Store } from "../../src/store/store.js";

export type StoreMode = "read" | "write";

export async function openStore(config: Config, configFile: string, mode: StoreMode = "read"): Promise<Store> {
  // Loaded here, not at the top: commands that never open the store never load sqlite3.
  const { openSqliteStore } = await import("../../src/store/sqlite.js");
  return openSqliteStore({ file: storePath(config, configFile), busyTimeoutMs: config.databaseBusyTimeoutSeconds * 1000, mode });
}

/** Opens the store, hands it to `use`, and closes it whatever `use` does. */
export async function withStore<T>(loaded: LoadedConfig, mode: StoreMode, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loaded.config, loaded.file, mode);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Where the configured store lives, and whether it exists yet (lists need not fail before the first run). */
export function storeFile(loaded: LoadedConfig): { path: string; exists: boolean } {
  const path = storePath(loaded.config, loaded.file);
  return { path, exists: existsSync(path) };
}

function storePath(config: Config, configFile: string): string {
  return resolve(dirname(configFile), config.database);
}

/** The config's output folder, resolved against the config file. */
export function outputDir(config: Config, configFile: string): string {
  return resolve(dirname(configFile), config.output);
}
