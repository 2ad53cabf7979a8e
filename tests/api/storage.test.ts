/** The file store contract (local disk): what every implementation must do. No database involved. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { localDiskStore, StoredObjectNotFound } from '../../api/platform/storage.js';
import { contentDisposition } from '../../api/platform/uploads/send-file.js';

const root = mkdtempSync(join(tmpdir(), 'ck-store-'));
const store = localDiskStore(root);
const listAll = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local disk file store', () => {
  it('put streams to a generated key with size and SHA-256; get, stat, ranges, delete', async () => {
    const obj = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(obj).toEqual({ key: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/[0-9a-f]{32}$/), size: 11, sha256: createHash('sha256').update('hello world').digest('hex') });
    expect(await text(await store.get(obj.key))).toBe('hello world');
    expect(await text(await store.get(obj.key, { start: 6, end: 10 }))).toBe('world');
    expect(await store.stat(obj.key)).toEqual({ size: 11 });
    await store.delete(obj.key);
    await store.delete(obj.key); // idempotent
    expect(await store.stat(obj.key)).toBeNull();
    await expect(store.get(obj.key)).rejects.toBeInstanceOf(StoredObjectNotFound);
  });

  it('a source that fails part-way leaves nothing behind', async () => {
    const before = listAll(root);
    async function* failing() {
      yield Buffer.alloc(1000, 1);
      throw new Error('client went away');
    }
    await expect(store.put(Readable.from(failing()))).rejects.toThrow('client went away');
    expect(listAll(root)).toEqual(before);
  });

  it('refuses keys it did not generate (no path traversal through a key)', async () => {
    for (const key of ['../../etc/passwd', '2026/11/24/../../../x', '/etc/passwd', '2026/11/24/ABC']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(StoredObjectNotFound);
      expect(await store.stat(key)).toBeNull();
      await expect(store.delete(key)).rejects.toBeInstanceOf(StoredObjectNotFound);
    }
  });
});

describe('Content-Disposition', () => {
  it('keeps quotes, separators and controls out of the header and carries the real name in filename*', () => {
    expect(contentDisposition('attachment', 'a"b\\c/d\r\ne.pdf')).toBe(`attachment; filename="a_b_c_d__e.pdf"; filename*=UTF-8''a_b_c_d__e.pdf`);
    expect(contentDisposition('inline', 'Résumé 100%; final.pdf')).toBe(`inline; filename="Resume 100__ final.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20100%25%3B%20final.pdf`);
    expect(contentDisposition('attachment', '')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
