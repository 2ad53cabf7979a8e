/**
 * Issue 22: balances change only through the ledger. Over the seeded demo and after inbound
 * integration upserts, every account's components equal what was placed plus its ledger rows, its
 * balance their sum, and its paid-to-date the sum of its payments — and the check does catch a
 * balance written behind the ledger's back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { verifyLedger } from '../../api/ledger/ledger-verify.js';

describe.each(DIALECTS)('ledger-verify (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let key: string;
  const inbound = (path: string, body: unknown) => api.request(`/integration/${path}`, { token: key, body });

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 150 });
    agency = await api.login('demo.agency');
    key = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Core', scopes: ['accounts:write'] } })).body.key;
  });
  afterAll(() => api.close());

  it('the seeded demo: paid to date comes from ledger rows, so the payments report and recovery agree', async () => {
    const result = await verifyLedger(api.db);
    expect(result.mismatches).toEqual([]);
    expect(result).toMatchObject({ ok: true, accounts: 150 });
    const [paid] = await api.db('accounts').sum({ s: 'paid_to_date_cents' });
    expect(Number(paid!.s)).toBeGreaterThan(0);
    expect(result.transactions).toBeGreaterThan(0);
    const payments = await api.request('/reports/payments/run', { token: agency, body: { parameters: { from: '2020-01-01', to: '2026-11-30' } } });
    expect(payments.status, payments.text).toBe(200);
    const recovery = await api.request('/reports/recovery/run', { token: agency, body: { parameters: { groupBy: 'client' } } });
    expect(recovery.status, recovery.text).toBe(200);
    // payments of accounts still in review are not in the agency's reports; both reports leave them out alike
    expect(payments.body.totals.amountCents).toBe(recovery.body.totals.collectedCents);
    expect(payments.body.totals.amountCents).toBeGreaterThan(0);
  });

  it('inbound upserts enter every balance change as a ledger row; sending the same again adds none', async () => {
    const account = {
      agencyAccountNumber: 'CS-8000001', clientCode: 'CPL', clientAccountNumber: 'LV-1', debtorName: 'DOE, JANE', accountType: 'utility', placedOn: '2026-11-01',
      balances: [{ component: 'principal', originalCents: 25_000, currentCents: 20_000 }, { component: 'fees', originalCents: 1_000, currentCents: 1_000 }],
    };
    const created = await inbound('accounts', account);
    expect(created.status, created.text).toBe(200);
    expect(created.body.results[0], created.text).toMatchObject({ status: 'created' });
    const row = await api.db('accounts').where({ agencyAccountNumber: 'CS-8000001' }).first();
    const ledger = () => api.db('transactions').where({ accountId: row.id }).orderBy('id');
    expect(await ledger()).toMatchObject([{ kind: 'correction', principalDeltaCents: -5_000, feesDeltaCents: 0, balanceAfterCents: 20_000 }]);
    // the collection system reports the balance went down; then it restates what was placed
    expect((await inbound('balances', { agencyAccountNumber: 'CS-8000001', component: 'principal', originalCents: 25_000, currentCents: 12_500 })).body.counts.updated).toBe(1);
    expect((await inbound('balances', { agencyAccountNumber: 'CS-8000001', component: 'fees', originalCents: 1_500, currentCents: 1_000 })).body.counts.updated).toBe(1);
    expect((await inbound('balances', { agencyAccountNumber: 'CS-8000001', component: 'principal', originalCents: 25_000, currentCents: 12_500 })).body.counts.unchanged).toBe(1);
    const rows = await ledger();
    expect(rows.map((r: any) => [Number(r.principalDeltaCents), Number(r.feesDeltaCents), Number(r.balanceAfterCents)])).toEqual([[-5_000, 0, 20_000], [-7_500, 0, 13_500], [0, -500, 13_500]]);
    expect(Number((await api.db('accounts').where({ id: row.id }).first()).balanceCents)).toBe(13_500);
    expect(await verifyLedger(api.db)).toMatchObject({ ok: true, mismatches: [] });
  });

  it('finds a balance written behind the ledger\'s back', async () => {
    const row = await api.db('accounts').where({ agencyAccountNumber: 'CS-8000001' }).first();
    await api.db('account_balances').where({ accountId: row.id, component: 'principal' }).update({ currentCents: 99 });
    const result = await verifyLedger(api.db);
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual([{ account: row.publicId, agencyAccountNumber: 'CS-8000001', problem: expect.stringContaining('principal is 99 but placed 25000 + ledger -12500 = 12500') }]);
    await api.db('account_balances').where({ accountId: row.id, component: 'principal' }).update({ currentCents: 12_500 });
    expect((await verifyLedger(api.db)).ok).toBe(true);
  });
});
