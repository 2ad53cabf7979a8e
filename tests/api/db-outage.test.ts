/**
 * A database outage as the API sees it (issue 20, item 9), on MariaDB behind a proxy the test cuts:
 * requests get a 503 problem with Retry-After (not a 500) and succeed again once it is back; an
 * idempotency key whose request died with the connection is released when the database returns, so
 * the client's honest retry is not a 409 for minutes; a live stream ends with a retry hint.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../api/config.js';
import { createDb, type Db } from '../../api/platform/db.js';
import { createApp } from '../../api/app.js';
import { seed } from '../../api/seed/seed.js';
import { createMigratedMysqlDatabase } from './mysql-template.js';
import { demoPassword } from './harness.js';
import { startCutProxy, type CutProxy } from './tcp-cut-proxy.js';

const MYSQL = process.env.TEST_MYSQL_URL;

describe.runIf(MYSQL)('database outage (MariaDB behind a cut proxy)', () => {
  const name = `ck_outage_${process.pid}_${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-outage-'));
  let proxy: CutProxy;
  let direct: Db;
  let db: Db;
  let server: Server;
  let base: string;
  let token: string;
  let account: { id: number; publicId: string };

  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };

  beforeAll(async () => {
    await createMigratedMysqlDatabase(MYSQL!, name);
    const target = new URL(MYSQL!);
    proxy = await startCutProxy(target.hostname, Number(target.port || 3306));
    const directUrl = Object.assign(new URL(MYSQL!), { pathname: `/${name}` });
    direct = createDb(directUrl.toString(), dataDir);
    const config = testConfig({ dataDir, databaseUrl: Object.assign(new URL(directUrl), { port: String(proxy.port) }).toString() });
    await seed(direct, config, { accounts: 30 });
    db = createDb(config.databaseUrl, dataDir);
    server = createApp({ config, db }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'demo.agency', password: demoPassword('demo.agency') }) });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    account = (await direct('accounts').where({ reviewStatus: 'accepted' }).orderBy('id').first('id', 'public_id')) as { id: number; publicId: string };
  });
  afterAll(async () => {
    proxy?.restore();
    await new Promise((resolve) => server?.close(resolve));
    await db?.destroy();
    await direct?.destroy();
    await proxy?.close();
    const k = knexFactory({ client: 'mysql2', connection: MYSQL! });
    await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await k.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the database is down, and 200 once it is back', async () => {
    expect((await call(`/accounts/${account.publicId}`)).status).toBe(200);
    proxy.cut();
    try {
      const down = await call(`/accounts/${account.publicId}`);
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toContain('application/problem+json');
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.body).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect((await fetch(`${base}/api/v1/health`)).status).toBe(503);
    } finally {
      proxy.restore();
    }
    expect((await call(`/accounts/${account.publicId}`)).status).toBe(200);
  });

  it('releases the idempotency key of a request the outage killed: the honest retry succeeds', async () => {
    const key = `outage-${randomBytes(4).toString('hex')}`;
    const body = JSON.stringify({ body: 'written during an outage' });
    // Hold the account row from outside, so that the request is mid-transaction when the database goes.
    const holder = await direct.transaction();
    await holder('accounts').where({ id: account.id }).forUpdate().first('id');
    const pending = call(`/accounts/${account.publicId}/notes`, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
    await new Promise((r) => setTimeout(r, 800));
    proxy.cut();
    const failed = await pending;
    expect(failed.status).toBe(503);
    await new Promise((r) => setTimeout(r, 300));
    proxy.restore();
    await holder.rollback();
    // The client retries after a moment, as Retry-After says; within seconds, not 5 minutes.
    let retry = await call(`/accounts/${account.publicId}/notes`, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
    const until = Date.now() + 8000;
    while (retry.status === 409 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      retry = await call(`/accounts/${account.publicId}/notes`, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
    }
    expect(retry.status, retry.text).toBe(201);
    const notes = await direct('activity').where({ accountId: account.id, body: 'written during an outage' }).count({ n: '*' });
    expect(Number((notes[0] as { n: number | string }).n)).toBe(1);
  });

  it('ends a live stream with a retry hint when the database goes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const first = await reader.read();
    text += new TextDecoder().decode(first.value);
    proxy.cut();
    try {
      const until = Date.now() + 8000;
      for (;;) {
        const next = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), Math.max(0, until - Date.now())))]);
        if (next.done) break;
        text += new TextDecoder().decode(next.value);
      }
    } finally {
      proxy.restore();
      controller.abort();
    }
    expect(text).toContain('retry: 5000');
    expect(text).toContain('"reason":"database_unavailable"');
  });
});
