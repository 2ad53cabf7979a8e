/**
 * File storage: one small interface for every stored byte (attachments, Collaboration Center files,
 * placement spreadsheets, seeded documents), so that features never touch the file system or a
 * bucket themselves. The contract is in storage/store.ts; the backends are
 * - local disk under DATA_DIR/files (the default: one node), storage/local-disk.ts;
 * - an S3-compatible bucket (`STORAGE_URL=s3://bucket/prefix`: any number of nodes), storage/s3.ts.
 * Features keep the key (plus the size, hash and the content type they decided) in their own rows.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, StorageConfig } from '../config.js';
import { localDiskStore } from './storage/local-disk.js';
import { parseS3Url, s3Store, type S3Settings } from './storage/s3.js';
import type { FileStore } from './storage/store.js';

export { StoredObjectNotFound, generateKey, type ByteRange, type FileStore, type StoredObject } from './storage/store.js';
export { localDiskStore } from './storage/local-disk.js';
export { s3Store, type S3Settings } from './storage/s3.js';

export type StorageTarget = { kind: 'local'; root: string } | { kind: 's3'; settings: S3Settings };

/** What STORAGE_URL (and the S3_* settings) name: empty = DATA_DIR/files, file:///path, s3://bucket/prefix. */
export function storageTarget(config: Pick<Config, 'dataDir' | 'storage'>): StorageTarget {
  const s: StorageConfig = config.storage ?? { url: '' };
  const url = s.url.trim();
  if (!url) return { kind: 'local', root: join(config.dataDir, 'files') };
  if (url.startsWith('file:')) return { kind: 'local', root: resolve(fileURLToPath(url)) };
  if (url.startsWith('s3:')) {
    return {
      kind: 's3',
      settings: {
        ...parseS3Url(url),
        endpoint: s.s3Endpoint || undefined,
        region: s.s3Region || 'us-east-1',
        accessKeyId: s.s3AccessKeyId || undefined,
        secretAccessKey: s.s3SecretAccessKey || undefined,
        // an explicit endpoint is most often MinIO / Ceph / s3rver, which want path-style requests
        forcePathStyle: s.s3ForcePathStyle ?? Boolean(s.s3Endpoint),
      },
    };
  }
  throw new Error(`STORAGE_URL ${JSON.stringify(url)}: use s3://bucket/prefix, file:///path, or leave it empty for DATA_DIR/files.`);
}

const stores = new Map<string, FileStore>();

/** The store for this deployment (one per target per process, so the S3 client's sockets are shared). */
export function fileStoreFor(config: Pick<Config, 'dataDir' | 'storage'>): FileStore {
  const target = storageTarget(config);
  const id = JSON.stringify(target);
  let store = stores.get(id);
  if (!store) {
    store = target.kind === 'local' ? localDiskStore(target.root) : s3Store(target.settings);
    stores.set(id, store);
  }
  return store;
}
