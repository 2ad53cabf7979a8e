/**
 * Two scheduler processes over many due instalments charge each exactly once. On MariaDB the two
 * runners have their own connection pools (as two API processes would) and claim with
 * FOR UPDATE SKIP LOCKED; on SQLite they share the single writer. 1,000 instalments on MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { createDb, type Db } from '../../api/platform/db.js';
import { newId } from '../../api/platform/ids.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { gatewayFor } from '../../api/pay/gateway/sandbox-gateway.js';
import '../../api/jobs-registry.js';
import { cardExpYear } from './pay-helpers.js';

describe.each(DIALECTS)('scheduler with two runners (%s)', (dialect) => {
  let api: TestApi;
  let second: Db;
  const total = dialect === 'mysql' ? 1000 : 300;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60, config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    second = dialect === 'mysql' ? createDb(api.config.databaseUrl, api.config.dataDir) : api.db;
  });
  afterAll(async () => {
    if (second !== api.db) await second.destroy();
    await api.close();
  });

  it(`charges each of ${total} due instalments exactly once`, async () => {
    const accounts = (await api.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 5000).orderBy('id').limit(40).select('id', 'client_id', 'balance_cents')) as { id: number; clientId: number; balanceCents: number | string }[];
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const deps = { db: api.db, config: api.config };
    // receipts are another test's subject: no addresses here, so the outbox stays out of the timing
    await api.db('account_parties').whereIn('account_id', accounts.map((a) => a.id)).update({ emails: '[]' });
    const rows: object[] = [];
    const methodByAccount = new Map<number, number>();
    for (const a of accounts) {
      const tok = await gatewayFor(deps).tokenize({ kind: 'card', number: '4242424242424242', expMonth: 12, expYear: cardExpYear(), cvc: '123' }, now);
      await api.db('payment_methods').insert({ publicId: newId('pm'), accountId: a.id, gateway: 'sandbox', gatewayToken: tok.token, kind: 'card', brand: tok.brand, last4: tok.last4, saved: true, createdAt: now });
      methodByAccount.set(a.id, ((await api.db('payment_methods').where({ gatewayToken: tok.token }).first('id')) as { id: number }).id);
    }
    for (let i = 0; i < total; i++) {
      const a = accounts[i % accounts.length]!;
      const plan = `plan_load${a.id}`;
      rows.push({
        publicId: newId('pay'), accountId: a.id, clientId: a.clientId, kind: 'instalment', amountCents: 100, currency: 'USD', status: 'scheduled',
        paymentMethodId: methodByAccount.get(a.id), methodKind: 'card', methodBrand: 'visa', methodLast4: '4242', chargeKey: `plan:${plan}:${i + 1}`,
        scheduledFor: today, attempts: 0, planPublicId: plan, instalmentNumber: i + 1, createdAt: now, updatedAt: now,
      });
    }
    for (let i = 0; i < rows.length; i += 200) await api.db('payments').insert(rows.slice(i, i + 200));
    const balancesBefore = new Map(accounts.map((a) => [a.id, Number(a.balanceCents)]));

    const runner = async (db: Db, workerId: string) => {
      for (let tick = 0; tick < 200; tick++) {
        // as startWorker does: a failed tick (a deadlock the database resolved) is logged and the next tick goes on
        await runWorkerOnce({ db, config: api.config }, workerId).catch((err: unknown) => console.warn(`[${workerId}] tick failed: ${String(err)}`));
        const left = await db('payments').whereIn('status', ['scheduled', 'pending']).where('kind', 'instalment').first('id');
        if (!left) return;
      }
    };
    await Promise.all([runner(api.db, 'runner-a'), runner(second, 'runner-b')]);

    const statuses = (await api.db('payments').where({ kind: 'instalment' }).select('status').count({ n: '*' }).groupBy('status')) as unknown as { status: string; n: number | string }[];
    expect(statuses.map((s: { status: string; n: number | string }) => [s.status, Number(s.n)])).toEqual([['succeeded', total]]);
    const charges = (await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', 'plan:plan_load%').select('idempotency_key')) as { idempotencyKey: string }[];
    expect(charges).toHaveLength(total);
    expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(total);
    const jobs = await api.db('jobs').where({ type: 'pay.charge' }).select('status', 'locked_by');
    expect(jobs).toHaveLength(total);
    expect(jobs.every((j: { status: string }) => j.status === 'done')).toBe(true);
    // each account lost exactly what its instalments charged
    for (const a of accounts) {
      const n = Math.floor(total / accounts.length) + (accounts.indexOf(a) < total % accounts.length ? 1 : 0);
      const after = Number(((await api.db('accounts').where({ id: a.id }).first('balance_cents')) as { balanceCents: number | string }).balanceCents);
      expect(balancesBefore.get(a.id)! - after).toBe(n * 100);
    }
  }, 600_000); // ~30 s on an idle MariaDB; a machine shared by many test runs needs far longer
});
