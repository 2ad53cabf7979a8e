import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { createDb, migrateLatest } from '../../api/platform/db.js';
import { DIALECTS, startTestApi } from './harness.js';

describe('migrations', () => {
  it('lists every migration file in migrations/index.ts, in order', () => {
    const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((f) => /^\d{14}_.+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations)).toEqual(files.sort());
  });

  // ~60 migrations of DDL on a busy MariaDB take longer than the default test timeout
  it.each(DIALECTS)('roll all the way down and up again (%s)', async (dialect) => {
    const api = await startTestApi(dialect, { accounts: 0 });
    await api.db('settings').delete();
    await api.db.migrate.rollback(undefined, true);
    const [, pending] = (await api.db.migrate.list()) as [unknown[], unknown[]];
    expect(pending).toHaveLength(Object.keys(migrations).length);
    await migrateLatest(api.db);
    const [done] = (await api.db.migrate.list()) as [unknown[], unknown[]];
    expect(done).toHaveLength(Object.keys(migrations).length);
    await api.close();
  }, 180_000);

  it('creates a SQLite database from nothing', async () => {
    const db = createDb('sqlite::memory:', '');
    await migrateLatest(db);
    expect(await db('accounts').count({ n: '*' })).toEqual([{ n: 0 }]);
    await db.destroy();
  });
});
