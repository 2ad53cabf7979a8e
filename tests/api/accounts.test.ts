import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATE, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';

describe.each(DIALECTS)('account search and detail (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let group: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 600 });
    agency = await api.login('demo.agency');
    group = await api.login('demo.group');
  });
  afterAll(() => api.close());

  it('pages of 10 by default with the total, in the grid shape', async () => {
    const res = await api.request('/accounts', { token: agency });
    expect(res.status).toBe(200);
    expect(res.body.pageSize).toBe(10);
    expect(res.body.page).toBe(1);
    expect(res.body.data).toHaveLength(10);
    const accepted = await api.db('accounts').where({ reviewStatus: 'accepted' }).count({ n: '*' });
    expect(res.body.total).toBe(Number(accepted[0]!.n));
    expect(res.body.data[0]).toEqual({
      id: ID('acct'), debtorName: expect.any(String), agencyAccountNumber: expect.stringMatching(/^NR\d{7}$/),
      clientAccountNumber: expect.any(String), routingNumber: null, checkNumber: null,
      balance: { amountCents: expect.any(Number), currency: 'USD' }, lastActivityAt: ISO_DATETIME, placedOn: ISO_DATE,
      status: expect.any(String), client: { id: ID('cli'), name: expect.any(String) },
    });
    const page2 = await api.request('/accounts?page=2', { token: agency });
    expect(page2.body.data[0].id).not.toBe(res.body.data[0].id);
  });

  it('finds by name prefix, last name first, ignoring case and punctuation', async () => {
    const res = await api.request('/accounts?name=smi&pageSize=100', { token: agency });
    expect(res.body.total).toBeGreaterThan(0);
    for (const a of res.body.data) expect(a.debtorName.startsWith('SMI')).toBe(true);
    const obrien = await api.request(`/accounts?name=${encodeURIComponent("o'brien")}`, { token: agency });
    const plain = await api.request('/accounts?name=OBRIEN', { token: agency });
    expect(obrien.body.total).toBe(plain.body.total);
    // LIKE wildcards typed by a user are literal
    expect((await api.request('/accounts?name=%25', { token: agency })).body.total).toBe(0);
  });

  it('finds by agency and client account number, SSN last 4, phone, check numbers', async () => {
    const row = await api.db('accounts').where({ reviewStatus: 'accepted' }).first();
    const byNumber = await api.request(`/accounts?agencyAccountNumber=${row.agencyAccountNumber.toLowerCase()}`, { token: agency });
    expect(byNumber.body.data.map((a: { id: string }) => a.id)).toEqual([row.publicId]);
    const byClientNumber = await api.request(`/accounts?clientAccountNumber=${row.clientAccountNumber}`, { token: agency });
    expect(byClientNumber.body.data[0].id).toBe(row.publicId);
    const bySsn = await api.request(`/accounts?ssnLast4=${row.ssnLast4}&pageSize=100`, { token: agency });
    expect(bySsn.body.data.map((a: { id: string }) => a.id)).toContain(row.publicId);
    const phone = (await api.db('account_phones').where({ accountId: row.id }).first()).phone as string;
    const formatted = `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}`;
    const byPhone = await api.request(`/accounts?phone=${encodeURIComponent(formatted)}&pageSize=100`, { token: agency });
    expect(byPhone.body.data.map((a: { id: string }) => a.id)).toContain(row.publicId);
    const check = await api.db('accounts').whereNotNull('routing_number').where({ reviewStatus: 'accepted' }).first();
    const byCheck = await api.request(`/accounts?routingNumber=${check.routingNumber}&checkNumber=${check.checkNumber}`, { token: agency });
    expect(byCheck.body.data[0]).toMatchObject({ id: check.publicId, routingNumber: check.routingNumber, checkNumber: check.checkNumber });
  });

  it('filters by status, placed-date range and balance range', async () => {
    const held = await api.request('/accounts?status=hold&pageSize=100', { token: agency });
    expect(held.body.total).toBeGreaterThan(0);
    for (const a of held.body.data) expect(a.status).toBe('hold');
    const range = await api.request('/accounts?placedFrom=2025-01-01&placedTo=2025-06-30&pageSize=100', { token: agency });
    for (const a of range.body.data) expect(a.placedOn >= '2025-01-01' && a.placedOn <= '2025-06-30').toBe(true);
    const money = await api.request('/accounts?balanceMinCents=100000&balanceMaxCents=200000&pageSize=100', { token: agency });
    expect(money.body.total).toBeGreaterThan(0);
    for (const a of money.body.data) expect(a.balance.amountCents).toBeGreaterThanOrEqual(100000);
    for (const a of money.body.data) expect(a.balance.amountCents).toBeLessThanOrEqual(200000);
    const backwards = await api.request('/accounts?placedFrom=2025-06-30&placedTo=2025-01-01', { token: agency });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toBe('query.placedTo');
  });

  it('sorts by balance both ways and by last activity', async () => {
    const asc = await api.request('/accounts?sort=balance&order=asc&pageSize=50', { token: agency });
    const cents = asc.body.data.map((a: { balance: { amountCents: number } }) => a.balance.amountCents);
    expect(cents).toEqual([...cents].sort((a, b) => a - b));
    const desc = await api.request('/accounts?sort=balance&order=desc&pageSize=50', { token: agency });
    const dc = desc.body.data.map((a: { balance: { amountCents: number } }) => a.balance.amountCents);
    expect(dc).toEqual([...dc].sort((a, b) => b - a));
    const recent = await api.request('/accounts?sort=lastActivity&order=desc&pageSize=50', { token: agency });
    const dates = recent.body.data.map((a: { lastActivityAt: string }) => a.lastActivityAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('returns the account pane: parties, balance components, client-visible activity', async () => {
    const row = await api.db('accounts').join('activity', 'activity.account_id', 'accounts.id')
      .where('activity.visibility', 'internal').whereIn('accounts.client_id', api.db('user_clients').join('users', 'users.id', 'user_clients.user_id').where('users.username', 'demo.group').select('client_id'))
      .where('accounts.review_status', 'accepted').first('accounts.public_id', 'accounts.id', 'accounts.balance_cents');
    expect(row).toBeTruthy();
    const res = await api.request(`/accounts/${row.publicId}`, { token: group });
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.balanceDetail.components.map((c: { component: string }) => c.component)).toEqual(['principal', 'interest', 'fees', 'costs']);
    const sum = d.balanceDetail.components.reduce((s: number, c: { currentCents: number }) => s + c.currentCents, 0);
    expect(sum).toBe(d.balanceDetail.totalCents);
    expect(d.balanceDetail.totalCents).toBe(Number(row.balanceCents));
    expect(d.parties[0]).toMatchObject({ role: 'responsible', ssnLast4: expect.stringMatching(/^\d{4}$/), address: { state: expect.stringMatching(/^[A-Z]{2}$/) } });
    expect(JSON.stringify(d)).not.toMatch(/ssnEncrypted|ssnHash/);
    // internal notes never reach a client, by the pane or the timeline
    expect(d.recentActivity.every((a: { visibility: string }) => a.visibility === 'client')).toBe(true);
    expect(JSON.stringify(d)).not.toContain('INTERNAL:');
    const timeline = await api.request(`/accounts/${row.publicId}/activity?pageSize=100`, { token: group });
    expect(timeline.body.data.length).toBeGreaterThan(0);
    expect(timeline.body.data.every((a: { visibility: string }) => a.visibility === 'client')).toBe(true);
    // the agency sees them
    const asAgency = await api.request(`/accounts/${row.publicId}/activity?pageSize=100`, { token: agency });
    expect(asAgency.body.data.some((a: { visibility: string }) => a.visibility === 'internal')).toBe(true);
    expect(asAgency.body.total).toBeGreaterThan(timeline.body.total);
  });

  it('hides accounts pending review from client search and detail', async () => {
    const pending = await api.db('accounts').join('clients', 'clients.id', 'accounts.client_id').where('clients.code', 'CPL').first('accounts.id', 'accounts.public_id', 'accounts.agency_account_number');
    const client = await api.login('demo.client');
    expect((await api.request(`/accounts/${pending.publicId}`, { token: client })).status).toBe(200);
    await api.db('accounts').where({ id: pending.id }).update({ reviewStatus: 'pending_review' });
    expect((await api.request(`/accounts/${pending.publicId}`, { token: client })).status).toBe(404);
    expect((await api.request(`/accounts?agencyAccountNumber=${pending.agencyAccountNumber}`, { token: client })).body.total).toBe(0);
  });
});
