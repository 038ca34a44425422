/**
 * Writing a file whole or not at all: the content goes to a temporary file of a unique name
 * beside it, is flushed, and is renamed over the target. Several writers into one folder at once
 * (four `report` commands, a daemon and a CLI) then never tear or mix a file: each rename puts
 * one whole version in place. The temporary file is created exclusively (`wx`), so a planted
 * file or symlink of that name is never written through, and the rename replaces a symlink at
 * the target instead of writing to the file it points at.
 */
import { randomUUID } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o666 less the umask); a private key wants 0o600. */
  mode?: number;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await replaceAtomically(path, options, (handle) => handle.writeFile(data));
}

export interface AtomicStreamOptions extends AtomicWriteOptions {
  /** Chunks are gathered up to about this many bytes before one write (default 256 KiB: each write is a round trip to the thread pool). */
  bufferBytes?: number;
  /** Sees each piece written, in order (a hash over what lands on disk; tests measure piece sizes). */
  onWrite?: (bytes: Uint8Array) => void;
}

/**
 * writeFileAtomic for content made piece by piece (a report of 100,000 findings is more text than
 * one string may hold): chunks are gathered into bounded writes, and the next chunk is only asked
 * for once the previous write is done, so a fast producer never queues up the file in memory.
 * If the chunks throw, the target keeps its previous content.
 */
export async function writeFileAtomicStream(
  path: string,
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: AtomicStreamOptions = {},
): Promise<{ bytes: number }> {
  const limit = options.bufferBytes ?? 256 * 1024;
  let bytes = 0;
  await replaceAtomically(path, options, async (handle) => {
    const writePiece = async (piece: Buffer) => {
      options.onWrite?.(piece);
      // A write may take fewer bytes than asked; the rest follows.
      for (let offset = 0; offset < piece.length;) offset += (await handle.write(piece, offset, piece.length - offset)).bytesWritten;
      bytes += piece.length;
    };
    let pending: (string | Uint8Array)[] = [];
    let pendingBytes = 0;
    /** Takes a chunk; true when enough is gathered for a write. */
    const add = (chunk: string | Uint8Array): boolean => {
      pending.push(chunk);
      pendingBytes += typeof chunk === "string" ? Buffer.byteLength(chunk, "utf8") : chunk.byteLength;
      return pendingBytes >= limit;
    };
    const flush = async () => {
      if (pending.length === 0) return;
      const piece = pending.every((c) => typeof c === "string")
        ? Buffer.from(pending.join(""), "utf8")
        : Buffer.concat(pending.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : c)));
      pending = [];
      pendingBytes = 0;
      await writePiece(piece);
    };
    // A plain loop for a generator of strings: awaiting each of a million small chunks costs more than the writes.
    if (Symbol.iterator in chunks) {
      for (const chunk of chunks) if (add(chunk)) await flush();
    } else {
      for await (const chunk of chunks) if (add(chunk)) await flush();
    }
    await flush();
  });
  return { bytes };
}

async function replaceAtomically(path: string, options: AtomicWriteOptions, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  // Hidden and unique per writer: never shared with a concurrent writer, never taken for a report.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, "wx", options.mode ?? 0o666);
    try {
      await write(handle);
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
