/**
 * Reports: the catalogue by permission, each built-in report's figures checked against the tables
 * (accounts, account_balances, activity) on seeded data, tenancy, parameter validation, and the CSV
 * and XLSX exports read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DIALECTS, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { ageBucketOf } from '../../api/reports/report.params.js';
import { toDateOnly } from '../../api/platform/db.js';
import { parseCsv } from './csv.js';

const cents = (v: unknown) => Number(v ?? 0);

describe.each(DIALECTS)('reports (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let cpl: { id: number; publicId: string };
  let sbrh: { id: number; publicId: string };
  const run = (token: string, key: string, body: object = {}) => api.request(`/reports/${key}/run`, { token, body });

  /** The accounts a report counts, straight from the tables. */
  const accepted = (clientId?: number) => {
    const q = api.db('accounts').where('review_status', 'accepted');
    if (clientId) q.where('client_id', clientId);
    return q;
  };
  async function originalOf(ids: number[]): Promise<number> {
    let sum = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const [r] = await api.db('account_balances').whereIn('account_id', ids.slice(i, i + 500)).sum({ s: 'original_cents' });
      sum += cents(r!.s);
    }
    return sum;
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 300 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    cpl = await api.db('clients').where({ code: 'CPL' }).first('id', 'public_id');
    sbrh = await api.db('clients').where({ code: 'SBRH' }).first('id', 'public_id');
  });
  afterAll(() => api.close());

  it('lists the catalogue with typed parameters and only the caller\'s clients as options', async () => {
    const res = await api.request('/reports', { token: client });
    expect(res.status).toBe(200);
    expect(res.body.data.map((r: { key: string }) => r.key)).toEqual(['inventory', 'status', 'payments', 'recovery', 'activity']);
    const inventory = res.body.data[0];
    expect(inventory).toMatchObject({ title: 'Placement inventory', formats: ['json', 'csv', 'xlsx', 'pdf'], lastSnapshotAt: null, chart: null });
    expect(inventory.parameters.map((p: { type: string }) => p.type)).toEqual(['dateRange', 'clients', 'statuses', 'ageBuckets', 'date']);
    const clients = inventory.parameters.find((p: { type: string }) => p.type === 'clients');
    expect(clients.options).toEqual([{ value: cpl.publicId, label: 'Cascade Power & Light' }]);
    const recovery = res.body.data.find((r: { key: string }) => r.key === 'recovery');
    expect(recovery.chart).toEqual({ type: 'bar', labelKey: 'group', series: [{ key: 'placedCents', label: 'Placed' }, { key: 'collectedCents', label: 'Collected' }] });
    const agencyRes = await api.request('/reports', { token: agency });
    expect(agencyRes.body.data[0].parameters.find((p: { type: string }) => p.type === 'clients').options).toHaveLength(4);
    // The agency sees the internal/client visibility column of the activity report; a client does not.
    const cols = (body: { data: { key: string; columns: { key: string }[] }[] }) => body.data.find((r) => r.key === 'activity')!.columns.map((c) => c.key);
    expect(cols(agencyRes.body)).toContain('visibility');
    expect(cols(res.body)).not.toContain('visibility');
  });

  it('filters the catalogue by permission; a report the caller may not run is a 404; no reports.run is a 403', async () => {
    const role = await api.db('roles').where({ key: 'client_manager' }).first('permissions');
    try {
      await api.db('roles').where({ key: 'client_manager' }).update({ permissions: JSON.stringify(['reports.run', 'accounts.read']) });
      const res = await api.request('/reports', { token: client });
      expect(res.body.data.map((r: { key: string }) => r.key)).toEqual(['inventory', 'status', 'activity']);
      expect((await run(client, 'payments')).status).toBe(404);
      expect((await run(client, 'recovery', { format: 'csv' })).status).toBe(404);
      await api.db('roles').where({ key: 'client_manager' }).update({ permissions: JSON.stringify(['accounts.read']) });
      expect((await api.request('/reports', { token: client })).status).toBe(403);
      expect((await run(client, 'inventory')).status).toBe(403);
    } finally {
      await api.db('roles').where({ key: 'client_manager' }).update({ permissions: role.permissions });
    }
    expect((await run(client, 'no-such-report')).status).toBe(404);
    expect((await api.request('/reports')).status).toBe(401);
  });

  it('inventory: rows and totals match the accounts and their balance components', async () => {
    const res = await run(agency, 'inventory', { pageSize: 1000 });
    expect(res.status).toBe(200);
    const rows = (await accepted().orderBy('id').select('id', 'agency_account_number', 'balance_cents', 'paid_to_date_cents', 'placed_on', 'status')) as {
      id: number; agencyAccountNumber: string; balanceCents: number; paidToDateCents: number; placedOn: unknown; status: string;
    }[];
    expect(res.body.total).toBe(rows.length);
    expect(res.body.rows).toHaveLength(rows.length);
    expect(res.body.generatedAt).toEqual(ISO_DATETIME);
    const sample = rows[7]!;
    const shown = res.body.rows.find((r: { agencyAccountNumber: string }) => r.agencyAccountNumber === sample.agencyAccountNumber);
    expect(shown).toMatchObject({ balanceCents: cents(sample.balanceCents), paidCents: cents(sample.paidToDateCents), placedOn: toDateOnly(sample.placedOn), status: sample.status });
    expect(shown.originalCents).toBe(await originalOf([sample.id]));
    const sum = (k: 'balanceCents' | 'paidToDateCents') => rows.reduce((s, r) => s + cents(r[k]), 0);
    expect(res.body.totals).toMatchObject({
      agencyAccountNumber: 'Total', debtorName: `${rows.length} accounts`, balanceCents: sum('balanceCents'), paidCents: sum('paidToDateCents'),
      originalCents: await originalOf(rows.map((r) => r.id)),
    });
    // Paging: page 2 of 50 continues where page 1 stopped.
    const p1 = await run(agency, 'inventory', { pageSize: 50 });
    const p2 = await run(agency, 'inventory', { pageSize: 50, page: 2 });
    expect(p2.body.rows[0].agencyAccountNumber).toBe(res.body.rows[50].agencyAccountNumber);
    expect(p1.body.rows).toHaveLength(50);
  });

  it('scopes every report to the caller\'s clients; another client is a 404', async () => {
    const res = await run(client, 'inventory', { pageSize: 1000 });
    const expected = await accepted(cpl.id).count({ n: '*' });
    expect(res.body.total).toBe(Number(expected[0]!.n));
    expect(new Set(res.body.rows.map((r: { client: string }) => r.client))).toEqual(new Set(['Cascade Power & Light']));
    const foreign = await run(client, 'inventory', { parameters: { clientIds: [sbrh.publicId] } });
    expect(foreign.status).toBe(404);
    for (const key of ['status', 'payments', 'recovery', 'activity']) {
      expect((await run(client, key, { parameters: { clientIds: [sbrh.publicId] } })).status, key).toBe(404);
      expect((await run(client, key, { format: 'csv', parameters: { clientIds: [sbrh.publicId] } })).status, key).toBe(404);
    }
    const status = await run(client, 'status');
    expect(status.body.totals.accounts).toBe(Number(expected[0]!.n));
    // The agency narrowed to one client sees the same figure.
    const agencyView = await run(agency, 'status', { parameters: { clientIds: [cpl.publicId] } });
    expect(agencyView.body.totals).toEqual(status.body.totals);
  });

  it('status: accounts, paid and balance per status match a GROUP BY on the accounts', async () => {
    const res = await run(agency, 'status');
    const groups = (await accepted().groupBy('status').select('status').count({ n: '*' }).sum({ b: 'balance_cents' }).sum({ p: 'paid_to_date_cents' })) as {
      status: string; n: unknown; b: unknown; p: unknown;
    }[];
    expect(res.body.rows).toHaveLength(groups.length);
    for (const g of groups) {
      const row = res.body.rows.find((r: { status: string }) => r.status === g.status);
      expect(row, g.status).toMatchObject({ accounts: Number(g.n), balanceCents: cents(g.b), paidCents: cents(g.p) });
    }
    expect(res.body.rows.reduce((s: number, r: { share: number }) => s + r.share, 0)).toBeCloseTo(100, 0);
    expect(res.body.chart.series[0].key).toBe('accounts');
  });

  it('status filters: statuses, placement range and age buckets narrow the accounts as the tables say', async () => {
    const res = await run(agency, 'status', { parameters: { statuses: ['active', 'hold'], from: '2025-01-01', to: '2025-12-31' } });
    const [n] = await accepted().whereIn('status', ['active', 'hold']).whereBetween('placed_on', ['2025-01-01', '2025-12-31']).count({ n: '*' });
    expect(res.body.totals.accounts).toBe(Number(n!.n));
    expect(res.body.rows.map((r: { status: string }) => r.status).sort()).toEqual(['active', 'hold']);
    const asOf = '2026-11-01';
    const aged = await run(agency, 'status', { parameters: { ageBuckets: ['0-90', '731+'], asOf } });
    const all = (await accepted().select('placed_on')) as { placedOn: unknown }[];
    const inBuckets = all.filter((a) => ['0-90', '731+'].includes(ageBucketOf(toDateOnly(a.placedOn)!, asOf))).length;
    expect(inBuckets).toBeGreaterThan(0);
    expect(aged.body.totals.accounts).toBe(inBuckets);
  });

  it('recovery: placed, collected and rate by client, client group and age bucket', async () => {
    const byClient = await run(agency, 'recovery', { parameters: { groupBy: 'client' } });
    expect(byClient.status).toBe(200);
    const clients = (await api.db('clients').select('id', 'name', 'kind')) as { id: number; name: string; kind: string }[];
    for (const c of clients) {
      const accts = (await accepted(c.id).select('id', 'paid_to_date_cents')) as { id: number; paidToDateCents: number }[];
      const row = byClient.body.rows.find((r: { group: string }) => r.group === c.name);
      const placed = await originalOf(accts.map((a) => a.id));
      const collected = accts.reduce((s, a) => s + cents(a.paidToDateCents), 0);
      expect(row, c.name).toEqual({
        group: c.name, accounts: accts.length, placedCents: placed, collectedCents: collected,
        recoveryRate: Math.round((collected * 1000) / placed) / 10, balanceCents: expect.any(Number),
      });
    }
    const byGroup = await run(agency, 'recovery', { parameters: { groupBy: 'clientGroup' } });
    expect(byGroup.body.rows.map((r: { group: string }) => r.group).sort()).toEqual(['Clinics', 'Commercial (B2B)', 'Hospitals', 'Utilities']);
    expect(byGroup.body.totals).toEqual(byClient.body.totals);
    const asOf = '2026-11-01';
    const byAge = await run(agency, 'recovery', { parameters: { groupBy: 'ageBucket', asOf } });
    const all = (await accepted().select('placed_on')) as { placedOn: unknown }[];
    const counts = new Map<string, number>();
    for (const a of all) counts.set(ageBucketOf(toDateOnly(a.placedOn)!, asOf), (counts.get(ageBucketOf(toDateOnly(a.placedOn)!, asOf)) ?? 0) + 1);
    const labels: Record<string, string> = { '0-90': '0–90 days', '91-180': '91–180 days', '181-365': '181–365 days', '366-730': '1–2 years', '731+': 'Over 2 years' };
    expect(byAge.body.rows.map((r: { group: string; accounts: number }) => [r.group, r.accounts])).toEqual(
      ['0-90', '91-180', '181-365', '366-730', '731+'].filter((k) => counts.has(k)).map((k) => [labels[k], counts.get(k)]),
    );
    expect(byAge.body.totals.collectedCents).toBe(byClient.body.totals.collectedCents);
  });

  it('activity: the entries in the date range; a client never sees internal entries', async () => {
    const params = { from: '2026-01-01', to: '2026-06-30' };
    const agencyRes = await run(agency, 'activity', { parameters: params, pageSize: 1000 });
    const clientRes = await run(client, 'activity', { parameters: params, pageSize: 1000 });
    const q = () => api.db('activity').join('accounts', 'accounts.id', 'activity.account_id').where('accounts.review_status', 'accepted')
      .where('activity.occurred_at', '>=', new Date('2026-01-01T00:00:00Z')).where('activity.occurred_at', '<', new Date('2026-07-01T00:00:00Z'));
    const [all] = await q().count({ n: '*' });
    const [cplClient] = await q().where('accounts.client_id', cpl.id).where('activity.visibility', 'client').count({ n: '*' });
    expect(agencyRes.body.total).toBe(Number(all!.n));
    expect(clientRes.body.total).toBe(Number(cplClient!.n));
    expect(agencyRes.body.rows.some((r: { visibility: string }) => r.visibility === 'internal')).toBe(true);
    expect(clientRes.body.rows.some((r: { body: string }) => r.body.startsWith('INTERNAL'))).toBe(false);
    for (const r of clientRes.body.rows) expect(r.occurredAt >= '2026-01-01' && r.occurredAt < '2026-07-01').toBe(true);
  });

  it('payments and remittance read the transactions ledger: date range, fee rounding, tenancy, CSV', async () => {
    const mine = await accepted(cpl.id).where('status', 'active').where('balance_cents', '>', 200_000).orderBy('id').first('id', 'public_id', 'agency_account_number');
    const theirs = await accepted(sbrh.id).where('status', 'active').where('balance_cents', '>', 200_000).orderBy('id').first('public_id');
    const post = async (token: string, id: string, body: object) => {
      const res = await api.request(`/accounts/${id}/payments`, { token, body });
      expect(res.status, res.text).toBe(201);
    };
    await post(client, mine.publicId, { amountCents: 10_001, paidOn: '2026-11-05', method: 'check', reference: 'CHK-1' });
    await post(client, mine.publicId, { amountCents: 2_500, paidOn: '2026-11-12', method: 'card' });
    await post(client, mine.publicId, { amountCents: 7_000, paidOn: '2026-11-20', method: 'ach' });
    await post(agency, theirs.publicId, { amountCents: 99_900, paidOn: '2026-11-08', method: 'card' });
    const credit = await api.request(`/accounts/${mine.publicId}/adjustments`, { token: agency, body: { type: 'credit', amountCents: 5_000, reason: 'Goodwill credit', effectiveOn: '2026-11-13' } });
    expect(credit.status, credit.text).toBe(201);

    // after the seeded data's as-of day (2026-11-01): the seed's own ledger payments are all before it
    const res = await run(client, 'payments', { parameters: { from: '2026-11-01', to: '2026-11-15' } });
    expect(res.status).toBe(200);
    expect(res.body.notices).toEqual(['Agency fee at 25% of each payment.']);
    expect(res.body.rows).toEqual([
      { paidOn: '2026-11-05', agencyAccountNumber: mine.agencyAccountNumber, debtorName: expect.any(String), client: 'Cascade Power & Light', method: 'check', reference: 'CHK-1', amountCents: 10_001, feeCents: 2_500, netCents: 7_501 },
      { paidOn: '2026-11-12', agencyAccountNumber: mine.agencyAccountNumber, debtorName: expect.any(String), client: 'Cascade Power & Light', method: 'card', reference: null, amountCents: 2_500, feeCents: 625, netCents: 1_875 },
    ]);
    expect(res.body.totals).toMatchObject({ debtorName: '2 payments', amountCents: 12_501, feeCents: 3_125, netCents: 9_376 });
    const agencyAll = await run(agency, 'payments', { parameters: { from: '2026-11-01', to: '2026-11-24' } });
    expect(agencyAll.body.total).toBe(4);
    expect(agencyAll.body.totals.amountCents).toBe(10_001 + 2_500 + 7_000 + 99_900);
    const [ledger] = await api.db('transactions').where('kind', 'payment').where('effective_date', '>=', '2026-11-01').sum({ s: 'amount_cents' });
    expect(agencyAll.body.totals.amountCents).toBe(Number(ledger!.s));
    const csv = parseCsv((await run(client, 'payments', { format: 'csv', parameters: { from: '2026-11-01', to: '2026-11-15' } })).text);
    expect(csv.map((r) => r[6])).toEqual(['Amount', '100.01', '25.00', '125.01']);
    // The recovery summary's collected figure follows the ledger (paid to date moves with each payment).
    const recovery = await run(client, 'recovery', { parameters: { groupBy: 'client' } });
    const [paid] = await accepted(cpl.id).sum({ s: 'paid_to_date_cents' });
    expect(recovery.body.totals.collectedCents).toBe(Number(paid!.s));
  });

  it('rejects bad parameters with 400 problem+json', async () => {
    const bad = [
      { parameters: { from: '2026-02-30' } },
      { parameters: { from: '2026-05-01', to: '2026-01-01' } },
      { parameters: { statuses: ['nope'] } },
      { parameters: { groupBy: 'client' } }, // inventory takes no groupBy
      { format: 'docx' },
      { pageSize: 5000 },
      { surprise: true },
    ];
    for (const body of bad) {
      const res = await run(agency, 'inventory', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('exports CSV: the whole report streamed, totals last, money as decimals, formulas neutralised', async () => {
    const target = await accepted(cpl.id).orderBy('id').first('id', 'debtor_name');
    const other = await accepted(cpl.id).orderBy('id', 'desc').first('id', 'debtor_name');
    await api.db('accounts').where({ id: target.id }).update({ debtorName: '=HYPERLINK("http://evil.example","click")' });
    await api.db('accounts').where({ id: other.id }).update({ debtorName: '@SUM(1+1), "quoted"' });
    try {
      const res = await run(client, 'inventory', { format: 'csv' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="inventory-\d{4}-\d\d-\d\d\.csv"$/);
      // (fetch's text() drops the byte-order mark; the bytes are checked in the streaming test)
      expect(res.text.startsWith('Account,Client account,Debtor,')).toBe(true);
      const rows = parseCsv(res.text);
      const json = await run(client, 'inventory', { pageSize: 1000 });
      expect(rows).toHaveLength(json.body.total + 2);
      const names = rows.map((r) => r[2]);
      expect(names).toContain('\'=HYPERLINK("http://evil.example","click")');
      expect(names).toContain('\'@SUM(1+1), "quoted"');
      for (const r of rows.slice(1)) for (const f of r) expect(f).not.toMatch(/^[=+@]/);
      const last = rows[rows.length - 1]!;
      expect(last[0]).toBe('Total');
      const money = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
      expect(last[9]).toBe(money(json.body.totals.balanceCents));
      expect(rows[1]![9]).toBe(money(json.body.rows[0].balanceCents));
    } finally {
      await api.db('accounts').where({ id: target.id }).update({ debtorName: target.debtorName });
      await api.db('accounts').where({ id: other.id }).update({ debtorName: other.debtorName });
    }
  });

  it('exports XLSX that exceljs reads back with the same rows, numbers as numbers', async () => {
    const res = await fetch(`${api.url}/api/v1/reports/recovery/run`, {
      method: 'POST', headers: { Authorization: `Bearer ${agency}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ format: 'xlsx', parameters: { groupBy: 'client' } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Recovery summary');
    const json = await run(agency, 'recovery', { parameters: { groupBy: 'client' } });
    expect(ws.rowCount).toBe(json.body.rows.length + 2);
    expect(ws.getRow(1).values).toEqual([undefined, 'Group', 'Accounts', 'Placed', 'Collected', 'Recovery rate', 'Balance']);
    json.body.rows.forEach((r: { group: string; accounts: number; placedCents: number; recoveryRate: number }, i: number) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value).toBe(r.group);
      expect(row.getCell(2).value).toBe(r.accounts);
      expect(row.getCell(3).value).toBeCloseTo(r.placedCents / 100, 2);
      expect(row.getCell(3).numFmt).toBe('#,##0.00');
      expect(row.getCell(5).value).toBe(r.recoveryRate);
    });
    expect(ws.getRow(ws.rowCount).getCell(1).value).toBe('Total');
  });

  it('a large export streams: 1,000+ activity rows as CSV in chunks', async () => {
    const res = await fetch(`${api.url}/api/v1/reports/activity/run`, {
      method: 'POST', headers: { Authorization: `Bearer ${agency}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ format: 'csv' }),
    });
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const [n] = await api.db('activity').join('accounts', 'accounts.id', 'activity.account_id').where('accounts.review_status', 'accepted').count({ n: '*' });
    expect(Number(n!.n)).toBeGreaterThan(1000);
    expect(parseCsv(text.slice(1))).toHaveLength(Number(n!.n) + 2);
  });
});
