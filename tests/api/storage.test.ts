/**
 * The file store contract: what every backend must do, run against each — local disk, and an
 * S3-compatible bucket on a real S3-protocol server (s3rver, a process of its own on loopback).
 * No database involved.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreFor, generateKey, localDiskStore, storageTarget, StoredObjectNotFound, type FileStore } from '../../api/platform/storage.js';
import { PART_SIZE } from '../../api/platform/storage/s3.js';
import { contentDisposition, requestedRange } from '../../api/platform/uploads/send-file.js';
import { startS3Peer, type S3Peer } from './s3-peer.js';

interface Backend {
  store: FileStore;
  /** every object and every unfinished write (a partial file, an open multipart upload) */
  everything: () => Promise<string[]>;
  close: () => Promise<void>;
}

const backends: Record<string, () => Promise<Backend>> = {
  'local disk': async () => {
    const root = mkdtempSync(join(tmpdir(), 'ck-store-'));
    const listAll = () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
    return { store: localDiskStore(root), everything: async () => listAll(), close: async () => rmSync(root, { recursive: true, force: true }) };
  },
  's3 (s3rver)': async () => {
    const peer: S3Peer = await startS3Peer();
    const prefix = `contract-${randomBytes(4).toString('hex')}`;
    const store = fileStoreFor({ dataDir: '', storage: peer.storage(prefix) });
    return {
      store,
      everything: async () => [...(await peer.keys(prefix)), ...peer.pendingUploads(prefix).map((k) => `${k} (upload in progress)`)],
      close: () => peer.close(),
    };
  },
};

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** `total` bytes of a repeating pattern in 1 MiB chunks, hashed as it goes */
function pattern(total: number, fail?: Error) {
  const hash = createHash('sha256');
  async function* gen() {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 0xff;
    for (let sent = 0; sent < total; sent += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
      hash.update(part);
      yield part;
    }
    if (fail) throw fail;
  }
  return { stream: Readable.from(gen()), sha: () => hash.digest('hex') };
}

describe.each(Object.keys(backends))('file store contract: %s', (name) => {
  let b: Backend;
  beforeAll(async () => {
    b = await backends[name]!();
  });
  afterAll(() => b.close());

  it('put streams to a generated key with size and SHA-256; get, stat, ranges, delete', async () => {
    const { store } = b;
    const obj = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(obj).toEqual({ key: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/[0-9a-f]{32}$/), size: 11, sha256: sha(Buffer.from('hello world')) });
    expect(await text(await store.get(obj.key))).toBe('hello world');
    expect(await text(await store.get(obj.key, { start: 6, end: 10 }))).toBe('world');
    expect(await text(await store.get(obj.key, { start: 4, end: 4 }))).toBe('o');
    expect(await store.stat(obj.key)).toEqual({ size: 11 });
    await store.delete(obj.key);
    await store.delete(obj.key); // idempotent
    expect(await store.stat(obj.key)).toBeNull();
    await expect(store.get(obj.key)).rejects.toBeInstanceOf(StoredObjectNotFound);
  });

  it('an empty source is stored as an empty object', async () => {
    const obj = await b.store.put(Readable.from([]));
    expect(obj.size).toBe(0);
    expect(obj.sha256).toBe(sha(Buffer.alloc(0)));
    expect(await b.store.stat(obj.key)).toEqual({ size: 0 });
    await b.store.delete(obj.key);
  });

  it('a file of several upload parts comes back byte for byte, whole and as a range across a part boundary', async () => {
    const size = 2 * PART_SIZE + 12345;
    const src = pattern(size);
    const obj = await b.store.put(src.stream);
    expect(obj.size).toBe(size);
    expect(obj.sha256).toBe(src.sha());
    const back = createHash('sha256');
    let n = 0;
    for await (const c of await b.store.get(obj.key)) {
      back.update(c as Buffer);
      n += (c as Buffer).length;
    }
    expect(n).toBe(size);
    expect(back.digest('hex')).toBe(obj.sha256);
    const start = PART_SIZE - 3;
    const slice = Buffer.concat(await (await b.store.get(obj.key, { start, end: start + 5 })).toArray());
    expect([...slice]).toEqual([0, 1, 2, 3, 4, 5].map((i) => (((start + i) % (1024 * 1024)) * 31) & 0xff));
    await b.store.delete(obj.key);
  });

  it('a source that fails part-way leaves nothing behind (no object, no partial write) and put rejects with its error', async () => {
    const before = await b.everything();
    const small = pattern(1000, new Error('client went away'));
    await expect(b.store.put(small.stream)).rejects.toThrow('client went away');
    // past the first part: on S3 a multipart upload had begun and must be aborted
    const large = pattern(PART_SIZE + 2 * 1024 * 1024, new Error('too large after all'));
    await expect(b.store.put(large.stream)).rejects.toThrow('too large after all');
    expect(await b.everything()).toEqual(before);
  });

  it('put stores under a key reserved beforehand with generateKey(), and refuses any other key before storing a byte', async () => {
    const reserved = generateKey();
    expect(await b.store.stat(reserved)).toBeNull();
    expect(await b.store.put(Readable.from([Buffer.from('reserved')]), reserved)).toEqual({ key: reserved, size: 8, sha256: sha(Buffer.from('reserved')) });
    expect(await text(await b.store.get(reserved))).toBe('reserved');
    await b.store.delete(reserved);
    for (const key of ['../../etc/passwd', '2026/11/24/ABC', '']) {
      await expect(b.store.put(Readable.from([Buffer.from('x')]), key)).rejects.toBeInstanceOf(StoredObjectNotFound);
    }
  });

  it('refuses keys it did not generate (no path traversal through a key)', async () => {
    for (const key of ['../../etc/passwd', '2026/11/24/../../../x', '/etc/passwd', '2026/11/24/ABC']) {
      await expect(b.store.get(key)).rejects.toBeInstanceOf(StoredObjectNotFound);
      expect(await b.store.stat(key)).toBeNull();
      await expect(b.store.delete(key)).rejects.toBeInstanceOf(StoredObjectNotFound);
    }
  });

  it('a key that was never stored: get is StoredObjectNotFound, stat is null', async () => {
    const key = '2026/01/01/0123456789abcdef0123456789abcdef';
    await expect(b.store.get(key)).rejects.toBeInstanceOf(StoredObjectNotFound);
    await expect(b.store.get(key, { start: 0, end: 10 })).rejects.toBeInstanceOf(StoredObjectNotFound);
    expect(await b.store.stat(key)).toBeNull();
  });
});

describe('STORAGE_URL', () => {
  it('empty is DATA_DIR/files; s3:// names a bucket and prefix; anything else is refused at start', () => {
    expect(storageTarget({ dataDir: '/srv/ck', storage: { url: '' } })).toEqual({ kind: 'local', root: '/srv/ck/files' });
    expect(storageTarget({ dataDir: '/srv/ck' })).toEqual({ kind: 'local', root: '/srv/ck/files' });
    expect(storageTarget({ dataDir: '/srv/ck', storage: { url: 'file:///mnt/shared/ck' } })).toEqual({ kind: 'local', root: '/mnt/shared/ck' });
    expect(storageTarget({ dataDir: '', storage: { url: 's3://ck-files/prod/portal/' } })).toEqual({
      kind: 's3', settings: { bucket: 'ck-files', prefix: 'prod/portal', region: 'us-east-1', forcePathStyle: false, endpoint: undefined, accessKeyId: undefined, secretAccessKey: undefined },
    });
    expect(storageTarget({ dataDir: '', storage: { url: 's3://ck-files', s3Endpoint: 'http://minio:9000', s3Region: 'eu-west-1' } })).toMatchObject({
      kind: 's3', settings: { bucket: 'ck-files', prefix: '', endpoint: 'http://minio:9000', region: 'eu-west-1', forcePathStyle: true },
    });
    expect(() => storageTarget({ dataDir: '', storage: { url: 's3://Bad_Bucket/x' } })).toThrow(/STORAGE_URL/);
    expect(() => storageTarget({ dataDir: '', storage: { url: 'gs://bucket' } })).toThrow(/STORAGE_URL/);
  });
});

describe('Range requests', () => {
  const etag = '"abc"';
  it('one bytes= range within the file; suffix and open ranges; past the end is unsatisfiable; anything else is the whole file', () => {
    expect(requestedRange(undefined, 100, undefined, etag)).toBeNull();
    expect(requestedRange('bytes=0-9', 100, undefined, etag)).toEqual({ start: 0, end: 9 });
    expect(requestedRange('bytes=90-', 100, undefined, etag)).toEqual({ start: 90, end: 99 });
    expect(requestedRange('bytes=90-500', 100, undefined, etag)).toEqual({ start: 90, end: 99 });
    expect(requestedRange('bytes=-10', 100, undefined, etag)).toEqual({ start: 90, end: 99 });
    expect(requestedRange('bytes=-500', 100, undefined, etag)).toEqual({ start: 0, end: 99 });
    expect(requestedRange('bytes=100-', 100, undefined, etag)).toBe('unsatisfiable');
    expect(requestedRange('bytes=-0', 100, undefined, etag)).toBe('unsatisfiable');
    expect(requestedRange('bytes=5-2', 100, undefined, etag)).toBeNull();
    expect(requestedRange('bytes=0-1,5-6', 100, undefined, etag)).toBeNull();
    expect(requestedRange('items=0-1', 100, undefined, etag)).toBeNull();
    expect(requestedRange('bytes=-', 100, undefined, etag)).toBeNull();
    // If-Range: the range only while the file is the version the client has
    expect(requestedRange('bytes=0-9', 100, '"abc"', etag)).toEqual({ start: 0, end: 9 });
    expect(requestedRange('bytes=0-9', 100, '"old"', etag)).toBeNull();
  });
});

describe('Content-Disposition', () => {
  it('keeps quotes, separators and controls out of the header and carries the real name in filename*', () => {
    expect(contentDisposition('attachment', 'a"b\\c/d\r\ne.pdf')).toBe(`attachment; filename="a_b_c_d__e.pdf"; filename*=UTF-8''a_b_c_d__e.pdf`);
    expect(contentDisposition('inline', 'Résumé 100%; final.pdf')).toBe(`inline; filename="Resume 100__ final.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20100%25%3B%20final.pdf`);
    expect(contentDisposition('attachment', '')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
