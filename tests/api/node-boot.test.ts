/**
 * Booting API nodes on a shared MariaDB as separate processes (issue 20, items 3 and 4): nodes started
 * together on an empty database all come up (one migrates, the others wait for it); a migration lock
 * left by a killed migrator is reported and released with `admin migrate-unlock`; `serve --no-migrate`
 * waits for the release step; a node missing a shared setting, or holding other keys or another
 * PUBLIC_URL than the database's first node, refuses to start and says why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMysqlDatabase, health, sharedEnv, startNode, type NodeProcess } from './node-processes.js';

const MYSQL = process.env.TEST_MYSQL_URL;
// Each node is a fresh process loading the whole application, and migrating MariaDB is ~20 s of DDL.
const SLOW = 240_000;

const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'api/main.ts', ...args], { env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'ck-cli-')), ...env }, encoding: 'utf8' });

describe.runIf(MYSQL)('API nodes booting on one MariaDB database (processes)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let admin: Knex;
  const nodes: NodeProcess[] = [];
  beforeAll(async () => {
    database = await emptyMysqlDatabase(MYSQL!);
    admin = knexFactory({ client: 'mysql2', connection: database.url });
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await admin?.destroy();
    await database?.drop();
  });

  it('two nodes started together on an empty database both come up (one migrates, the other waits)', async () => {
    const env = sharedEnv(database.url);
    const a = startNode(['serve'], env);
    const b = startNode(['serve'], env);
    nodes.push(a, b);
    await Promise.all([a.ready, b.ready]);
    expect(await health(a.url)).toBe(200);
    expect(await health(b.url)).toBe(200);
    const both = a.output() + b.output();
    expect(both).not.toContain('already locked');
    expect(both).toContain('Migrating the database');
    await Promise.all([a.stop(), b.stop()]);
  }, SLOW);

  it('reports a stale migration lock left by a killed migrator; admin migrate-unlock releases it', async () => {
    const env = sharedEnv(database.url);
    await admin('knex_migrations_lock').update({ is_locked: 1 });
    const blocked = startNode(['serve'], env);
    nodes.push(blocked);
    expect(await blocked.exited).toBe(1);
    expect(blocked.output()).toContain('no migrator holds it');
    expect(blocked.output()).toContain('admin migrate-unlock');
    expect(blocked.output()).not.toContain('knex migrate:unlock');
    const unlock = cli(['admin', 'migrate-unlock'], env);
    expect(unlock.status, unlock.stderr).toBe(0);
    expect(unlock.stdout).toContain('Released the migration lock');
    const node = startNode(['serve'], env);
    nodes.push(node);
    await node.ready;
    expect(await health(node.url)).toBe(200);
    await node.stop();
  }, SLOW);

  it('refuses to start without every shared setting, and writes no secrets of its own', async () => {
    const { LOOKUP_KEY: _lookup, PUBLIC_URL: _url, ...partial } = sharedEnv(database.url);
    const node = startNode(['serve'], { ...partial, LOOKUP_KEY: undefined, PUBLIC_URL: undefined });
    nodes.push(node);
    expect(await node.exited).toBe(1);
    expect(node.output()).toContain('Not started: DATABASE_URL is set');
    expect(node.output()).toContain('LOOKUP_KEY, PUBLIC_URL are not');
    expect(existsSync(join(node.dataDir, 'secrets.json'))).toBe(false);
  }, SLOW);

  it('refuses a node whose keys or PUBLIC_URL differ from the first node\'s (fingerprint in the database, not the keys)', async () => {
    const stored = (await admin('settings').where({ key: 'node_fingerprint' }).first('value_json')) as { value_json: string };
    const env = sharedEnv(database.url);
    expect(stored.value_json).not.toContain(env.DATA_KEY);
    expect(stored.value_json).not.toContain(env.JWT_SECRET);
    const otherKey = startNode(['serve'], { ...env, DATA_KEY: Buffer.alloc(32, 4).toString('base64') });
    const otherUrl = startNode(['serve'], { ...env, PUBLIC_URL: 'http://elsewhere.test' });
    nodes.push(otherKey, otherUrl);
    expect(await otherKey.exited).toBe(1);
    expect(otherKey.output()).toContain('Not started: DATA_KEY differs from the value the database was first started with');
    expect(await otherUrl.exited).toBe(1);
    expect(otherUrl.output()).toContain('PUBLIC_URL=http://portal.test, this one http://elsewhere.test');
  }, SLOW);
});

describe.runIf(MYSQL)('serve --no-migrate (migrations as a release step)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let node: NodeProcess | undefined;
  beforeAll(async () => {
    database = await emptyMysqlDatabase(MYSQL!);
  });
  afterAll(async () => {
    await node?.stop();
    await database?.drop();
  });

  it('waits for the release step\'s migrations instead of running them, then starts', async () => {
    const env = sharedEnv(database.url);
    node = startNode(['serve', '--no-migrate'], env);
    const until = Date.now() + 60_000;
    while (!node.output().includes('waiting for') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(node.output()).toMatch(/--no-migrate: waiting for \d+ pending migration/);
    const k = knexFactory({ client: 'mysql2', connection: database.url });
    expect(((await k.raw("SHOW TABLES LIKE 'accounts'")) as unknown[][])[0]).toHaveLength(0);
    await k.destroy();
    const migrate = cli(['migrate'], env);
    expect(migrate.status, migrate.stderr).toBe(0);
    await node.ready;
    expect(await health(node.url)).toBe(200);
  }, SLOW);
});

describe('a stale migration lock on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-lock-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is waited on (bounded), reported with the command that releases it, and released by it', async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', SCRYPT_COST: '1024' };
    expect(cli(['migrate'], env).status).toBe(0);
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dataDir, 'collectkit.sqlite') }, useNullAsDefault: true });
    await k('knex_migrations_lock').update({ is_locked: 1 });
    await k.destroy();
    const blocked = cli(['migrate'], { ...env, MIGRATE_WAIT_SECONDS: '1' });
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('The migration lock has been set for over 1 s');
    expect(blocked.stderr).toContain('admin migrate-unlock');
    const unlock = cli(['admin', 'migrate-unlock'], env);
    expect(unlock.stdout).toContain('Released the migration lock');
    expect(cli(['migrate'], env).status).toBe(0);
    expect(existsSync(join(dataDir, 'collectkit.sqlite'))).toBe(true);
  }, SLOW);
});
