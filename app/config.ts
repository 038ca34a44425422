/**
 * The config schema assembled with what the registry knows (the Annex A catalog, the checks and
 * their settings), and loading bound to it. The core's schema is a factory; this is where it meets
 * the plugins.
 */
import { ANNEX_A } from "../controls/annex-a.js";
import { CHECKS } from "../controls/registry.js";
import { configLoader } from "../src/config/load.js";
import { configJsonSchema as toJsonSchema, configSchemaFor, exceptionSchemaFor, type ConfigVocabulary } from "../src/config/schema.js";

export const CONFIG_VOCABULARY: ConfigVocabulary = {
  controlIds: new Set(ANNEX_A.map((c) => c.id)),
  checkIds: new Set(CHECKS.map((c) => c.id)),
  checkSettings: Object.fromEntries(CHECKS.map((check) => [check.id, check.settings])),
};

export const configSchema = configSchemaFor(CONFIG_VOCABULARY);
export const exceptionSchema = exceptionSchemaFor(CONFIG_VOCABULARY);
const loader = configLoader(configSchema);
export const loadConfig: typeof loader.loadConfig = (...args) => loader.loadConfig(...args);
export const parseConfig: typeof loader.parseConfig = (...args) => loader.parseConfig(...args);
export { DEFAULT_CONFIG_FILE, type LoadedConfig } from "../src/config/load.js";

export function configJsonSchema(): unknown {
  return toJsonSchema(configSchema);
}
