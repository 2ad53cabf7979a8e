/** The default backend: objects as files below a root folder (DATA_DIR/files), one node only. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat as fsStat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkKey, generateKey, measuring, StoredObjectNotFound, watchSource, type FileStore } from './store.js';

export function localDiskStore(root: string): FileStore {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    const path = resolve(base, ...checkKey(key).split('/'));
    if (!path.startsWith(base + sep)) throw new StoredObjectNotFound(key);
    return path;
  };

  return {
    async put(source, reservedKey) {
      const key = reservedKey === undefined ? generateKey() : checkKey(reservedKey);
      const watch = watchSource(source);
      const path = pathOf(key);
      // Written under a temporary name and renamed when complete: a crash never leaves a
      // half-written file under a real key.
      const partial = `${path}.partial`;
      try {
        // owner-only, whatever the process umask: stored files hold personal data
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        if (watch.error()) throw watch.error();
        const measure = measuring();
        await pipeline(source, measure.stream, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
        await rename(partial, path);
        return { key, ...measure.result() };
      } catch (err) {
        await rm(partial, { force: true });
        throw watch.error() ?? err;
      } finally {
        watch.stop();
      }
    },

    async get(key, range) {
      const path = pathOf(key);
      const info = await fsStat(path).catch(() => null);
      if (!info?.isFile()) throw new StoredObjectNotFound(key);
      return createReadStream(path, range ? { start: range.start, end: range.end } : {});
    },

    async stat(key) {
      let path: string;
      try {
        path = pathOf(key);
      } catch {
        return null;
      }
      const info = await fsStat(path).catch(() => null);
      return info?.isFile() ? { size: info.size } : null;
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
