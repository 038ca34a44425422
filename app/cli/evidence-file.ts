/**
 * Reading a manual evidence file (`evidence add --file`). Only a regular file, and a bounded
 * one: a FIFO would block the command forever, /dev/zero would fill memory, and a symlink may
 * point somewhere the user did not mean to put into an evidence pack.
 */
import { constants, type Stats } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../../src/errors.js";

export interface EvidenceFileOptions {
  /** The size limit, from config `manualEvidenceMaxMiB`. */
  maxMiB: number;
  /** Store the file a symlink points to instead of refusing it. */
  followSymlinks: boolean;
}

const MIB = 1024 * 1024;

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a file";
}

function because(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export async function readEvidenceFile(path: string, options: EvidenceFileOptions): Promise<Buffer> {
  const file = resolve(path);
  const maxBytes = Math.floor(options.maxMiB * MIB);
  const symlinkRefused = new UsageError(`--file ${file} is a symbolic link; pass --follow-symlinks to store the file it points to`);
  const tooBig = (size: string) =>
    new UsageError(
      `--file ${file} is ${size} bytes, over the limit of ${options.maxMiB} MiB (${maxBytes} bytes) for manual evidence; raise manualEvidenceMaxMiB in the config to store it`,
    );

  const link = await lstat(file).catch((cause: unknown) => {
    throw new UsageError(`cannot read ${file}: ${because(cause)}`);
  });
  if (link.isSymbolicLink() && !options.followSymlinks) throw symlinkRefused;
  // O_NONBLOCK: opening a FIFO does not wait for a writer. O_NOFOLLOW: a path swapped for a
  // symlink after the check above is refused too. The checks below are on what was opened.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0));
  const handle = await open(file, flags).catch((cause: unknown) => {
    if ((cause as NodeJS.ErrnoException).code === "ELOOP") throw symlinkRefused;
    throw new UsageError(`cannot read ${file}: ${because(cause)}`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UsageError(`--file ${file} is not a regular file (it is ${kindOf(stats)}); give the path of the evidence file itself`);
    if (stats.size > maxBytes) throw tooBig(String(stats.size));
    // Never more than one byte past the limit, even from a file that grows while read or one
    // that reports size 0 and has content (as /proc files do).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MIB, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooBig(`at least ${total}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
