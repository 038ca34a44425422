/**
 * Writing a file whole or not at all: the content goes to a temporary file of a unique name
 * beside it, is flushed, and is renamed over the target. Several writers into one folder at once
 * (four `report` commands, a daemon and a CLI) then never tear or mix a file: each rename puts
 * one whole version in place. The temporary file is created exclusively (`wx`), so a planted
 * file or symlink of that name is never written through, and the rename replaces a symlink at
 * the target instead of writing to the file it points at.
 */
import { randomUUID } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o666 less the umask); a private key wants 0o600. */
  mode?: number;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  // Hidden and unique per writer: never shared with a concurrent writer, never taken for a report.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, "wx", options.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
