/**
 * The spreadsheet readers (sheet-reader.ts, xlsx-reader.ts) need a seekable file: an XLSX is a zip
 * whose directory is at its end. The stored spreadsheet lives in the file store (any node's worker
 * must read what any node received), so a read works on a scratch copy streamed out of the store
 * into the OS temp folder (owner-only), removed as soon as the read ends. The copy is never the
 * stored file: the store keeps the one that counts.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '../platform/storage.js';

export async function withSheetCopy<T>(store: FileStore, key: string, read: (path: string) => Promise<T>): Promise<T> {
  const source = await store.get(key); // StoredObjectNotFound when it is gone
  const dir = await mkdtemp(join(tmpdir(), 'ck-sheet-'));
  try {
    const path = join(dir, 'sheet');
    await pipeline(source, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    return await read(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
