import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { accountPicker, accountRow, balances, userToken, type PickedAccount } from './account-fixtures.js';

const neg = (n: number) => (n === 0 ? 0 : -n);
const today = () => new Date().toISOString().slice(0, 10);

describe.each(DIALECTS)('ledger: payments and adjustments (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let agency: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 150 });
    client = await api.login('demo.client');
    agency = await api.login('demo.agency');
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  const count = async (table: string, where: Record<string, unknown>) => Number((await api.db(table).where(where).count({ n: '*' }))[0]!.n);

  it('a reported payment settles costs, fees, interest, then principal, with ledger, audit, timeline and event rows', async () => {
    const acct = await pick(50_000);
    const before = await balances(api, acct.id);
    const paidBefore = (await accountRow(api, acct.id)).paidToDateCents;
    const amount = before.costs! + before.fees! + 1234;
    const res = await api.request(`/accounts/${acct.publicId}/payments`, {
      token: client, body: { amountCents: amount, paidOn: '2026-11-02', method: 'check', reference: '10442' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('txn'), accountId: acct.publicId, kind: 'payment', amount: { amountCents: amount, currency: 'USD' },
      deltas: { costsCents: neg(before.costs!), feesCents: neg(before.fees!), interestCents: neg(Math.min(1234, before.interest!)), principalCents: neg(Math.max(0, 1234 - before.interest!)) },
      balanceAfter: { amountCents: acct.balanceCents - amount, currency: 'USD' },
      effectiveOn: '2026-11-02', method: 'check', reference: '10442', reason: null, createdBy: 'Dana Whitfield', createdAt: ISO_DATETIME,
    });
    const after = await balances(api, acct.id);
    expect(after.costs).toBe(0);
    expect(after.fees).toBe(0);
    expect(after.interest! + after.principal!).toBe(before.interest! + before.principal! - 1234);
    const row = await accountRow(api, acct.id);
    expect(row.balanceCents).toBe(acct.balanceCents - amount);
    expect(row.paidToDateCents).toBe(paidBefore + amount);
    const txn = await api.db('transactions').where({ publicId: res.body.id }).first();
    expect(Number(txn.balanceAfterCents)).toBe(row.balanceCents);
    const audit = await api.db('audit_log').where({ action: 'account.payment_reported', targetId: acct.publicId }).first();
    expect(audit.actorId).toMatch(/^usr_/);
    expect(JSON.parse(audit.afterJson)).toMatchObject({ transactionId: res.body.id, balanceCents: row.balanceCents });
    expect(JSON.parse(audit.beforeJson)).toMatchObject({ balanceCents: acct.balanceCents });
    const event = await api.db('events').where({ type: 'account.payment_reported', accountId: acct.id }).first();
    expect(event.visibility).toBe('client');
    expect(JSON.parse(event.payloadJson)).toMatchObject({ accountId: acct.publicId, transactionId: res.body.id, amountCents: amount });
    const activity = await api.db('activity').where({ accountId: acct.id, type: 'payment' }).orderBy('id', 'desc').first();
    expect(activity.body).toContain('ref 10442');
    // the ledger lists it, newest first, and the account pane shows the new balance
    const list = await api.request(`/accounts/${acct.publicId}/transactions`, { token: client });
    expect(list.body.data[0].id).toBe(res.body.id);
    const pane = await api.request(`/accounts/${acct.publicId}`, { token: client });
    expect(pane.body.balanceDetail.totalCents).toBe(row.balanceCents);
    expect(pane.body.recentActivity[0].type).toBe('payment');
  });

  it('refuses a payment or credit larger than the balance and writes nothing', async () => {
    const acct = await pick();
    const pay = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body: { amountCents: acct.balanceCents + 1, paidOn: '2026-11-02', method: 'cash' } });
    expect(pay.status).toBe(422);
    expect(pay.body.code).toBe('exceeds_balance');
    const credit = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'credit', amountCents: acct.balanceCents + 1, reason: 'goodwill' } });
    expect(credit.status).toBe(422);
    expect(await count('transactions', { accountId: acct.id })).toBe(0);
    expect((await accountRow(api, acct.id)).balanceCents).toBe(acct.balanceCents);
    expect(await count('audit_log', { targetId: acct.publicId })).toBe(0);
  });

  it('rejects bad input with field errors: fractions of a cent, zero, future dates, unknown fields, unknown type', async () => {
    const acct = await pick();
    const url = `/accounts/${acct.publicId}/payments`;
    const bad = async (body: unknown, path: string) => {
      const res = await api.request(url, { token: client, body });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad({ amountCents: 10.5, paidOn: '2026-11-02', method: 'cash' }, 'amountCents');
    await bad({ amountCents: 0, paidOn: '2026-11-02', method: 'cash' }, 'amountCents');
    await bad({ amountCents: 100, paidOn: '2999-01-01', method: 'cash' }, 'paidOn');
    await bad({ amountCents: 100, paidOn: '2026-11-02', method: 'barter' }, 'method');
    await bad({ amountCents: 100, paidOn: '2026-11-02', method: 'cash', cardNumber: '4111' }, 'cardNumber');
    const adj = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'refund', amountCents: 100, reason: 'x' } });
    expect(adj.status).toBe(400);
    const noReason = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'credit', amountCents: 100 } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');
    expect(await count('transactions', { accountId: acct.id })).toBe(0);
  });

  it('a write-off without an amount clears the balance; then there is nothing left to credit', async () => {
    const acct = await pick();
    const off = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: agency, body: { type: 'write_off', reason: 'Uncollectible per client' } });
    expect(off.status).toBe(201);
    expect(off.body).toMatchObject({ kind: 'write_off', amount: { amountCents: acct.balanceCents }, balanceAfter: { amountCents: 0 }, reason: 'Uncollectible per client', effectiveOn: today() });
    expect(Object.values(await balances(api, acct.id)).every((c) => c === 0)).toBe(true);
    expect((await accountRow(api, acct.id)).paidToDateCents).toBe(Number((await api.db('accounts').where({ id: acct.id }).first()).paidToDateCents));
    const again = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: agency, body: { type: 'credit', amountCents: 1, reason: 'goodwill' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('nothing_owed');
    const pay = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body: { amountCents: 1, paidOn: '2026-11-02', method: 'cash' } });
    expect(pay.status).toBe(422);
  });

  it('a correction adds to or takes from one component, never below zero', async () => {
    const acct = await pick();
    const before = await balances(api, acct.id);
    const up = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'correction', component: 'fees', deltaCents: 2500, reason: 'Late fee omitted at placement' } });
    expect(up.status).toBe(201);
    expect(up.body.deltas).toEqual({ principalCents: 0, interestCents: 0, feesCents: 2500, costsCents: 0 });
    expect(up.body.balanceAfter.amountCents).toBe(acct.balanceCents + 2500);
    expect((await balances(api, acct.id)).fees).toBe(before.fees! + 2500);
    const down = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'correction', component: 'fees', deltaCents: -(before.fees! + 2501), reason: 'Too much' } });
    expect(down.status).toBe(422);
    expect((await accountRow(api, acct.id)).balanceCents).toBe(acct.balanceCents + 2500);
  });

  it('the ledger is append-only in the database itself', async () => {
    const acct = await pick();
    const res = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body: { amountCents: 100, paidOn: '2026-11-02', method: 'cash' } });
    expect(res.status).toBe(201);
    await expect(api.db('transactions').where({ publicId: res.body.id }).update({ amountCents: 1 })).rejects.toThrow(/append-only/);
    await expect(api.db('transactions').where({ publicId: res.body.id }).delete()).rejects.toThrow(/append-only/);
  });

  it('needs payments.report to post and the account to be the caller\'s: others get 403 or 404', async () => {
    const acct = await pick();
    const viewer = await userToken(api, `viewer.${dialect}`, 'client_viewer', ['CPL']);
    const staff = await userToken(api, `staff.${dialect}`, 'agency_staff', []);
    const body = { amountCents: 100, paidOn: '2026-11-02', method: 'cash' };
    expect((await api.request(`/accounts/${acct.publicId}/payments`, { token: viewer, body })).status).toBe(403);
    expect((await api.request(`/accounts/${acct.publicId}/payments`, { token: staff, body })).status).toBe(403);
    expect((await api.request(`/accounts/${acct.publicId}/adjustments`, { token: viewer, body: { type: 'credit', amountCents: 1, reason: 'abc' } })).status).toBe(403);
    expect((await api.request(`/accounts/${acct.publicId}/payments`, { body })).status).toBe(401);
    // the viewer may read the ledger
    expect((await api.request(`/accounts/${acct.publicId}/transactions`, { token: viewer })).status).toBe(200);
    // another client's account is a 404, exactly like a missing one
    const group = await api.login('demo.group');
    const other = await api.request(`/accounts/${acct.publicId}/payments`, { token: group, body });
    expect(other.status).toBe(404);
    expect((await api.request(`/accounts/${acct.publicId}/transactions`, { token: group })).status).toBe(404);
    expect((await api.request('/accounts/acct_00000000000000000000000000/payments', { token: client, body })).status).toBe(404);
    expect(await count('transactions', { accountId: acct.id })).toBe(0);
  });

  it('concurrent payments on one account never lose an update', async () => {
    const acct = await pick(20_000);
    const n = 16;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => api.request(`/accounts/${acct.publicId}/payments`, {
      token: client, body: { amountCents: 100 + i, paidOn: '2026-11-02', method: 'ach' },
    })));
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
    const paid = results.reduce((s, r) => s + r.body.amount.amountCents, 0);
    const row = await accountRow(api, acct.id);
    expect(row.balanceCents).toBe(acct.balanceCents - paid);
    const comps = await balances(api, acct.id);
    expect(Object.values(comps).reduce((s, c) => s + c, 0)).toBe(row.balanceCents);
    // each posting saw the one before it: the balances-after are n distinct steps down to the final balance
    const afters = results.map((r) => r.body.balanceAfter.amountCents as number).sort((a, b) => b - a);
    expect(new Set(afters).size).toBe(n);
    expect(afters.at(-1)).toBe(row.balanceCents);
  });

  it('concurrent payments racing for the last dollars: exactly the ones that fit succeed', async () => {
    const acct = await pick(20_000);
    // leave exactly $10.00 owed
    const off = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: agency, body: { type: 'write_off', amountCents: acct.balanceCents - 1000, reason: 'Partial write-off' } });
    expect(off.body.balanceAfter.amountCents).toBe(1000);
    const results = await Promise.all(Array.from({ length: 14 }, () => api.request(`/accounts/${acct.publicId}/payments`, {
      token: client, body: { amountCents: 100, paidOn: '2026-11-02', method: 'card' },
    })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(4);
    expect((await accountRow(api, acct.id)).balanceCents).toBe(0);
    expect(await count('transactions', { accountId: acct.id, kind: 'payment' })).toBe(10);
  });
});

describe.each(DIALECTS)('ledger: Idempotency-Key (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    client = await api.login('demo.client');
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  it('a replay returns the same response and posts nothing; the same key with another body is a 409', async () => {
    const acct = await pick();
    const headers = { 'Idempotency-Key': `pay-${dialect}-1` };
    const body = { amountCents: 2500, paidOn: '2026-11-02', method: 'check', reference: '881' };
    const first = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body, headers });
    expect(first.status).toBe(201);
    const again = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(Number((await api.db('transactions').where({ accountId: acct.id }).count({ n: '*' }))[0]!.n)).toBe(1);
    expect((await accountRow(api, acct.id)).balanceCents).toBe(acct.balanceCents - 2500);
    const other = await api.request(`/accounts/${acct.publicId}/payments`, { token: client, body: { ...body, amountCents: 2600 }, headers });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    // a refused request releases its key: the corrected retry with the same key goes through
    const adjKey = { 'Idempotency-Key': `adj-${dialect}-1` };
    const tooBig = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'credit', amountCents: 10 ** 9, reason: 'goodwill' }, headers: adjKey });
    expect(tooBig.status).toBe(422);
    const ok = await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'credit', amountCents: 100, reason: 'goodwill' }, headers: adjKey });
    expect(ok.status).toBe(201);
  });

  it('the same key sent concurrently posts once', async () => {
    const acct = await pick();
    const headers = { 'Idempotency-Key': `pay-${dialect}-race` };
    const body = { amountCents: 700, paidOn: '2026-11-02', method: 'cash' };
    const results = await Promise.all(Array.from({ length: 6 }, () => api.request(`/accounts/${acct.publicId}/payments`, { token: client, body, headers })));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(Number((await api.db('transactions').where({ accountId: acct.id }).count({ n: '*' }))[0]!.n)).toBe(1);
    expect((await accountRow(api, acct.id)).balanceCents).toBe(acct.balanceCents - 700);
  });
});
