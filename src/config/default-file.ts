/** Where `--config` points by default; its own module so the CLI names it without loading the config machinery. */
export const DEFAULT_CONFIG_FILE = "./isms-agent.yaml";
