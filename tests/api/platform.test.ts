/**
 * The shared platform pieces features build on: Idempotency-Key on routes, the job runner, the
 * transactional outbox (delivered to a real SMTP peer), agency tasks, and HTML → PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import Router from '@koa/router';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import type { AppState } from '../../api/platform/http/context.js';
import { requestIdMiddleware } from '../../api/platform/http/request-id.js';
import { problemMiddleware } from '../../api/platform/http/problem.js';
import { jsonBodyMiddleware } from '../../api/platform/http/body.js';
import { mountRoutes, route } from '../../api/platform/http/route.js';
import { defineJob, defineTicker, enqueueJob, runDueJobs, runWorkerOnce, startWorker } from '../../api/platform/jobs.js';
import { defineOutboxPolicy, deliverOutbox, enqueueEmail, enqueueSms } from '../../api/platform/outbox.js';
import { openTask } from '../../api/inbox/tasks.service.js';
import { closePdf, renderPdf } from '../../api/platform/pdf.js';
import { atInstant } from './test-clock.js';

describe.each(DIALECTS)('platform on %s', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 10, config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });
  const deps = () => ({ config: api.config, db: api.db });

  describe('Idempotency-Key', () => {
    let server: Server;
    let base: string;
    let runs = 0;
    beforeAll(async () => {
      // A route of our own on the real middleware stack: it counts its runs and can be made slow.
      const app = new Koa<AppState>();
      const router = new Router<AppState>({ prefix: '/api/v1' });
      mountRoutes(router, deps(), [
        route({
          method: 'post', path: '/things', tag: 'test', auth: 'user', summary: 'test', idempotent: true,
          body: z.strictObject({ amountCents: z.number().int().positive(), slowMs: z.number().int().optional(), fail: z.boolean().optional() }),
          responses: { 201: z.object({ run: z.number(), amountCents: z.number() }) },
          handler: async ({ body }) => {
            runs++;
            const run = runs;
            if (body.slowMs) await new Promise((r) => setTimeout(r, body.slowMs));
            if (body.fail) throw Object.assign(new Error('boom'), {});
            return { run, amountCents: body.amountCents };
          },
        }),
      ]);
      app.use(requestIdMiddleware()).use(problemMiddleware()).use(jsonBodyMiddleware()).use(router.routes());
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const post = async (token: string, body: unknown, key?: string) => {
      const res = await fetch(`${base}/things`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
    };

    it('replays the stored response for the same key and body, and runs once', async () => {
      const token = await api.login('demo.agency');
      const first = await post(token, { amountCents: 500 }, 'key-replay-1');
      expect(first.status).toBe(201);
      const second = await post(token, { amountCents: 500 }, 'key-replay-1');
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const without = await post(token, { amountCents: 500 });
      expect(without.body.run).toBe((first.body.run as number) + 1);
    });

    it('answers 409 for the same key with another body, and for a key still running', async () => {
      const token = await api.login('demo.agency');
      await post(token, { amountCents: 100 }, 'key-reuse');
      const reused = await post(token, { amountCents: 101 }, 'key-reuse');
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('idempotency_key_reused');

      const before = runs;
      const [a, b] = await Promise.all([
        post(token, { amountCents: 7, slowMs: 400 }, 'key-race'),
        new Promise((r) => setTimeout(r, 100)).then(() => post(token, { amountCents: 7, slowMs: 400 }, 'key-race')),
      ]);
      expect(a.status).toBe(201);
      expect(b.status).toBe(409);
      expect(b.body.code).toBe('idempotency_key_in_progress');
      expect(runs - before).toBe(1);
    });

    it('keys are per caller, a failed request releases its key, and a bad key is a 400', async () => {
      const agency = await api.login('demo.agency');
      const client = await api.login('demo.client');
      const a = await post(agency, { amountCents: 9 }, 'shared-key');
      const b = await post(client, { amountCents: 9 }, 'shared-key');
      expect(b.body.run).not.toBe(a.body.run);

      const failed = await post(agency, { amountCents: 3, fail: true }, 'key-fail');
      expect(failed.status).toBe(500);
      const retried = await post(agency, { amountCents: 3, fail: true }, 'key-fail');
      expect(retried.status).toBe(500); // ran again rather than replaying or reporting a conflict
      const rows = await api.db('idempotency_keys').where({ idemKey: 'key-fail' });
      expect(rows).toHaveLength(0);

      const bad = await post(agency, { amountCents: 3 }, 'x'.repeat(256));
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_idempotency_key');
    });
  });

  describe('jobs', () => {
    const seen: string[] = [];
    let failuresLeft = 2;
    beforeAll(() => {
      defineJob<{ label: string }>(`test.record.${dialect}`, async (_deps, payload) => {
        seen.push(payload.label);
      });
      defineJob<{ label: string }>(`test.flaky.${dialect}`, async (_deps, payload) => {
        if (failuresLeft-- > 0) throw new Error('temporary failure');
        seen.push(payload.label);
      });
    });

    it('runs a job enqueued in a committed transaction, never one rolled back', async () => {
      await api.db.transaction((trx) => enqueueJob(trx, { type: `test.record.${dialect}`, payload: { label: 'committed' } }));
      await api.db
        .transaction(async (trx) => {
          await enqueueJob(trx, { type: `test.record.${dialect}`, payload: { label: 'rolled-back' } });
          throw new Error('abort');
        })
        .catch(() => undefined);
      expect(await runDueJobs(deps())).toBe(1);
      expect(seen).toEqual(['committed']);
    });

    it('waits for run_at, retries failures with growing delays, then succeeds', async () => {
      const t0 = new Date('2030-01-01T00:00:00Z');
      const id = await enqueueJob(api.db, { type: `test.flaky.${dialect}`, payload: { label: 'flaky' }, runAt: t0 });
      expect(await atInstant(new Date(t0.getTime() - 1000), () => runDueJobs(deps()))).toBe(0);
      expect(await atInstant(t0, () => runDueJobs(deps()))).toBe(1); // fails: retry in 30 s
      let job = await api.db('jobs').where({ publicId: id }).first();
      expect(job.status).toBe('queued');
      expect(job.lastError).toBe('temporary failure');
      expect(await atInstant(new Date(t0.getTime() + 29_000), () => runDueJobs(deps()))).toBe(0);
      expect(await atInstant(new Date(t0.getTime() + 30_000), () => runDueJobs(deps()))).toBe(1); // fails: retry in 60 s more
      expect(await atInstant(new Date(t0.getTime() + 60_000), () => runDueJobs(deps()))).toBe(0);
      expect(await atInstant(new Date(t0.getTime() + 90_000), () => runDueJobs(deps()))).toBe(1);
      job = await api.db('jobs').where({ publicId: id }).first();
      expect(job.status).toBe('done');
      expect(job.attempts).toBe(3);
      expect(seen).toContain('flaky');
    });

    it('a dedupe key enqueues once, and two workers racing run each job once', async () => {
      const a = await enqueueJob(api.db, { type: `test.record.${dialect}`, payload: { label: 'dedupe' }, dedupeKey: `dedupe-${dialect}` });
      const b = await enqueueJob(api.db, { type: `test.record.${dialect}`, payload: { label: 'dedupe' }, dedupeKey: `dedupe-${dialect}` });
      expect(b).toBe(a);
      for (let i = 0; i < 30; i++) await enqueueJob(api.db, { type: `test.record.${dialect}`, payload: { label: `race-${i}` } });
      seen.length = 0;
      // Two runners with their own connections claim concurrently (on MariaDB: FOR UPDATE SKIP LOCKED).
      await Promise.all([
        (async () => { while ((await runDueJobs(deps(), { workerId: 'w1', limit: 3 })) > 0); })(),
        (async () => { while ((await runDueJobs(deps(), { workerId: 'w2', limit: 3 })) > 0); })(),
      ]);
      expect(seen.filter((s) => s.startsWith('race-')).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `race-${i}`).sort());
      expect(seen.filter((s) => s === 'dedupe')).toHaveLength(1);
      const byWorker = await api.db('jobs').whereIn('lockedBy', ['w1', 'w2']).count({ n: '*' });
      expect(Number(byWorker[0]!.n)).toBe(0); // leases are released after running
    });

    it('the same dedupe key enqueued by concurrent transactions yields one job and no error', async () => {
      const key = `concurrent-${dialect}`;
      const ids = await Promise.all(
        [1, 2, 3].map(() =>
          api.db.transaction(async (trx) => {
            // read first, so that on MySQL the transaction's snapshot predates the winner's commit
            await trx('jobs').count({ n: '*' });
            const id = await enqueueJob(trx, { type: `test.record.${dialect}`, payload: { label: 'concurrent' }, dedupeKey: key });
            await new Promise((r) => setTimeout(r, 150));
            return id;
          }),
        ),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await api.db('jobs').where({ dedupeKey: key }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
    });

    it('tickers run on every worker tick with the given clock', async () => {
      const ticks: string[] = [];
      defineTicker(`test.ticker.${dialect}`, async (_deps, now) => {
        ticks.push(now.toISOString());
      });
      await atInstant(new Date('2031-05-06T07:08:09.000Z'), () => runWorkerOnce(deps()));
      expect(ticks).toEqual(['2031-05-06T07:08:09.000Z']);
    });

    it('a running worker starts a job once its transaction commits, and a continuation right after its job, not an interval later', async () => {
      const chain: string[] = [];
      defineJob<{ n: number }>(`test.chain.${dialect}`, async ({ db }, { n }) => {
        chain.push(`step-${n}`);
        if (n < 2) await db.transaction((trx) => enqueueJob(trx, { type: `test.chain.${dialect}`, payload: { n: n + 1 } }));
      });
      const worker = startWorker(deps(), { intervalMs: 60_000 });
      try {
        await new Promise((r) => setTimeout(r, 300)); // the worker's first tick has run and found nothing of ours
        const started = Date.now();
        await api.db.transaction(async (trx) => {
          await enqueueJob(trx, { type: `test.chain.${dialect}`, payload: { n: 0 } });
          await new Promise((r) => setTimeout(r, 300));
          expect(chain).toEqual([]); // not before the commit
        });
        while (chain.length < 3 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
        expect(chain).toEqual(['step-0', 'step-1', 'step-2']);
        expect(Date.now() - started).toBeLessThan(5_000); // three jobs, and the interval is a minute
      } finally {
        await worker.stop();
      }
    });
  });

  describe('outbox', () => {
    it('delivers committed email to the SMTP peer and never a rolled-back one', async () => {
      const before = smtp.messages.length;
      await api.db.transaction((trx) =>
        enqueueEmail(trx, { to: 'debtor@example.com', subject: 'Your receipt', text: 'Thank you for your payment of $12.34.', html: '<p>Thank you</p>', category: `receipt-${dialect}` }),
      );
      await api.db
        .transaction(async (trx) => {
          await enqueueEmail(trx, { to: 'nobody@example.com', subject: 'never', text: 'never', category: `receipt-${dialect}` });
          throw new Error('abort');
        })
        .catch(() => undefined);
      const result = await deliverOutbox(deps());
      expect(result.sent).toBe(1);
      const mail = (await smtp.waitFor(before + 1))[before]!;
      expect(mail.subject).toBe('Your receipt');
      expect(mail.text?.trim()).toBe('Thank you for your payment of $12.34.');
      expect((mail.to as { text: string }).text).toBe('debtor@example.com');
      expect(mail.from?.text).toContain('noreply@collectkit.test');
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.messages.filter((m) => m.subject === 'never')).toHaveLength(0);
      const row = await api.db('outbox').where({ recipient: 'debtor@example.com' }).first();
      expect(row.status).toBe('sent');
      expect(row.sentAt).not.toBeNull();
    });

    it('policies hold or cancel a message; SMS go through the provider; a dedupe key sends once', async () => {
      defineOutboxPolicy(`test.policy.${dialect}`, async (_trx, row, now) => {
        if (row.category === `held-${dialect}`) return now < new Date('2032-01-01T12:00:00Z') ? { action: 'hold', until: new Date('2032-01-01T12:00:00Z') } : { action: 'send' };
        if (row.category === `blocked-${dialect}`) return { action: 'cancel', reason: 'opted out' };
        return { action: 'send' };
      });
      await enqueueSms(api.db, { to: '+15035550100', text: 'Reply STOP to opt out.', category: `held-${dialect}`, notBefore: new Date('2032-01-01T00:00:00Z') });
      await enqueueSms(api.db, { to: '+15035550101', text: 'blocked', category: `blocked-${dialect}`, notBefore: new Date('2032-01-01T00:00:00Z') });
      await enqueueSms(api.db, { to: '+15035550102', text: 'once', category: `once-${dialect}`, dedupeKey: `once-${dialect}`, notBefore: new Date('2032-01-01T00:00:00Z') });
      await enqueueSms(api.db, { to: '+15035550102', text: 'once', category: `once-${dialect}`, dedupeKey: `once-${dialect}`, notBefore: new Date('2032-01-01T00:00:00Z') });

      const first = await atInstant(new Date('2032-01-01T08:00:00Z'), () => deliverOutbox(deps()));
      expect(first).toEqual({ sent: 1, failed: 0, held: 1, cancelled: 1 });
      expect((await api.db('outbox').where({ category: `blocked-${dialect}` }).first()).cancelReason).toBe('opted out');
      expect(await atInstant(new Date('2032-01-01T11:59:59Z'), () => deliverOutbox(deps()))).toEqual({ sent: 0, failed: 0, held: 0, cancelled: 0 });
      expect((await atInstant(new Date('2032-01-01T12:00:00Z'), () => deliverOutbox(deps()))).sent).toBe(1);
      const texts = await api.db('sms_log').orderBy('id');
      expect(texts.map((t: { recipient: string }) => t.recipient)).toEqual(['+15035550102', '+15035550100']);
    });

    it('retries when the mail relay is down, with backoff', async () => {
      const down = { config: { ...api.config, smtpUrl: 'smtp://127.0.0.1:1' }, db: api.db };
      const t0 = new Date('2033-01-01T00:00:00Z');
      await enqueueEmail(api.db, { to: 'later@example.com', subject: 'later', text: 'later', category: `retry-${dialect}`, notBefore: t0 });
      expect((await atInstant(t0, () => deliverOutbox(down))).failed).toBe(1);
      const row = await api.db('outbox').where({ recipient: 'later@example.com' }).first();
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect((await atInstant(new Date(t0.getTime() + 10_000), () => deliverOutbox(deps()))).sent).toBe(0);
      expect((await atInstant(new Date(t0.getTime() + 30_000), () => deliverOutbox(deps()))).sent).toBe(1);
    });
  });

  it('openTask writes an open task and an internal event in the caller transaction', async () => {
    const client = await api.db('clients').where({ code: 'CPL' }).first();
    const id = await api.db.transaction((trx) => openTask(trx, { clientId: client.id, kind: 'client_note', title: 'Client added a note', detail: 'Please call' }));
    const task = await api.db('tasks').where({ publicId: id }).first();
    expect(task).toMatchObject({ status: 'open', kind: 'client_note', title: 'Client added a note', clientId: client.id });
    const event = await api.db('events').where({ type: 'task.opened' }).orderBy('id', 'desc').first();
    expect(JSON.parse(event.payloadJson)).toMatchObject({ taskId: id, kind: 'client_note' });
    expect(event.visibility).toBe('internal');
  });
});

describe('renderPdf', () => {
  afterAll(() => closePdf());
  it('prints HTML to a PDF whose text and page count are right, without fetching anything', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `<tr><td>Account ${i + 1}</td><td>&lt;script&gt;</td></tr>`).join('');
    const pdf = await renderPdf(`<!doctype html><html><body><h1>Inventory report</h1><img src="http://127.0.0.1:9/leak.png"><table>${rows}</table></body></html>`, { headerTitle: 'Cascade <Power>' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'ck-pdf-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Inventory report');
      expect(text).toContain('Account 120');
      expect(text).toContain('<script>');
      expect(text).toContain('Cascade <Power>');
      const info = execFileSync('pdfinfo', [join(dir, 'r.pdf')], { encoding: 'utf8' });
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      expect(pages).toBeGreaterThan(1);
      expect(text).toContain(`Page ${pages} of ${pages}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('answers pdf_unavailable (503) when no browser can start', async () => {
    await closePdf();
    await expect(renderPdf('<p>x</p>', { chromiumPath: '/nonexistent/chromium' })).rejects.toMatchObject({ status: 503, code: 'pdf_unavailable' });
  });
});
