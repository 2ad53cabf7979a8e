/**
 * Agency account numbers come from two places: placing derives `NR` + a keyed permutation of the id
 * (not sequential: issue 17, item 13), and the
 * agency's collection system creates accounts with its own numbers through the inbound API. The
 * generated namespace belongs to the portal, so an inbound create inside it could only ever collide
 * with an account placed later (a unique-index violation in the placing transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { agencyNumberKey, generatedAgencyNumber, permuteId } from '../../api/placements/agency-number.js';

/** The id the next accounts row will get: the engine's own counter, not MAX(id) (ids have gaps). */
async function nextAccountId(api: TestApi): Promise<number> {
  if (api.dialect === 'mysql') {
    const [rows] = (await api.db.raw("SHOW TABLE STATUS LIKE 'accounts'")) as [{ Auto_increment: number | string }[]];
    return Number(rows[0]!.Auto_increment);
  }
  const row = (await api.db('sqlite_sequence').where({ name: 'accounts' }).first('seq')) as { seq: number } | undefined;
  return Number(row?.seq ?? 0) + 1;
}

const placement = (clientAccountNumber: string) => ({
  clientAccountNumber, accountType: 'utility', serviceDate: '2026-03-01', balance: { principalCents: 10_000 },
  responsible: { firstName: 'Ann', lastName: 'Lee', address: { address1: '1 Main St', city: 'Portland', state: 'OR', zip: '97205' } },
});

describe.each(DIALECTS)('agency account numbers: inbound vs generated (%s)', (dialect) => {
  let api: TestApi;
  let key: string;
  let agency: string;
  let client: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 10 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    key = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Core', scopes: ['accounts:write'] } })).body.key;
  });
  afterAll(() => api.close());

  const inboundAccount = (agencyAccountNumber: string) => ({
    agencyAccountNumber, clientCode: 'CPL', clientAccountNumber: `EXT-${agencyAccountNumber}`, debtorName: 'LEE, ANN', accountType: 'utility', placedOn: '2026-10-01',
  });

  it('refuses to create an account in the generated namespace, so the next placement keeps its number', async () => {
    // The inbound row would take id N; the placement after it N+1: aim at the number placing will generate.
    const next = await nextAccountId(api);
    const taken = generatedAgencyNumber(next + 1, agencyNumberKey(api.config.secrets.lookupKey));
    const accountsBefore = await api.db('accounts').count({ n: '*' });
    const res = await api.request('/integration/accounts', { token: key, body: [inboundAccount(taken), inboundAccount(taken.toLowerCase()), inboundAccount('CS-77')] });
    expect(res.status).toBe(200);
    const [reserved, lower, ok] = res.body.results;
    for (const r of [reserved, lower]) {
      expect(r).toMatchObject({ status: 'error', id: null });
      expect(r.errors).toEqual([{ path: 'agencyAccountNumber', code: 'reserved_account_number', message: expect.stringContaining('NR') }]);
    }
    expect(ok.status).toBe('created');
    expect(Number(((await api.db('accounts').count({ n: '*' })) as { n: number }[])[0]!.n)).toBe(Number((accountsBefore as { n: number }[])[0]!.n) + 1);
    expect(await api.db('audit_log').where({ action: 'account.create' }).whereRaw('after_json like ?', [`%${taken}%`])).toEqual([]);

    const placed = await api.request('/placements', { token: client, body: placement(`AN-${Date.now()}`) });
    expect(placed.status).toBe(201);
    const row = await api.db('placements').where({ publicId: placed.body.placement.id }).first('account_id');
    const account = await api.db('accounts').where({ id: row.accountId }).first();
    expect(account.agencyAccountNumber).toBe(taken);
    const accepted = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [placed.body.placement.id], decision: 'accept' } });
    expect(accepted.status).toBe(200);
  });

  it('still updates an existing portal-placed account by its generated number', async () => {
    const acct = await api.db('accounts').where('agency_account_number', 'like', 'NR%').first();
    const res = await api.request('/integration/accounts', { token: key, body: { agencyAccountNumber: acct.agencyAccountNumber, specialInstructions: 'Call after 5pm.' } });
    expect(res.body.results[0]).toMatchObject({ status: 'updated', id: acct.publicId });
  });

  it('numbers placed accounts non-sequentially: neighbours cannot be derived from one number', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const placed = await api.request('/placements', { token: client, body: placement(`SEQ-${api.dialect}-${i}`) });
      expect(placed.status).toBe(201);
      const row = await api.db('placements').where({ publicId: placed.body.placement.id }).first('account_id');
      numbers.push(((await api.db('accounts').where({ id: row.accountId }).first('agency_account_number')) as { agencyAccountNumber: string }).agencyAccountNumber);
    }
    for (const n of numbers) expect(n).toMatch(/^NR\d{10}$/);
    const values = numbers.map((n) => Number(n.slice(2)));
    const steps = values.slice(1).map((v, i) => v - values[i]!);
    // consecutive placements: no constant step, and far apart
    expect(new Set(steps).size).toBeGreaterThan(1);
    expect(steps.filter((d) => Math.abs(d) < 1000)).toEqual([]);
  });

  it('the permutation never repeats a number', () => {
    const key = agencyNumberKey(api.config.secrets.lookupKey);
    const seen = new Set<number>();
    for (let id = 0; id < 300_000; id++) seen.add(permuteId(id, key));
    expect(seen.size).toBe(300_000);
    for (const v of seen) if (v < 0 || v >= 1e10) throw new Error(`out of range: ${v}`);
  });
});
