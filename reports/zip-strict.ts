/**
 * A strict reader for the zip archives the evidence pack writes. A general zip library reads
 * what it is pointed at; a verifier has to see what `unzip` would extract and nothing else. So
 * this reader accepts only the shape our writer produces (regular files, no directories, no
 * comments, names that are plain relative paths) and checks that every byte of the file belongs
 * to exactly one entry the central directory lists: local records contiguous from offset 0, each
 * local header agreeing with its central record, the central directory and end records filling
 * the rest. Problems are sentences naming the entry; a layout it cannot read at all throws
 * ArchiveError.
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createInflateRaw, crc32, inflateRawSync } from "node:zlib";

export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

/** What an entry's name may be: a plain relative path of letters, digits, `.`, `_`, `-`. */
export const PLAIN_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

export interface CentralEntry {
  name: string;
  /** Position in the central directory, from 0. */
  index: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  /** Sizes came from the zip64 extra field (so a data descriptor carries 8-byte sizes). */
  zip64: boolean;
  nameBytes: Buffer;
}

export interface LocatedEntry extends CentralEntry {
  dataStart: number;
  /** First byte after the entry's local record (header, data, data descriptor). */
  end: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
// Bit 1-2: deflate level hints, 3: data descriptor, 11: UTF-8 names. Anything else (encryption,
// patched data, masked headers) is a feature this reader does not follow, so it refuses it.
const ALLOWED_FLAGS = 0x0002 | 0x0004 | 0x0008 | 0x0800;
const DATA_DESCRIPTOR_FLAG = 0x0008;
// zip64 sizes and Info-ZIP's extended timestamp; anything else (a Unicode path field would
// rename the file for unzip) is refused.
const ALLOWED_EXTRA = new Set([0x0001, 0x5455]);
const MAX_EXTRA_BYTES = 256;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const CHUNK = 64 * 1024;
const SMALL_ENTRY = 1024 * 1024;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new ArchiveError(`it ends at byte ${position + done}, in the middle of a record`);
    done += bytesRead;
  }
  return buffer;
}

function u64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveError("it declares a size or offset beyond 2^53 bytes");
  return Number(value);
}

/** Reads the central directory front to back in chunks, so its size never has to fit in memory. */
class Cursor {
  private pending: Buffer = Buffer.alloc(0);
  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.position + this.pending.length;
  }

  async take(length: number): Promise<Buffer> {
    if (length > this.remaining) throw new ArchiveError("its central directory ends in the middle of an entry");
    while (this.pending.length < length) {
      const size = Math.min(Math.max(CHUNK, length - this.pending.length), this.end - this.position);
      const chunk = await readAt(this.handle, this.position, size);
      this.position += size;
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    }
    const taken = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return taken;
  }
}

function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.toString("latin1"));
}

/** An extended timestamp: a flags byte (bits 0-2: modification, access, creation time) then 4 bytes per time; the central copy holds the modification time alone. */
function isExtendedTimestamp(data: Buffer): boolean {
  const flags = data[0];
  if (flags === undefined || (flags & ~0b111) !== 0) return false;
  const times = (flags & 1) + ((flags >> 1) & 1) + ((flags >> 2) & 1);
  return data.length === 1 + 4 * times || data.length === 1 + 4 * (flags & 1);
}

/** Splits an extra field block, refusing unknown or malformed fields. */
function extraFields(block: Buffer, what: string, problems: string[]): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  if (block.length > MAX_EXTRA_BYTES) {
    problems.push(`${what} carries ${block.length} bytes of zip extra fields; an evidence pack's entries carry at most ${MAX_EXTRA_BYTES}`);
    return fields;
  }
  let at = 0;
  while (at < block.length) {
    if (at + 4 > block.length) {
      problems.push(`${what} has a malformed zip extra field`);
      return fields;
    }
    const id = block.readUInt16LE(at);
    const size = block.readUInt16LE(at + 2);
    if (at + 4 + size > block.length) {
      problems.push(`${what} has a malformed zip extra field`);
      return fields;
    }
    if (!ALLOWED_EXTRA.has(id))
      problems.push(
        `${what} carries a zip extra field 0x${id.toString(16).padStart(4, "0")} that verify does not read (unzip might, e.g. as a different file name)`,
      );
    else if (fields.has(id)) problems.push(`${what} carries the zip extra field 0x${id.toString(16).padStart(4, "0")} twice`);
    else if (id === 0x5455 && !isExtendedTimestamp(block.subarray(at + 4, at + 4 + size))) {
      // Its shape is fixed: no room for bytes that nothing checks.
      problems.push(`${what} carries an extended-timestamp field (0x5455) of ${size} bytes that is not a timestamp field`);
    }
    fields.set(id, block.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  return fields;
}

export class StrictArchive {
  /** Problems found so far, as sentences naming the entry. */
  readonly problems: string[] = [];
  private cursor: Cursor;
  private read = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    readonly entryCount: number,
    readonly centralDirectoryOffset: number,
    centralDirectoryEnd: number,
  ) {
    this.cursor = new Cursor(handle, centralDirectoryOffset, centralDirectoryEnd);
  }

  /** Opens the file and reads its end records; throws ArchiveError when they are not where and what they must be. */
  static async open(file: string): Promise<StrictArchive> {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size < 22) throw new ArchiveError("it is too short to be a zip archive");
      const end = await readAt(handle, size - 22, 22);
      // The writer adds no archive comment, so the end record is the last 22 bytes: anything
      // appended after an archive (another archive, a payload) fails here.
      if (end.readUInt32LE(0) !== EOCD || end.readUInt16LE(20) !== 0)
        throw new ArchiveError("it does not end with a zip end-of-central-directory record (data appended after the archive, or an archive comment)");
      if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(6) !== 0 || end.readUInt16LE(8) !== end.readUInt16LE(10))
        throw new ArchiveError("it is a multi-disk zip archive");
      let count = end.readUInt16LE(10);
      let cdSize = end.readUInt32LE(12);
      let cdOffset = end.readUInt32LE(16);
      let cdEnd = size - 22;
      if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        if (size < 22 + 20 + 56) throw new ArchiveError("its zip64 end records are missing");
        const locator = await readAt(handle, size - 22 - 20, 20);
        if (locator.readUInt32LE(0) !== EOCD64_LOCATOR || locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) !== 1)
          throw new ArchiveError("its zip64 end-of-central-directory locator is missing or malformed");
        const recordOffset = u64(locator, 8);
        // No extensible data: the record sits right before the locator.
        if (recordOffset !== size - 22 - 20 - 56) throw new ArchiveError("its zip64 end-of-central-directory record is not right before its locator");
        const record = await readAt(handle, recordOffset, 56);
        if (
          record.readUInt32LE(0) !== EOCD64 ||
          u64(record, 4) !== 44 ||
          record.readUInt32LE(16) !== 0 ||
          record.readUInt32LE(20) !== 0 ||
          u64(record, 24) !== u64(record, 32)
        ) {
          throw new ArchiveError("its zip64 end-of-central-directory record is malformed");
        }
        count = u64(record, 32);
        cdSize = u64(record, 40);
        cdOffset = u64(record, 48);
        cdEnd = recordOffset;
      }
      if (cdOffset + cdSize !== cdEnd)
        throw new ArchiveError(`its central directory (${cdSize} bytes at offset ${cdOffset}) does not end where its end record begins (offset ${cdEnd})`);
      return new StrictArchive(handle, file, count, cdOffset, cdEnd);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** The next central directory record, or undefined after the last; entry problems go to `problems`. */
  async nextEntry(): Promise<CentralEntry | undefined> {
    if (this.read === this.entryCount) {
      if (this.cursor.remaining !== 0) throw new ArchiveError(`its central directory holds more than the ${this.entryCount} entries its end record declares`);
      return undefined;
    }
    const fixed = await this.cursor.take(46);
    if (fixed.readUInt32LE(0) !== CENTRAL) throw new ArchiveError(`entry ${this.read + 1} of its central directory is not a central directory record`);
    const nameBytes = await this.cursor.take(fixed.readUInt16LE(28));
    const extra = await this.cursor.take(fixed.readUInt16LE(30));
    const comment = await this.cursor.take(fixed.readUInt16LE(32));
    const index = this.read++;
    const ascii = nameBytes.every((b) => b >= 0x20 && b < 0x7f);
    const name = ascii ? nameBytes.toString("latin1") : printable(nameBytes);
    const what = `the entry ${name}`;
    const problems = this.problems;
    if (!ascii || (!name.endsWith("/") && !PLAIN_PATH.test(name)))
      problems.push(`the archive holds an entry named ${ascii ? JSON.stringify(name) : name}, which is not a plain relative path`);
    const flags = fixed.readUInt16LE(8);
    const method = fixed.readUInt16LE(10);
    if (flags & 0x0001) problems.push(`${what} is encrypted`);
    else if (flags & ~ALLOWED_FLAGS) problems.push(`${what} uses zip features verify does not read (flags 0x${flags.toString(16)})`);
    if (method !== 0 && method !== 8) problems.push(`${what} uses compression method ${method}; an evidence pack is stored or deflated only`);
    if (comment.length > 0) problems.push(`${what} carries a comment; an evidence pack's entries carry none`);
    if (fixed.readUInt16LE(34) !== 0) problems.push(`${what} says it starts on another disk`);
    const host = fixed.readUInt16LE(4) >> 8;
    const mode = fixed.readUInt32LE(38) >>> 16;
    if (name.endsWith("/") || (host === 3 && (mode & S_IFMT) === S_IFDIR))
      problems.push(`the archive holds a directory entry ${name}; an evidence pack holds regular files only`);
    else if (host !== 3) problems.push(`${what} has no Unix file type (it was written by zip host ${host}); an evidence pack's entries are regular Unix files`);
    else if ((mode & S_IFMT) === S_IFLNK) problems.push(`${what} is a symbolic link, not a regular file`);
    else if ((mode & S_IFMT) !== S_IFREG) problems.push(`${what} is not a regular file (Unix mode 0o${mode.toString(8)})`);

    let compressedSize = fixed.readUInt32LE(20);
    let size = fixed.readUInt32LE(24);
    let offset = fixed.readUInt32LE(42);
    let zip64 = false;
    const fields = extraFields(extra, what, problems);
    const z64 = fields.get(0x0001);
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      // The zip64 field holds, in this order, only the values whose 32-bit field is saturated.
      let at = 0;
      const next = () => {
        if (!z64 || at + 8 > z64.length) throw new ArchiveError(`${what} lacks the zip64 sizes its central record refers to`);
        const value = u64(z64, at);
        at += 8;
        return value;
      };
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (offset === 0xffffffff) offset = next();
      zip64 = true;
    }
    if (method === 0 && compressedSize !== size) problems.push(`${what} is stored uncompressed but declares ${size} bytes in ${compressedSize}`);
    return { name, index, flags, method, crc: fixed.readUInt32LE(16), compressedSize, size, offset, zip64, nameBytes };
  }

  /** Reads an entry's local header and data descriptor and checks them against its central record. */
  async locate(entry: CentralEntry): Promise<LocatedEntry> {
    const what = `the entry ${entry.name}`;
    if (entry.offset + 30 > this.centralDirectoryOffset) throw new ArchiveError(`${what} points past the last local record`);
    const header = await readAt(this.handle, entry.offset, 30);
    if (header.readUInt32LE(0) !== LOCAL) throw new ArchiveError(`${what} points at offset ${entry.offset}, where there is no local header`);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const rest = await readAt(this.handle, entry.offset + 30, nameLength + extraLength);
    const localName = rest.subarray(0, nameLength);
    if (!localName.equals(entry.nameBytes)) this.problems.push(`${what} is named ${printable(localName)} in its local header`);
    if (header.readUInt16LE(6) !== entry.flags || header.readUInt16LE(8) !== entry.method)
      this.problems.push(`${what} has a local header whose flags or compression method differ from its central record`);
    const fields = extraFields(rest.subarray(nameLength), `${what} (local header)`, this.problems);
    const dataStart = entry.offset + 30 + nameLength + extraLength;
    let end = dataStart + entry.compressedSize;
    const crc = header.readUInt32LE(14);
    let compressedSize = header.readUInt32LE(18);
    let size = header.readUInt32LE(22);
    const z64 = fields.get(0x0001);
    if (z64 && z64.length >= 16 && size === 0xffffffff && compressedSize === 0xffffffff) {
      size = u64(z64, 0);
      compressedSize = u64(z64, 8);
    }
    if (entry.flags & DATA_DESCRIPTOR_FLAG) {
      // Sizes follow the data; the local header holds zeros (or, from some writers, the same values).
      if ((crc !== 0 && crc !== entry.crc) || (compressedSize !== 0 && compressedSize !== entry.compressedSize) || (size !== 0 && size !== entry.size)) {
        this.problems.push(`${what} has a local header whose CRC or sizes differ from its central record`);
      }
      const length = entry.zip64 ? 24 : 16;
      if (end + length > this.centralDirectoryOffset) throw new ArchiveError(`${what} runs into the central directory`);
      const descriptor = await readAt(this.handle, end, length);
      const ok =
        descriptor.readUInt32LE(0) === DESCRIPTOR &&
        descriptor.readUInt32LE(4) === entry.crc &&
        (entry.zip64
          ? u64(descriptor, 8) === entry.compressedSize && u64(descriptor, 16) === entry.size
          : descriptor.readUInt32LE(8) === entry.compressedSize && descriptor.readUInt32LE(12) === entry.size);
      if (!ok) this.problems.push(`${what} has a data descriptor that differs from its central record`);
      end += length;
    } else if (crc !== entry.crc || compressedSize !== entry.compressedSize || size !== entry.size) {
      this.problems.push(`${what} has a local header whose CRC or sizes differ from its central record`);
    }
    return { ...entry, dataStart, end };
  }

  /**
   * Streams an entry's content to `onChunk`, inflating it; fails when it yields a byte more or
   * less than its declared size, or when its CRC-32 does not match.
   */
  async content(entry: LocatedEntry, onChunk: (chunk: Buffer) => void): Promise<void> {
    const handle = this.handle;
    async function* compressed(): AsyncGenerator<Buffer> {
      for (let at = 0; at < entry.compressedSize; at += CHUNK) yield await readAt(handle, entry.dataStart + at, Math.min(CHUNK, entry.compressedSize - at));
    }
    let size = 0;
    let crc = 0;
    const sink = async (chunks: AsyncIterable<Buffer> | Iterable<Buffer>) => {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > entry.size) throw new ArchiveError(`the entry ${entry.name} inflates to more than the ${entry.size} bytes it declares`);
        crc = crc32(chunk, crc);
        onChunk(chunk);
      }
    };
    if (entry.method === 0) await sink(compressed());
    else if (entry.size <= SMALL_ENTRY && entry.compressedSize <= SMALL_ENTRY + 1024) {
      // Most files of a pack are small: one read and one bounded inflate beat a stream each.
      const input = await readAt(handle, entry.dataStart, entry.compressedSize);
      let output: Buffer;
      try {
        output = inflateRawSync(input, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        if (error instanceof RangeError) throw new ArchiveError(`the entry ${entry.name} inflates to more than the ${entry.size} bytes it declares`);
        throw error;
      }
      await sink([output]);
    } else await pipeline(compressed(), createInflateRaw(), sink);
    if (size !== entry.size) throw new ArchiveError(`the entry ${entry.name} inflates to ${size} bytes, not the ${entry.size} it declares`);
    if (crc >>> 0 !== entry.crc) throw new ArchiveError(`the entry ${entry.name} does not match its CRC-32, so unzip would report it as corrupt`);
  }

  /** Its content as text, for entries already bounded in size (the manifest, the signature). */
  async text(entry: LocatedEntry): Promise<string> {
    const chunks: Buffer[] = [];
    await this.content(entry, (chunk) => chunks.push(chunk));
    return Buffer.concat(chunks).toString("utf8");
  }

  /**
   * Checks that the local records, in central directory order, tile the file from byte 0 to the
   * central directory with no gap and no overlap: nothing unzip could find that the central
   * directory does not list, and no byte shared by two entries.
   */
  async checkLayout(entries: readonly CentralEntry[], located: Map<number, LocatedEntry>): Promise<void> {
    let expected = 0;
    let previous: CentralEntry | undefined;
    for (const entry of entries) {
      if (entry.offset < expected) {
        this.problems.push(`the entry ${entry.name} overlaps the entry before it, ${previous?.name ?? "(none)"}`);
      } else if (entry.offset > expected) {
        this.problems.push(
          `the archive holds ${entry.offset - expected} bytes at offset ${expected} that no entry of its central directory accounts for (hidden data, or an unlisted entry)`,
        );
      }
      const at = located.get(entry.index) ?? (await this.locate(entry));
      located.set(entry.index, at);
      expected = Math.max(expected, at.end);
      previous = entry;
    }
    if (expected < this.centralDirectoryOffset) {
      this.problems.push(
        `the archive holds ${this.centralDirectoryOffset - expected} bytes at offset ${expected} that no entry of its central directory accounts for (hidden data, or an unlisted entry)`,
      );
    }
  }
}
