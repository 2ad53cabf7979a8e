/**
 * The job runner across workers (issue 20, item 8), on SQLite and MariaDB:
 * - a short lease renewed by a heartbeat: the job of a worker killed mid-run is taken over within
 *   about one lease, while a live worker's long job keeps its lease however long it runs;
 * - a stalled worker that lost its lease records no outcome when it wakes up;
 * - a bounded number of jobs in flight per node, and webhook deliveries in a lane of their own, so a
 *   slow receiver does not hold up a payment;
 * - a failed job's retry goes to another worker first.
 * The killed and the stalled worker are processes of their own (fixtures/lease-worker.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { defineJob, enqueueJob, runDueJobs, startWorker } from '../../api/platform/jobs.js';
import { appendEvent } from '../../api/platform/events.js';
import { toIso } from '../../api/platform/db.js';
import { newId } from '../../api/platform/ids.js';
import { gatewayFor } from '../../api/pay/gateway/sandbox-gateway.js';
import '../../api/jobs-registry.js';
import { cardExpYear } from './pay-helpers.js';
import { atInstant } from './test-clock.js';
import { sleep, until } from './until.js';


describe.each(DIALECTS)('job runner on %s', (dialect) => {
  let api: TestApi;
  const LEASE_MS = 1500;
  const type = (name: string) => `test.${name}.${dialect}`;
  const job = (publicId: string) => api.db('jobs').where({ publicId }).first();
  /** worker settings for the tests: a 1.5 s lease, so a takeover is quick to see */
  const deps = (jobs: Record<string, number> = {}) => ({ db: api.db, config: { ...api.config, jobs: { leaseMs: LEASE_MS, ...jobs } } });

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20, config: { webhookAllowPrivate: true } });
  });
  afterAll(() => api?.close());

  /** A worker node of its own (fixtures/lease-worker.ts) running `jobType` with a short lease. */
  function startWorkerProcess(workerId: string, jobType: string) {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/lease-worker.ts', import.meta.url).pathname], {
      env: {
        ...process.env, CK_DATABASE_URL: api.config.databaseUrl, CK_DATA_DIR: api.config.dataDir, CK_STORAGE: JSON.stringify(api.config.storage ?? null),
        CK_LEASE_MS: String(LEASE_MS), CK_WORKER_ID: workerId, CK_JOB_TYPE: jobType,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    return {
      child, output: () => output,
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it('a worker killed mid-job: another takes the job over about one lease after its heartbeat stopped, and finishes it', async () => {
    const jobType = type('killed');
    const ranHere: number[] = [];
    defineJob(jobType, async (_deps, _payload, info) => {
      ranHere.push(info.attempt);
    });
    const id = await enqueueJob(api.db, { type: jobType, payload: { sleepMs: 120_000 } });
    const node = startWorkerProcess('node-1', jobType);
    try {
      await until('the worker process to run the job', async () => node.output().includes(`running ${id}`), 60_000);
      expect(await job(id)).toMatchObject({ status: 'running', lockedBy: 'node-1', attempts: 1 });
      await node.kill();
      const killedAt = performance.now();
      const other = startWorker(deps(), { workerId: 'node-2', intervalMs: 100 });
      try {
        const done = await until('the job to be finished by node-2', async () => ((await job(id))?.status === 'done' ? job(id) : null), 20_000);
        const takeoverMs = performance.now() - killedAt;
        console.log(`[${dialect}] job taken over ${takeoverMs.toFixed(0)} ms after its worker was killed (lease ${LEASE_MS} ms)`);
        expect(takeoverMs).toBeLessThan(LEASE_MS + 4000);
        expect(ranHere).toEqual([2]);
        expect(done).toMatchObject({ attempts: 2, lockedBy: null, lastError: null });
      } finally {
        await other.stop();
      }
    } finally {
      await node.kill();
    }
  }, 120_000);

  it('a stalled worker whose lease was taken over records no outcome when it wakes up', async () => {
    const jobType = type('stalled');
    const ranHere: number[] = [];
    defineJob(jobType, async (_deps, _payload, info) => {
      ranHere.push(info.attempt);
    });
    // the process stands still for 6 s (no heartbeat), then its run fails: without the lease check
    // that failure would put the job back in the queue after node-2 finished it
    const id = await enqueueJob(api.db, { type: jobType, payload: { stallMs: 6000, fail: true } });
    const node = startWorkerProcess('node-1', jobType);
    const other = { stop: async () => {} };
    try {
      await until('the worker process to run the job', async () => node.output().includes(`running ${id}`), 60_000);
      const o = startWorker(deps(), { workerId: 'node-2', intervalMs: 100 });
      other.stop = () => o.stop();
      await until('node-2 to finish the job', async () => (await job(id))?.status === 'done', 20_000);
      const finished = await job(id);
      expect(finished).toMatchObject({ attempts: 2, lastError: null, lockedBy: null });
      await until('node-1 to wake up and give up its outcome', async () => node.output().includes('is not recorded'), 30_000);
      expect(await job(id)).toMatchObject({ status: 'done', attempts: 2, lastError: null, lockedBy: null, failedBy: null });
      expect(ranHere).toEqual([2]);
    } finally {
      await other.stop();
      await node.kill();
    }
  }, 120_000);

  it('a job running for several leases keeps its lease: the heartbeat renews it, and no other worker takes it', async () => {
    const jobType = type('long');
    const runs: string[] = [];
    defineJob(jobType, async (_deps, _payload, info) => {
      runs.push(`attempt ${info.attempt}`);
      await sleep(3 * LEASE_MS);
    });
    const id = await enqueueJob(api.db, { type: jobType, payload: {} });
    const worker = startWorker(deps(), { workerId: 'node-1', intervalMs: 100 });
    let stealing = true;
    let thief: Promise<number> = Promise.resolve(0);
    try {
      await until('node-1 to run the job', async () => (await job(id))?.lockedBy === 'node-1', 10_000);
      // a second worker claiming all the while
      thief = (async () => {
        let stolen = 0;
        while (stealing) {
          stolen += await runDueJobs(deps(), { workerId: 'node-2', types: [jobType] });
          await sleep(100);
        }
        return stolen;
      })();
      const leases: number[] = [];
      for (let i = 0; i < 5; i++) {
        const row = await job(id);
        if (row.status !== 'running') break;
        const lockedUntil = Date.parse(toIso(row.lockedUntil)!);
        leases.push(lockedUntil);
        // never more than one lease ahead (the old runner held jobs for 5 minutes)
        expect(lockedUntil - Date.now()).toBeLessThanOrEqual(LEASE_MS + 200);
        await sleep(500);
      }
      expect(leases.length).toBeGreaterThanOrEqual(4);
      expect(leases.at(-1)!).toBeGreaterThan(leases[0]! + 500); // renewed
      await until('the job to finish', async () => (await job(id))?.status === 'done', 10_000);
    } finally {
      stealing = false;
      await worker.stop();
    }
    expect(await thief).toBe(0);
    expect(runs).toEqual(['attempt 1']);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1 });
  }, 60_000);

  it('runs up to JOB_CONCURRENCY jobs at once on one node, never more', async () => {
    const jobType = type('parallel');
    let inFlight = 0;
    let most = 0;
    defineJob(jobType, async () => {
      most = Math.max(most, ++inFlight);
      await sleep(300);
      inFlight--;
    });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await enqueueJob(api.db, { type: jobType, payload: { i } }));
    const worker = startWorker(deps({ concurrency: 3 }), { workerId: 'node-1', intervalMs: 100 });
    try {
      await until('all seven jobs', async () => Number((await api.db('jobs').whereIn('publicId', ids).where({ status: 'done' }).count({ n: '*' }))[0]!.n) === 7, 20_000);
    } finally {
      await worker.stop();
    }
    expect(most).toBe(3);
  }, 60_000);

  it('a payment is charged at once while every webhook slot waits on a slow receiver', async () => {
    // the receiver holds each delivery for 5 s
    let open = 0;
    let mostOpen = 0;
    let received = 0;
    const receiver: Server = createServer((req, res) => {
      mostOpen = Math.max(mostOpen, ++open);
      req.resume();
      req.on('end', () => setTimeout(() => {
        open--;
        received++;
        res.end('ok');
      }, 5000));
    }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => receiver.once('listening', resolve));
    const agency = await api.login('demo.agency');
    const key = (await api.request('/agency/integration-keys', { token: agency, body: { name: `Slow ${dialect}`, scopes: ['webhooks:manage'] } })).body.key;
    const hook = await api.request('/integration/webhooks', { token: key, body: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slow`, eventTypes: ['client.updated'], description: 'slow receiver' } });
    expect(hook.status).toBe(201);

    // a due instalment, charged by the real pay.charge job
    const account = (await api.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 5000).orderBy('id').first('id', 'client_id')) as { id: number; clientId: number };
    await api.db('account_parties').where({ accountId: account.id }).update({ emails: '[]' });
    const now = new Date();
    const tok = await gatewayFor({ db: api.db }).tokenize({ kind: 'card', number: '4242424242424242', expMonth: 12, expYear: cardExpYear(), cvc: '123' }, now);
    await api.db('payment_methods').insert({ publicId: newId('pm'), accountId: account.id, gateway: 'sandbox', gatewayToken: tok.token, kind: 'card', brand: tok.brand, last4: tok.last4, saved: true, createdAt: now });
    const method = ((await api.db('payment_methods').where({ gatewayToken: tok.token }).first('id')) as { id: number }).id;
    const payment = newId('pay');

    const worker = startWorker(deps({ webhookConcurrency: 3 }), { workerId: 'node-1', intervalMs: 200 });
    try {
      const clientId = newId('cli');
      for (let n = 0; n < 6; n++) {
        await api.db.transaction((trx) => appendEvent(trx, { type: 'client.updated', clientId: null, accountId: null, visibility: 'internal', payload: { clientId, code: 'SLOW', changed: {}, n }, actor: { type: 'system', id: null } }));
      }
      await until('every webhook slot to be waiting on the receiver', async () => open === 3, 15_000);
      const started = performance.now();
      await api.db('payments').insert({
        publicId: payment, accountId: account.id, clientId: account.clientId, kind: 'instalment', amountCents: 100, currency: 'USD', status: 'scheduled',
        paymentMethodId: method, methodKind: 'card', methodBrand: 'visa', methodLast4: '4242', chargeKey: `plan:plan_lanes_${dialect}:1`,
        scheduledFor: now.toISOString().slice(0, 10), attempts: 0, planPublicId: `plan_lanes_${dialect}`, instalmentNumber: 1, createdAt: now, updatedAt: now,
      });
      await enqueueJob(api.db, { type: 'pay.charge', payload: { payment, attempt: 0 }, dedupeKey: `pay.charge:${payment}:0`, maxAttempts: 5 });
      await until('the payment to be charged', async () => ((await api.db('payments').where({ publicId: payment }).first('status')) as { status: string }).status === 'succeeded', 20_000, 20);
      const chargedMs = performance.now() - started;
      console.log(`[${dialect}] payment charged in ${chargedMs.toFixed(0)} ms with ${open} webhook deliveries waiting on a 5 s receiver`);
      // the old runner ran one job at a time: it waited for 6 × 5 s of deliveries (and here, none has finished yet)
      expect(chargedMs).toBeLessThan(4000);
      expect(received).toBe(0); // all of it while the first deliveries were still waiting
      await until('all six deliveries', async () => received === 6, 40_000);
      expect(mostOpen).toBe(3); // the webhook lane's bound
    } finally {
      await worker.stop();
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 90_000);

  it('a failed job is retried by another worker first; the worker it failed on takes it only after JOB_RETRY_ELSEWHERE_SECONDS', async () => {
    const jobType = type('flaky');
    const ran: string[] = [];
    defineJob<{ label: string }>(jobType, async (_deps, p, info) => {
      ran.push(`${p.label}:${info.attempt}`);
      if (info.attempt === 1) throw new Error('broke on this node');
    }, { backoff: () => 0 });
    const t0 = new Date('2031-03-01T10:00:00Z');
    const settings = { db: api.db, config: api.config }; // the defaults: 30 s lease, 30 s before the same worker retries
    const a = await enqueueJob(api.db, { type: jobType, payload: { label: 'a' }, runAt: t0 });
    expect(await atInstant(t0, () => runDueJobs(settings, { workerId: 'node-1', types: [jobType] }))).toBe(1);
    expect(await job(a)).toMatchObject({ status: 'queued', failedBy: 'node-1', lastError: 'broke on this node' });
    // due again at once, but not for node-1; node-2 takes it
    expect(await atInstant(t0, () => runDueJobs(settings, { workerId: 'node-1', types: [jobType] }))).toBe(0);
    expect(await atInstant(t0, () => runDueJobs(settings, { workerId: 'node-2', types: [jobType] }))).toBe(1);
    expect(await job(a)).toMatchObject({ status: 'done', attempts: 2, failedBy: null });

    // with no other worker there, node-1 retries it itself 30 s later
    const b = await enqueueJob(api.db, { type: jobType, payload: { label: 'b' }, runAt: t0 });
    expect(await atInstant(t0, () => runDueJobs(settings, { workerId: 'node-1', types: [jobType] }))).toBe(1);
    expect(await atInstant(new Date(t0.getTime() + 29_000), () => runDueJobs(settings, { workerId: 'node-1', types: [jobType] }))).toBe(0);
    expect(await atInstant(new Date(t0.getTime() + 30_000), () => runDueJobs(settings, { workerId: 'node-1', types: [jobType] }))).toBe(1);
    expect(await job(b)).toMatchObject({ status: 'done', attempts: 2 });
    expect(ran).toEqual(['a:1', 'a:2', 'b:1', 'b:2']);
  });
});
