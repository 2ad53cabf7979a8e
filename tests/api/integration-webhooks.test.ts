import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { testConfig } from '../../api/config.js';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { insertRawEvent } from './event-fixtures.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { verifySignature } from '../../api/integration/webhook-signature.js';
import { nonPublicAddress } from '../../api/integration/webhook-target.js';
import { postPinned } from '../../api/integration/webhook-post.js';
import { createApp } from '../../api/app.js';
import '../../api/jobs-registry.js';
import { atInstant } from './test-clock.js';

/** A real HTTP receiver on loopback: records every request, answers per path from a plan. */
async function startReceiver() {
  const requests: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const plan: Record<string, number[]> = {};
  const fallback: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body });
      const code = plan[path]?.shift() ?? fallback[path] ?? 200;
      res.writeHead(code, { 'Content-Type': 'text/plain' });
      res.end(code < 300 ? 'thanks' : 'receiver is down');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, plan, fallback, to: (path: string) => requests.filter((r) => r.path === path), close: () => new Promise((r) => server.close(r)) };
}

/** What docs/integration.md tells a receiver to do, written independently of the server code. */
function receiverAccepts(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const timestamp = String(headers['collectkit-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return headers['collectkit-signature'] === expected && Math.abs(nowSeconds - Number(timestamp)) <= 300;
}

const DAY = 24 * 3600_000;
/** The default test configuration (what a deployment gets without WEBHOOK_ALLOW_PRIVATE). */
const testConfigDefault = () => testConfig();

describe.each(DIALECTS)('signed webhooks (%s)', (dialect) => {
  let api: TestApi;
  let key: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let account: { id: number; clientId: number };
  const deps = () => ({ db: api.db, config: api.config });
  const tick = (at: Date) => atInstant(at, () => runWorkerOnce(deps()));
  const append = (type: string, n: number) =>
    api.db.transaction((trx) => insertRawEvent(trx, { type, clientId: account.clientId, accountId: account.id, visibility: 'client', payload: { n }, actor: { type: 'user', id: 'usr_x' } }));
  const register = (path: string, eventTypes: string[]) =>
    api.request('/integration/webhooks', { token: key, body: { url: `${receiver.base}${path}`, eventTypes, description: path } });
  const deliveries = (endpointId: string) => api.request(`/integration/webhooks/${endpointId}/deliveries`, { token: key });
  const jobRunAt = async (deliveryId: string) => {
    const job = await api.db('jobs').where({ dedupeKey: `whd:${deliveryId}` }).first('run_at', 'status');
    return { at: new Date(new Date(job.runAt).getTime()), status: job.status as string };
  };

  beforeAll(async () => {
    // The receivers here listen on loopback: allowed only because this test says so (on-premise setting).
    api = await startTestApi(dialect, { accounts: 5, config: { webhookAllowPrivate: true } });
    receiver = await startReceiver();
    const agency = await api.login('demo.agency');
    key = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Hooks', scopes: ['webhooks:manage', 'events:read'] } })).body.key;
    account = await api.db('accounts').orderBy('id').first('id', 'client_id');
  });
  afterAll(async () => {
    await receiver.close();
    await api.close();
  });

  it('delivers matching events, signed; receivers verify them and reject replays and tampering', async () => {
    await append('account.note_added', 0); // before the endpoint exists: the feed has it, the webhook does not
    const created = await register('/a', ['account.note_added', 'dispute.*']);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: ID('whk'), url: `${receiver.base}/a`, description: '/a', eventTypes: ['account.note_added', 'dispute.*'], status: 'active',
      disabledReason: null, disabledAt: null, createdAt: ISO_DATETIME, updatedAt: ISO_DATETIME, secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    const secret = created.body.secret as string;
    const stored = await api.db('webhook_endpoints').where({ publicId: created.body.id }).first();
    expect(stored.secretEncrypted).not.toContain(secret.slice(6));
    expect((await api.request(`/integration/webhooks/${created.body.id}`, { token: key })).body.secret).toBeUndefined();

    await append('account.note_added', 1);
    await append('account.payment_reported', 2);
    await append('dispute.opened', 3);
    await tick(new Date());
    const got = receiver.to('/a');
    expect(got.map((r) => JSON.parse(r.body).data.n)).toEqual([1, 3]);
    for (const r of got) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(receiverAccepts(secret, r.headers, r.body)).toBe(true);
      expect(JSON.parse(r.body).id).toBe(r.headers['collectkit-event-id']);
    }
    expect(JSON.parse(got[0]!.body)).toEqual({
      id: ID('evt'), seq: expect.stringMatching(/^\d+$/), type: 'account.note_added', occurredAt: ISO_DATETIME, clientId: ID('cli'),
      accountId: ID('acct'), visibility: 'client', actor: { type: 'user', id: 'usr_x' }, data: { n: 1 },
    });
    const { headers, body } = got[0]!;
    // a captured request replayed ten minutes later, or altered, is refused
    const later = Math.floor(Date.now() / 1000) + 600;
    expect(receiverAccepts(secret, headers, body, later)).toBe(false);
    expect(receiverAccepts(secret, headers, body.replace('"n":1', '"n":9'))).toBe(false);
    expect(receiverAccepts('whsec_other', headers, body)).toBe(false);
    const ts = String(headers['collectkit-timestamp']);
    const sig = String(headers['collectkit-signature']);
    expect(verifySignature({ secret, body, timestamp: ts, signature: sig })).toEqual({ ok: true });
    expect(verifySignature({ secret, body, timestamp: ts, signature: sig, now: new Date(later * 1000) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySignature({ secret, body: `${body} `, timestamp: ts, signature: sig })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySignature({ secret, body, timestamp: null, signature: sig })).toEqual({ ok: false, reason: 'missing_headers' });

    // a rotated secret signs the next delivery; the old one no longer verifies
    const rotated = await api.request(`/integration/webhooks/${created.body.id}/rotate-secret`, { token: key, method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    await append('account.note_added', 4);
    await tick(new Date());
    const next = receiver.to('/a').at(-1)!;
    expect(JSON.parse(next.body).data.n).toBe(4);
    expect(receiverAccepts(rotated.body.secret, next.headers, next.body)).toBe(true);
    expect(receiverAccepts(secret, next.headers, next.body)).toBe(false);

    const log = await deliveries(created.body.id);
    expect(log.body.data.map((d: { status: string; lastStatusCode: number; attempts: number }) => [d.status, d.lastStatusCode, d.attempts])).toEqual([['succeeded', 200, 1], ['succeeded', 200, 1], ['succeeded', 200, 1]]);
    // a second tick sends nothing again
    await tick(new Date());
    expect(receiver.to('/a')).toHaveLength(3);
  });

  it('retries a failing receiver with backoff until it recovers; the log keeps every response code', async () => {
    const ep = (await register('/b', ['account.hold_placed'])).body;
    receiver.plan['/b'] = [500, 503];
    await append('account.hold_placed', 10);
    const t0 = new Date();
    await tick(t0);
    expect(receiver.to('/b')).toHaveLength(1);
    const [pending] = (await deliveries(ep.id)).body.data;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, nextAttemptAt: new Date(t0.getTime() + 60_000).toISOString() });
    await tick(new Date(t0.getTime() + 30_000));
    expect(receiver.to('/b')).toHaveLength(1);
    const t1 = new Date(t0.getTime() + 60_000);
    await tick(t1);
    expect(receiver.to('/b')).toHaveLength(2);
    expect((await jobRunAt(pending.id)).at.getTime()).toBe(t1.getTime() + 4 * 60_000);
    await tick(new Date(t1.getTime() + 4 * 60_000));
    expect(receiver.to('/b')).toHaveLength(3);
    const detail = await api.request(`/integration/webhooks/${ep.id}/deliveries/${pending.id}`, { token: key });
    expect(detail.body).toMatchObject({ status: 'succeeded', attempts: 3, lastStatusCode: 200, deliveredAt: ISO_DATETIME, nextAttemptAt: null });
    expect(detail.body.log.map((a: { attempt: number; statusCode: number; manual: boolean }) => [a.attempt, a.statusCode, a.manual])).toEqual([[1, 500, false], [2, 503, false], [3, 200, false]]);
    // a failed reply is logged by its status only; a successful one keeps its first bytes
    expect(detail.body.log.map((a: { responseExcerpt: string | null }) => a.responseExcerpt)).toEqual([null, null, 'thanks']);
    // every try carries the same event, freshly signed
    const bodies = receiver.to('/b').map((r) => JSON.parse(r.body).id);
    expect(new Set(bodies).size).toBe(1);
    for (const r of receiver.to('/b')) expect(receiverAccepts(ep.secret, r.headers, r.body)).toBe(true);

    // manual redelivery: one more try now, logged as manual
    const again = await api.request(`/integration/webhooks/${ep.id}/deliveries/${pending.id}/redeliver`, { token: key, method: 'POST' });
    expect(again.status).toBe(202);
    await tick(new Date(t1.getTime() + 5 * 60_000));
    expect(receiver.to('/b')).toHaveLength(4);
    const after = await api.request(`/integration/webhooks/${ep.id}/deliveries/${pending.id}`, { token: key });
    expect(after.body.log.at(-1)).toMatchObject({ attempt: 4, statusCode: 200, manual: true });
    expect(after.body.status).toBe('succeeded');
  });

  it('logs network errors (nothing listening) as failed attempts to retry', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const ep = (await api.request('/integration/webhooks', { token: key, body: { url: `http://127.0.0.1:${port}/x`, eventTypes: ['account.address_changed'] } })).body;
    await append('account.address_changed', 20);
    await tick(new Date());
    const [d] = (await deliveries(ep.id)).body.data;
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: 'ECONNREFUSED' });
    expect((await api.request(`/integration/webhooks/${ep.id}`, { token: key, method: 'DELETE' })).status).toBe(204);
    expect(await api.db('webhook_deliveries').where({ publicId: d.id })).toEqual([]);
    await tick(new Date(Date.now() + DAY)); // its queued job finds nothing to do
  });

  it('keeps retrying for more than 3 days, then disables the endpoint and opens an agency inbox task', async () => {
    const ep = (await register('/dead', ['account.recalled'])).body;
    receiver.fallback['/dead'] = 503;
    await append('account.recalled', 30);
    const t0 = new Date();
    let t = t0;
    await tick(t);
    const [d] = (await deliveries(ep.id)).body.data;
    for (let attempt = 2; attempt <= 10; attempt++) {
      expect((await api.request(`/integration/webhooks/${ep.id}`, { token: key })).body.status).toBe('active');
      t = (await jobRunAt(d.id)).at;
      await tick(t);
      expect(receiver.to('/dead')).toHaveLength(attempt);
    }
    expect(t.getTime() - t0.getTime()).toBeGreaterThan(3 * DAY);
    const endpoint = (await api.request(`/integration/webhooks/${ep.id}`, { token: key })).body;
    expect(endpoint).toMatchObject({ status: 'disabled', disabledAt: ISO_DATETIME, disabledReason: expect.stringContaining('failed 10 times') });
    expect((await deliveries(ep.id)).body.data[0]).toMatchObject({ status: 'failed', attempts: 10, lastStatusCode: 503 });
    const task = await api.db('tasks').where({ kind: 'webhook_failing', sourceId: ep.id }).first();
    expect(task).toMatchObject({ status: 'open', clientId: null, sourceType: 'webhook_endpoint' });
    expect(task.title).toContain(`${receiver.base}/dead`);
    expect(await api.db('audit_log').where({ action: 'webhook_endpoint.disable', targetId: ep.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect((await jobRunAt(d.id)).status).toBe('done');

    // disabled: nothing is sent; re-enabled: what happened meanwhile is delivered
    await append('account.recalled', 31);
    await tick(new Date(t.getTime() + 60_000));
    expect(receiver.to('/dead')).toHaveLength(10);
    receiver.fallback['/dead'] = 204;
    const enabled = await api.request(`/integration/webhooks/${ep.id}`, { token: key, method: 'PATCH', body: { status: 'active' } });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null });
    await tick(new Date(t.getTime() + 120_000));
    expect(receiver.to('/dead').map((r) => JSON.parse(r.body).data.n).at(-1)).toBe(31);
  });

  it('checks scope, URLs and event types; another endpoint id is a 404', async () => {
    const agency = await api.login('demo.agency');
    const feedOnly = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'F', scopes: ['events:read'] } })).body.key;
    expect((await api.request('/integration/webhooks', { token: feedOnly })).status).toBe(403);
    expect((await api.request('/integration/webhooks', { token: agency })).status).toBe(401);
    const bad = async (body: unknown) => (await api.request('/integration/webhooks', { token: key, body })).status;
    expect(await bad({ url: 'http://example.com/hook', eventTypes: ['*'] })).toBe(400);
    expect(await bad({ url: 'ftp://127.0.0.1/hook', eventTypes: ['*'] })).toBe(400);
    expect(await bad({ url: 'https://user:pw@example.com/hook', eventTypes: ['*'] })).toBe(400);
    expect(await bad({ url: 'https://example.com/hook', eventTypes: ['Account Note'] })).toBe(400);
    expect(await bad({ url: 'https://example.com/hook', eventTypes: [] })).toBe(400);
    // not a URL at all: a 400 problem naming the field (was a 500: a refinement parsed it again)
    for (const url of ['not a url', '', 'http://', '//x', 'https://[::1']) {
      const res = await api.request('/integration/webhooks', { token: key, body: { url, eventTypes: ['*'] } });
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('url');
    }
    expect(await bad({ url: 'https://example.com/hook', eventTypes: ['*'] })).toBe(201);
    expect((await api.request('/integration/webhooks/whk_00000000000000000000000000', { token: key })).status).toBe(404);
    const someId = (await api.request('/integration/webhooks', { token: key })).body.data[0].id;
    const patched = await api.request(`/integration/webhooks/${someId}`, { token: key, method: 'PATCH', body: { url: 'not a url' } });
    expect(patched.status).toBe(400);
    expect(patched.body.code).toBe('validation_failed');
    const list = await api.request('/integration/webhooks', { token: key });
    expect(list.body.data.length).toBeGreaterThanOrEqual(4);
    expect(list.text).not.toContain('whsec_');
  });

  describe('private targets (SSRF) without WEBHOOK_ALLOW_PRIVATE', () => {
    let strict: Server;
    let strictUrl: string;
    const closedConfig = () => ({ ...api.config, webhookAllowPrivate: false });
    const post = async (path: string, body: unknown, method = 'POST') => {
      const res = await fetch(`${strictUrl}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { code: string; errors?: { path: string }[] } };
    };
    beforeAll(async () => {
      expect(testConfigDefault().webhookAllowPrivate).toBeFalsy();
      strict = createApp({ db: api.db, config: closedConfig() }).listen(0, '127.0.0.1');
      await new Promise((r) => strict.once('listening', r));
      strictUrl = `http://127.0.0.1:${(strict.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((r) => strict.close(r)));

    it('refuses loopback, private, link-local and unique-local targets at registration and on change', async () => {
      const refused = [
        'http://127.0.0.1:3306/', 'https://127.1.2.3/', 'https://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/', 'https://172.16.5.4/',
        'https://192.168.1.1/', 'https://100.64.0.1/', 'https://0.0.0.0/', 'http://[::1]:8080/', 'https://[::ffff:127.0.0.1]/',
        'https://[::ffff:a9fe:a9fe]/', 'https://[fd00::1]/', 'https://[fc12:3456::1]/', 'https://[fe80::1]/', 'https://[::]/',
        'https://[64:ff9b::a00:1]/', 'https://[2002:7f00:1::]/', 'http://localhost:3000/', 'https://localhost/',
      ];
      for (const url of refused) {
        const res = await post('/integration/webhooks', { url, eventTypes: ['*'] });
        expect(res.status, url).toBe(422);
        expect(res.type).toBe('application/problem+json');
        expect(res.body.code, url).toBe('webhook_target_forbidden');
        expect(res.body.errors?.[0]?.path).toBe('url');
      }
      // public addresses are fine
      const v4 = await post('/integration/webhooks', { url: 'https://93.184.215.14/hook', eventTypes: ['*'] });
      expect(v4.status).toBe(201);
      const ok = await post('/integration/webhooks', { url: 'https://[2606:4700::1111]/hook', eventTypes: ['*'] });
      expect(ok.status).toBe(201);
      const id = (ok.body as unknown as { id: string }).id;
      const changed = await post(`/integration/webhooks/${id}`, { url: 'https://[::ffff:10.1.2.3]/x' }, 'PATCH');
      expect(changed.status).toBe(422);
      expect(changed.body.code).toBe('webhook_target_forbidden');
      expect((await api.db('webhook_endpoints').where({ publicId: id }).first('url')).url).toBe('https://[2606:4700::1111]/hook');
      // this machine has no route to them: keep the next tests' worker runs from trying
      for (const publicId of [id, (v4.body as unknown as { id: string }).id]) expect((await api.request(`/integration/webhooks/${publicId}`, { token: key, method: 'DELETE' })).status).toBe(204);
    });

    it('checks again at delivery: nothing is sent to a target that resolves privately now, and no reply is logged', async () => {
      // registered while allowed (as if its name resolved publicly then); delivered while refused
      const ep = (await register('/rebound', ['account.contact_updated'])).body;
      await append('account.contact_updated', 40);
      await atInstant(new Date(), () => runWorkerOnce({ db: api.db, config: closedConfig() }));
      expect(receiver.to('/rebound')).toHaveLength(0);
      const [d] = (await deliveries(ep.id)).body.data;
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^target_forbidden: 127\.0\.0\.1 resolves to a loopback address/) });
      const detail = await api.request(`/integration/webhooks/${ep.id}/deliveries/${d.id}`, { token: key });
      expect(detail.body.log).toEqual([expect.objectContaining({ statusCode: null, responseExcerpt: null })]);
      // allowed again (on-premise): the retry goes out
      await tick((await jobRunAt(d.id)).at);
      expect(receiver.to('/rebound')).toHaveLength(1);
    });

    it('connects to the address it checked, whatever the name resolves to now (pinned)', async () => {
      const port = new URL(receiver.base).port;
      // `.invalid` never resolves: the request can only have gone to the pinned address
      const res = await postPinned(new URL(`http://rebind.invalid:${port}/pinned`), { address: '127.0.0.1', family: 4 }, '{}', { 'Content-Type': 'application/json' }, 5000);
      expect(res).toMatchObject({ statusCode: 200, error: null, excerpt: 'thanks' });
      expect(receiver.to('/pinned')[0]!.headers.host).toBe(`rebind.invalid:${port}`);
      receiver.fallback['/pinned-down'] = 500;
      const failed = await postPinned(new URL(`http://rebind.invalid:${port}/pinned-down`), { address: '127.0.0.1', family: 4 }, '{}', {}, 5000);
      expect(failed).toMatchObject({ statusCode: 500, error: null, excerpt: null });
    });

    it('classifies addresses (IPv4, IPv6, IPv4-mapped, NAT64, 6to4)', () => {
      for (const ip of ['127.0.0.1', '10.255.255.255', '172.31.0.1', '192.168.0.1', '169.254.169.254', '100.127.255.255', '0.0.0.0', '224.0.0.1', '255.255.255.255',
        '::1', '::', 'fd12::1', 'fc00::', 'fe80::1%eth0', 'febf::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:192.168.1.1', '::127.0.0.1',
        '64:ff9b::7f00:1', '2002:a00:1::1', '2001:db8::1']) {
        expect(nonPublicAddress(ip), ip).not.toBeNull();
      }
      for (const ip of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
        expect(nonPublicAddress(ip), ip).toBeNull();
      }
    });
  });
});
