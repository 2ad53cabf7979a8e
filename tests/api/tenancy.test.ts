/**
 * Tenant isolation: a user linked to one client gets 404 for any account of another client, by
 * every account route, and never sees another client's account in search, whatever the filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { allRoutes } from '../../api/app.js';

/** Bodies valid enough to get past validation (a 400) to the account check, for routes that need one. */
const VALID_BODIES: Record<string, unknown> = {
  'post /accounts/:id/opt-outs': { channel: 'email', address: 'someone@mail.example', note: 'Asked by phone.' },
  'post /accounts/:id/esign-consents/withdraw': { note: 'Asked by phone.' },
  'post /accounts/:id/disputes': { kind: 'original_creditor_request' },
};

describe.each(DIALECTS)('tenant isolation (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let foreign: { publicId: string; agencyAccountNumber: string; clientAccountNumber: string; ssnLast4: string; id: number };
  let foreignClientId: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 300 });
    client = await api.login('demo.client'); // Cascade Power & Light only
    foreign = await api.db('accounts').join('clients', 'clients.id', 'accounts.client_id').where('clients.code', 'SBRH').where('accounts.review_status', 'accepted')
      .first('accounts.id', 'accounts.public_id', 'accounts.agency_account_number', 'accounts.client_account_number', 'accounts.ssn_last4');
    foreignClientId = (await api.db('clients').where({ code: 'SBRH' }).first('public_id')).publicId;
  });
  afterAll(() => api.close());

  it('answers 404 for another client\'s account on every account route', async () => {
    const accountRoutes = allRoutes({ db: api.db, config: api.config }).filter((r) => r.path.startsWith('/accounts/:id'));
    expect(accountRoutes.length).toBeGreaterThanOrEqual(2);
    for (const r of accountRoutes) {
      const body = VALID_BODIES[`${r.method} ${r.path}`] ?? {};
      const res = await api.request(r.path.replace(':id', foreign.publicId), { method: r.method.toUpperCase(), token: client, ...(r.method === 'get' ? {} : { body }) });
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
    }
    const missing = await api.request('/accounts/acct_doesnotexist00000000000000', { token: client });
    const other = await api.request(`/accounts/${foreign.publicId}`, { token: client });
    expect({ ...other.body, requestId: 0 }).toEqual({ ...missing.body, requestId: 0 });
  });

  it('never returns another client\'s account from search, whatever the filter', async () => {
    const filters = [
      `agencyAccountNumber=${foreign.agencyAccountNumber}`,
      `clientAccountNumber=${foreign.clientAccountNumber}`,
      `ssnLast4=${foreign.ssnLast4}&pageSize=100`,
      'pageSize=100&sort=balance&order=desc',
    ];
    const cpl = (await api.db('clients').where({ code: 'CPL' }).first('public_id')).publicId;
    for (const f of filters) {
      const res = await api.request(`/accounts?${f}`, { token: client });
      expect(res.status).toBe(200);
      for (const a of res.body.data) expect(a.client.id).toBe(cpl);
      expect(res.body.data.map((a: { id: string }) => a.id)).not.toContain(foreign.publicId);
    }
    const total = await api.request('/accounts', { token: client });
    const own = await api.db('accounts').join('clients', 'clients.id', 'accounts.client_id').where('clients.code', 'CPL').where('accounts.review_status', 'accepted').count({ n: '*' });
    expect(total.body.total).toBe(Number(own[0]!.n));
  });

  it('answers 404 when filtering by a client the user is not linked to', async () => {
    const res = await api.request(`/accounts?clientId=${foreignClientId}`, { token: client });
    expect(res.status).toBe(404);
  });

  it('lets a group user see both of its clients and nothing else', async () => {
    const group = await api.login('demo.group');
    const res = await api.request('/accounts?pageSize=100', { token: group });
    const names = new Set(res.body.data.map((a: { client: { name: string } }) => a.client.name));
    expect([...names].sort()).toEqual(['Lakeside Family Clinic', 'St. Brigid Regional Hospital']);
  });

  it('requires accounts.read: a role without it gets 403', async () => {
    await api.db('roles').where({ key: 'client_viewer' }).update({ permissions: JSON.stringify(['reports.run']) });
    await api.db('users').where({ username: 'demo.client' }).update({ roleId: (await api.db('roles').where({ key: 'client_viewer' }).first('id')).id });
    const token = await api.login('demo.client');
    const res = await api.request('/accounts', { token });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('accounts.read');
  });
});
