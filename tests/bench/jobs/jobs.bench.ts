/**
 * The job runner behind a slow webhook receiver (issue 20, item 8), on MariaDB, in one process with
 * the real background worker: a stream of events (one every BENCH_EVENT_GAP_MS, 50 ms), each
 * delivered to a receiver that answers after 150 ms, and every tenth event a due instalment charged
 * by the `pay.charge` job beside them. Prints the webhook latency (commit → receiver) and the payment
 * latency (job enqueued → payment succeeded). The issue measured webhook p50 7.9 s with one job at a
 * time per node. Run it on two commits to compare; with flock, never beside another benchmark:
 *   flock /work/bench.lock npm run bench -- jobs     (BENCH_MYSQL_URL, BENCH_EVENTS)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { testConfig } from '../../../api/config.js';
import { createDb } from '../../../api/platform/db.js';
import { createApp } from '../../../api/app.js';
import { seed, DEMO_USERS } from '../../../api/seed/seed.js';
import { appendEvent } from '../../../api/platform/events.js';
import { enqueueJob, startWorker } from '../../../api/platform/jobs.js';
import { newId } from '../../../api/platform/ids.js';
import { gatewayFor } from '../../../api/pay/gateway/sandbox-gateway.js';
import '../../../api/jobs-registry.js';
import { createMigratedMysqlDatabase } from '../../api/mysql-template.js';
import { fmt, percentile } from '../lib.js';

const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100);
const GAP_MS = Number(process.env.BENCH_EVENT_GAP_MS ?? 50);
const RECEIVER_MS = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const name = `ck_bench_jobs_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-jobs-'));
  await createMigratedMysqlDatabase(SERVER, name);
  const config = testConfig({ dataDir, databaseUrl: Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString(), webhookAllowPrivate: true });
  const db = createDb(config.databaseUrl, dataDir);
  const arrived = new Map<number, number>();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => setTimeout(() => {
      const n = (JSON.parse(body) as { data: { n?: number } }).data.n;
      if (typeof n === 'number' && !arrived.has(n)) arrived.set(n, performance.now());
      res.end('ok');
    }, RECEIVER_MS));
  }).listen(0, '127.0.0.1');
  const server = createApp({ config, db }).listen(0, '127.0.0.1');
  let worker: { stop(): Promise<void> } | null = null;
  try {
    await seed(db, config, { accounts: 40 });
    for (const s of [receiver, server]) if (!s.listening) await new Promise((r) => s.once('listening', r));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const post = async (path: string, token: string | null, body: unknown) => {
      const res = await fetch(`${api}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      return (await res.json()) as Record<string, string>;
    };
    const agency = (await post('/auth/login', null, { username: 'demo.agency', password: DEMO_USERS.find((u) => u.username === 'demo.agency')!.password })).accessToken!;
    const key = (await post('/agency/integration-keys', agency, { name: 'Bench', scopes: ['webhooks:manage'] })).key!;
    await post('/integration/webhooks', key, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, eventTypes: ['client.updated'], description: 'slow receiver' });

    // due instalments, each inserted and enqueued during the event stream
    const accounts = (await db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 5000).orderBy('id').limit(10).select('id', 'client_id')) as { id: number; clientId: number }[];
    await db('account_parties').whereIn('account_id', accounts.map((a) => a.id)).update({ emails: '[]' });
    const now = new Date();
    const methods = new Map<number, number>();
    for (const a of accounts) {
      const tok = await gatewayFor({ db }).tokenize({ kind: 'card', number: '4242424242424242', expMonth: 12, expYear: now.getUTCFullYear() + 3, cvc: '123' }, now);
      await db('payment_methods').insert({ publicId: newId('pm'), accountId: a.id, gateway: 'sandbox', gatewayToken: tok.token, kind: 'card', brand: tok.brand, last4: tok.last4, saved: true, createdAt: now });
      methods.set(a.id, ((await db('payment_methods').where({ gatewayToken: tok.token }).first('id')) as { id: number }).id);
    }
    const payments = new Map<string, number>();

    console.log(`set up in ${fmt(performance.now() / 1000, 0)} s; streaming ${EVENTS} events`);
    worker = startWorker({ db, config });
    await sleep(500);
    const clientId = newId('cli');
    const committed = new Map<number, number>();
    const charged = new Map<string, number>();
    let streaming = true;
    // watches the payments while the events stream (every 20 ms)
    const watcher = (async () => {
      const deadline = performance.now() + 180_000;
      while ((streaming || arrived.size < EVENTS || charged.size < payments.size) && performance.now() < deadline) {
        const pending = [...payments.keys()].filter((p) => !charged.has(p));
        if (pending.length) {
          const done = (await db('payments').whereIn('publicId', pending).where({ status: 'succeeded' }).select('publicId')) as { publicId: string }[];
          for (const p of done) charged.set(p.publicId, performance.now());
        }
        await sleep(20);
      }
    })();
    for (let n = 0; n < EVENTS; n++) {
      await db.transaction((trx) => appendEvent(trx, { type: 'client.updated', clientId: null, accountId: null, visibility: 'internal', payload: { clientId, code: 'BENCH', changed: {}, n }, actor: { type: 'system', id: null } }));
      committed.set(n, performance.now());
      if (n % 10 === 5 && payments.size < accounts.length) {
        const a = accounts[payments.size]!;
        const publicId = newId('pay');
        await db('payments').insert({
          publicId, accountId: a.id, clientId: a.clientId, kind: 'instalment', amountCents: 100, currency: 'USD', status: 'scheduled',
          paymentMethodId: methods.get(a.id), methodKind: 'card', methodBrand: 'visa', methodLast4: '4242', chargeKey: `plan:bench:${publicId}`,
          scheduledFor: now.toISOString().slice(0, 10), attempts: 0, planPublicId: 'plan_bench', instalmentNumber: payments.size + 1, createdAt: now, updatedAt: now,
        });
        payments.set(publicId, performance.now());
        await enqueueJob(db, { type: 'pay.charge', payload: { payment: publicId, attempt: 0 }, dedupeKey: `pay.charge:${publicId}:0`, maxAttempts: 5 });
      }
      await sleep(GAP_MS);
    }
    streaming = false;
    await watcher;
    const hooks = [...committed].filter(([n]) => arrived.has(n)).map(([n, t]) => arrived.get(n)! - t).sort((x, y) => x - y);
    const pays = [...payments].filter(([p]) => charged.has(p)).map(([p, t]) => charged.get(p)! - t).sort((x, y) => x - y);
    console.log(`receiver ${RECEIVER_MS} ms, ${EVENTS} events ${GAP_MS} ms apart, ${payments.size} payments beside them`);
    console.log(`webhooks delivered ${hooks.length}/${EVENTS}: p50 ${fmt(percentile(hooks, 50), 0)} ms, p95 ${fmt(percentile(hooks, 95), 0)} ms, max ${fmt(hooks.at(-1) ?? NaN, 0)} ms`);
    console.log(`payments charged ${pays.length}/${payments.size}: p50 ${fmt(percentile(pays, 50), 0)} ms, max ${fmt(pays.at(-1) ?? NaN, 0)} ms`);
  } finally {
    await worker?.stop();
    await new Promise((r) => server.close(r));
    await new Promise((r) => receiver.close(r));
    await db.destroy();
    const admin = knexFactory({ client: 'mysql2', connection: SERVER });
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
