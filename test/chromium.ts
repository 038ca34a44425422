/**
 * The Chromium that browser tests drive with playwright-core, first found of: CHROMIUM_PATH, a
 * system chromium (/usr/bin/chromium, Debian's package), or the Chromium shipped inside the
 * @sparticuz/chromium npm package — so `npm test` on a fresh machine needs nothing but `npm ci`.
 */
import { existsSync } from "node:fs";
import packagedChromium from "@sparticuz/chromium";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  /** Where it came from, for messages. */
  origin: "CHROMIUM_PATH" | "system" | "@sparticuz/chromium";
}

/** Flags for a full Chromium build run headless in a container (no sandbox, no GPU, nothing fetched in the background). */
const SYSTEM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch> {
  const configured = env["CHROMIUM_PATH"];
  if (configured !== undefined && configured !== "") {
    if (!existsSync(configured))
      throw new Error(`CHROMIUM_PATH is set to ${configured}, which does not exist; unset it to use a system chromium or the packaged one`);
    return { executablePath: configured, args: SYSTEM_ARGS, origin: "CHROMIUM_PATH" };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: SYSTEM_ARGS, origin: "system" };
  // Unpacks a headless-shell build into the temp folder on first use (about 1.5 s), then reuses it.
  // Its args are the ones that build needs in a container (--no-sandbox, --single-process...).
  const executablePath = await packagedChromium.executablePath();
  return { executablePath, args: [...packagedChromium.args, "--headless"], origin: "@sparticuz/chromium" };
}
