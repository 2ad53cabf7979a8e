/**
 * The parts of a zip (an XLSX workbook) read one at a time, with their decompressed size under our
 * control: the central directory says where each part is; a part is inflated as a stream and given up
 * as soon as it grows past the caller's limit, whatever size its header claims (a deflate stream
 * expands up to ~1,000 times). Stored and deflated parts only, as Excel writes; zip64 is understood.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { SHEET_LIMITS, SheetLimitError, fmt, mb, unreadable } from './sheet-limits.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;

const u64 = (b: Buffer, at: number) => {
  const n = Number(b.readBigUInt64LE(at));
  if (!Number.isSafeInteger(n)) throw unreadable('damaged zip');
  return n;
};

export class ZipFile {
  private constructor(private readonly path: string, private readonly size: number, private readonly entries: Map<string, ZipEntry>) {}

  static async open(path: string): Promise<ZipFile> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const read = async (at: number, length: number) => {
        if (at < 0 || length < 0 || at + length > size) throw unreadable('damaged zip');
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, at);
        if (bytesRead !== length) throw unreadable('damaged zip');
        return buf;
      };
      // The end record sits in the last 22 bytes + at most a 64 KiB comment.
      const tailLength = Math.min(size, 22 + 0xffff);
      const tail = await read(size - tailLength, tailLength);
      let e = -1;
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD) {
          e = i;
          break;
        }
      }
      if (e < 0) throw unreadable('not a zip');
      let count = tail.readUInt16LE(e + 10);
      let cdSize = tail.readUInt32LE(e + 12);
      let cdOffset = tail.readUInt32LE(e + 16);
      if (count === 0xffff || cdSize === U32 || cdOffset === U32) {
        const locatorAt = size - tailLength + e - 20;
        const locator = await read(locatorAt, 20);
        if (locator.readUInt32LE(0) !== EOCD64_LOCATOR) throw unreadable('damaged zip');
        const end64 = await read(u64(locator, 8), 56);
        if (end64.readUInt32LE(0) !== EOCD64) throw unreadable('damaged zip');
        count = u64(end64, 32);
        cdSize = u64(end64, 40);
        cdOffset = u64(end64, 48);
      }
      if (count > SHEET_LIMITS.maxZipEntries || cdSize > SHEET_LIMITS.maxCentralDirectoryBytes) {
        throw new SheetLimitError(422, 'sheet_too_many_parts', `The workbook has more than ${fmt(SHEET_LIMITS.maxZipEntries)} parts (or a directory over ${mb(SHEET_LIMITS.maxCentralDirectoryBytes)}); that is the limit.`, 'maxZipEntries');
      }
      const cd = await read(cdOffset, cdSize);
      const entries = new Map<string, ZipEntry>();
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw unreadable('damaged zip');
        const nameLength = cd.readUInt16LE(p + 28);
        const extraLength = cd.readUInt16LE(p + 30);
        const commentLength = cd.readUInt16LE(p + 32);
        if (p + 46 + nameLength + extraLength > cd.length) throw unreadable('damaged zip');
        const entry: ZipEntry = {
          name: cd.toString('utf8', p + 46, p + 46 + nameLength),
          flags: cd.readUInt16LE(p + 8),
          method: cd.readUInt16LE(p + 10),
          compressedSize: cd.readUInt32LE(p + 20),
          uncompressedSize: cd.readUInt32LE(p + 24),
          localHeaderOffset: cd.readUInt32LE(p + 42),
        };
        readZip64Extra(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
        // Part names are case-insensitive (OPC); a leading slash is not part of the zip name.
        entries.set(entry.name.replace(/^\//, '').toLowerCase(), entry);
        p += 46 + nameLength + extraLength + commentLength;
      }
      return new ZipFile(path, size, entries);
    } finally {
      await fh.close();
    }
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.get(name.replace(/^\//, '').toLowerCase());
  }

  /**
   * The decompressed bytes of a part, chunk by chunk (≤ 64 KiB each). More than `maxBytes` in all
   * (claimed or real) ends the read with `tooLarge()`.
   */
  async *read(entry: ZipEntry, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Buffer> {
    if (entry.flags & 1) throw unreadable('the workbook is encrypted');
    if (entry.method !== 0 && entry.method !== 8) throw unreadable(`unsupported compression ${entry.method}`);
    if (entry.uncompressedSize > maxBytes) throw tooLarge();
    const fh = await open(this.path, 'r');
    let dataStart: number;
    try {
      const local = Buffer.alloc(30);
      const { bytesRead } = await fh.read(local, 0, 30, entry.localHeaderOffset);
      if (bytesRead !== 30 || local.readUInt32LE(0) !== LOCAL) throw unreadable('damaged zip');
      dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    } finally {
      await fh.close();
    }
    if (dataStart + entry.compressedSize > this.size) throw unreadable('damaged zip');
    if (entry.compressedSize === 0) return;
    const raw = createReadStream(this.path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
    const source = entry.method === 8 ? raw.pipe(createInflateRaw({ chunkSize: 64 * 1024 })) : raw;
    if (source !== raw) raw.on('error', (err) => source.destroy(err));
    let total = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) throw tooLarge();
        yield chunk;
      }
    } catch (err) {
      if (err instanceof Error && 'errno' in err && (err as { code?: string }).code?.startsWith('Z_')) throw unreadable('damaged zip');
      throw err;
    } finally {
      raw.destroy();
      source.destroy();
    }
  }
}

/** zip64: the sizes and offset that did not fit in 32 bits follow in extra field 0x0001, in this order. */
function readZip64Extra(entry: ZipEntry, extra: Buffer): void {
  if (entry.uncompressedSize !== U32 && entry.compressedSize !== U32 && entry.localHeaderOffset !== U32) return;
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        if (r + 8 > q + 4 + length) throw unreadable('damaged zip');
        const n = u64(extra, r);
        r += 8;
        return n;
      };
      if (entry.uncompressedSize === U32) entry.uncompressedSize = next();
      if (entry.compressedSize === U32) entry.compressedSize = next();
      if (entry.localHeaderOffset === U32) entry.localHeaderOffset = next();
      return;
    }
    q += 4 + length;
  }
}
