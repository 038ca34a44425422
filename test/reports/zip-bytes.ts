/**
 * Writes zip archives byte by byte, so tests can build the hostile archives a zip library would
 * refuse to write: duplicate names, local headers that disagree with the central directory,
 * entries the central directory does not list, symlinks, overlapping entries.
 */
import { crc32, deflateRawSync } from "node:zlib";

export interface RawEntry {
  /** The name in the central directory. */
  name: string;
  /** The uncompressed content. */
  data: Buffer;
  /** Deflate it (method 8) instead of storing it (method 0). */
  deflate?: boolean;
  /** These bytes as the entry's deflated data (method 8), whatever `data` says. */
  compressed?: Buffer;
  /** The name in the local header, when it should differ from the central directory's. */
  localName?: string;
  /** Unix mode in the external attributes; default a regular file, 0o100644. */
  mode?: number;
  /** Uncompressed size written in both headers; default the data's length. */
  declaredSize?: number;
  /** false: a local record only, which the central directory does not list. */
  inCentral?: boolean;
  /** Index of an earlier entry whose local record this central entry points at (it gets none of its own). */
  sharesLocalOf?: number;
  /** Extra field bytes for the local header (id, size, data, as zip writes them). */
  localExtra?: Buffer;
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

export function rawZip(entries: readonly RawEntry[], options: { prefix?: Buffer } = {}): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  if (options.prefix) push(options.prefix);
  const central: Buffer[] = [];
  const offsets: number[] = [];
  const bodies: { method: number; crc: number; compressed: Buffer }[] = [];
  entries.forEach((entry, index) => {
    const method = entry.deflate || entry.compressed ? 8 : 0;
    const compressed = entry.compressed ?? (entry.deflate ? deflateRawSync(entry.data) : entry.data);
    const crc = crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    let localOffset: number;
    if (entry.sharesLocalOf !== undefined) {
      localOffset = offsets[entry.sharesLocalOf] ?? 0;
      const shared = bodies[entry.sharesLocalOf];
      if (!shared) throw new Error(`entry ${index} shares the local record of an entry that has none`);
      bodies.push(shared);
    } else {
      localOffset = offset;
      const name = Buffer.from(entry.localName ?? entry.name, "utf8");
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(0x0800, 6);
      header.writeUInt16LE(method, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(DOS_DATE_1980_01_01, 12);
      header.writeUInt32LE(crc, 14);
      header.writeUInt32LE(compressed.length, 18);
      header.writeUInt32LE(size, 22);
      header.writeUInt16LE(name.length, 26);
      header.writeUInt16LE(entry.localExtra?.length ?? 0, 28);
      push(header);
      push(name);
      if (entry.localExtra) push(entry.localExtra);
      push(compressed);
      bodies.push({ method, crc, compressed });
    }
    offsets.push(localOffset);
    if (entry.inCentral === false) return;
    const body = bodies[index] ?? { method, crc, compressed };
    const name = Buffer.from(entry.name, "utf8");
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 63, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(body.method, 10);
    record.writeUInt16LE(0, 12);
    record.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    record.writeUInt32LE(body.crc, 16);
    record.writeUInt32LE(body.compressed.length, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(localOffset, 42);
    central.push(record, name);
  });
  const cdOffset = offset;
  const cd = Buffer.concat(central);
  const count = entries.filter((e) => e.inCentral !== false).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([...parts, cd, end]);
}
