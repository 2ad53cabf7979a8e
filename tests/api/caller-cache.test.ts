/**
 * The caller cache (api/platform/auth/caller-cache.ts): an authenticated request is answered without
 * reading the session and user again, yet every change to who a caller is — made by this process,
 * by another API process or straight in the database — takes effect: at once in the process that
 * made it, within the sync interval elsewhere. Here "another process" is a second app with its own
 * database handle on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.js';
import { createDb, type Db } from '../../api/platform/db.js';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';

const SYNC_INTERVAL_MS = 250;

async function waitFor(check: () => Promise<boolean>, ms = 3000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe.each(DIALECTS)('caller cache (%s)', (dialect) => {
  let api: TestApi;
  /** a second API process: its own app and database handle on the same database */
  let other: { url: string; db: Db; server: Server };

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    const db = createDb(api.config.databaseUrl, api.config.dataDir);
    const server = createApp({ config: api.config, db }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    other = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, db, server };
  });
  afterAll(async () => {
    await new Promise((resolve) => other.server.close(resolve));
    await other.db.destroy();
    await api.close();
  });

  /** GET /me on the second process; nothing marks its cache stale, so it behaves as in production. */
  const meOnOther = (token: string) => fetch(`${other.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

  /** How many times `other` read a session while `fn` ran. */
  async function sessionReadsOnOther(fn: () => Promise<unknown>): Promise<number> {
    let reads = 0;
    const onQuery = (q: { sql: string }) => {
      if (/from [`"]sessions[`"]/i.test(q.sql)) reads++;
    };
    other.db.on('query', onQuery);
    try {
      await fn();
    } finally {
      other.db.off('query', onQuery);
    }
    return reads;
  }

  it('serves a repeated caller from memory: no session query after the first request', async () => {
    const token = await api.login('demo.client');
    await new Promise((r) => setTimeout(r, SYNC_INTERVAL_MS * 1.5));
    expect(await sessionReadsOnOther(() => meOnOther(token))).toBe(1);
    expect(await sessionReadsOnOther(async () => {
      for (let i = 0; i < 5; i++) expect((await meOnOther(token)).status).toBe(200);
    })).toBe(0);
  });

  it('logout through one process is refused by that process on the very next request', async () => {
    const token = await api.login('demo.group');
    const send = (path: string, method = 'GET') => fetch(`${other.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    expect((await send('/me')).status).toBe(200);
    expect((await send('/me')).status).toBe(200); // now cached in `other`
    expect((await send('/auth/logout', 'POST')).status).toBe(204);
    expect((await send('/me')).status).toBe(401);
  });

  it('a user disabled through one process is refused by the other within the sync interval', async () => {
    const admin = await api.login('demo.agency');
    const users = await api.request('/users?q=demo.client', { token: admin });
    const target = (users.body.data as { id: string; username: string }[]).find((u) => u.username === 'demo.client')!;
    const token = await api.login('demo.client');
    expect((await meOnOther(token)).status).toBe(200);
    expect((await api.request(`/users/${target.id}/disable`, { method: 'POST', token: admin })).status).toBe(200);
    const took = await waitFor(async () => (await meOnOther(token)).status === 401);
    expect(took).toBeLessThan(SYNC_INTERVAL_MS * 4);
    expect((await api.request(`/users/${target.id}/enable`, { method: 'POST', token: admin })).status).toBe(200);
  });

  // Each source of a caller, changed straight in the database (as the CLI or a migration would):
  // the other process must hear of it from the trigger-written log. Without the trigger the cached
  // caller would be served for its whole 30 s life and the wait below would time out. GET /accounts
  // is decided by the caller alone (permission, client links, onboarding, session).
  const accountsOnOther = (token: string) => fetch(`${other.url}/api/v1/accounts`, { headers: { authorization: `Bearer ${token}` } });
  const changes: { what: string; change: (db: Db, ids: { userId: number; sessionId: number; roleKey: string }) => Promise<unknown>; heard: (res: Response) => Promise<boolean> }[] = [
    {
      what: 'the session is revoked',
      change: (db, { sessionId }) => db('sessions').where({ id: sessionId }).update({ revokedAt: new Date() }),
      heard: async (res) => res.status === 401,
    },
    {
      what: 'the user is disabled',
      change: (db, { userId }) => db('users').where({ id: userId }).update({ status: 'disabled' }),
      heard: async (res) => res.status === 401,
    },
    {
      what: 'the user must change the password again',
      change: (db, { userId }) => db('users').where({ id: userId }).update({ mustChangePassword: true }),
      heard: async (res) => res.status === 403 && ((await res.json()) as { code?: string }).code === 'onboarding_required',
    },
    {
      what: 'a client link is removed',
      change: (db, { userId }) => db('user_clients').where({ userId }).delete(),
      heard: async (res) => res.status === 200 && ((await res.json()) as { total: number }).total === 0,
    },
    {
      what: 'the role loses a permission',
      change: (db, { roleKey }) => db('roles').where({ key: roleKey }).update({ permissions: JSON.stringify([]) }),
      heard: async (res) => res.status === 403,
    },
  ];

  for (const [i, c] of changes.entries()) {
    it(`hears that ${c.what} (changed in the database directly)`, async () => {
      const admin = await api.login('demo.agency');
      // A role of its own, so that changing it touches no other test's users.
      const roleKey = `cache_probe_${i}`;
      const role = await api.request('/roles', { method: 'POST', token: admin, body: { key: roleKey, name: 'Cache probe', scope: 'client', permissions: ['accounts.read'] } });
      expect(role.status, role.text).toBe(201);
      const client = (await api.db('clients').orderBy('id').first('public_id')) as { publicId: string };
      const username = `cache.probe${i}`;
      const created = await api.request('/users', { method: 'POST', token: admin, body: { username, firstName: 'Cache', lastName: 'Probe', email: `cache${i}@example.test`, roleId: role.body.id, clientIds: [client.publicId] } });
      expect(created.status, created.text).toBe(201);
      const user = (await api.db('users').where({ username }).first('id')) as { id: number };
      await api.db('users').where({ id: user.id }).update({ mustChangePassword: false, profileConfirmedAt: new Date() });
      const token = await api.login(username, created.body.issuedPassword);
      const session = (await api.db('sessions').where({ userId: user.id }).orderBy('id', 'desc').first('id')) as { id: number };
      const before = await accountsOnOther(token);
      expect(before.status).toBe(200);
      expect(((await before.json()) as { total: number }).total).toBeGreaterThan(0);
      // Let the other process apply the log rows of the set-up above (the sign-in itself writes
      // one), read the caller afresh, and prove it then answers from memory.
      await new Promise((r) => setTimeout(r, SYNC_INTERVAL_MS * 1.5));
      expect((await accountsOnOther(token)).status).toBe(200);
      expect(await sessionReadsOnOther(async () => expect((await accountsOnOther(token)).status).toBe(200))).toBe(0);
      await c.change(api.db, { userId: user.id, sessionId: session.id, roleKey });
      await waitFor(async () => c.heard(await accountsOnOther(token)));
    });
  }

  // Log ids are taken at insert and seen at commit: a change that commits after a later id has been
  // read must not be skipped. SQLite has one writer at a time, so this can only happen on MySQL.
  it.runIf(dialect === 'mysql')('a change that commits late, behind a newer one, is still heard', async () => {
    const slow = await api.login('demo.client');
    const fast = await api.login('demo.group');
    await new Promise((r) => setTimeout(r, SYNC_INTERVAL_MS * 1.5));
    for (const t of [slow, fast, slow]) expect((await meOnOther(t)).status).toBe(200);
    const slowSession = (await api.db('sessions').join('users', 'users.id', 'sessions.user_id').where('users.username', 'demo.client').orderBy('sessions.id', 'desc').first('sessions.id')) as { id: number };
    const trx = await api.db.transaction();
    await trx('sessions').where({ id: slowSession.id }).update({ revokedAt: new Date() });
    // A newer change commits and is read by the other process while the first is still open.
    await api.db('users').where({ username: 'demo.agency' }).update({ lastLoginAt: new Date() });
    await new Promise((r) => setTimeout(r, SYNC_INTERVAL_MS * 1.5));
    expect((await meOnOther(slow)).status).toBe(200);
    await trx.commit();
    await waitFor(async () => (await meOnOther(slow)).status === 401);
  });
});
