/**
 * "My placements" (issue 19): GET /placements/batches lists the spreadsheets placed for the caller's
 * clients with their run and review counts; GET /placements?source=form|spreadsheet splits the
 * single placements from the rows of batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { mixedRows, toCsv } from './fixtures/placement-sheets.js';

describe.each(DIALECTS)('my placements (%s)', (dialect) => {
  let api: TestApi;
  let client: string; // demo.client: Cascade Power & Light
  let group: string; // demo.group: St. Brigid + Lakeside
  let agency: string;
  let batchId: string;

  const upload = async (token: string, body: string, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([body]), name);
    const res = await fetch(`${api.url}/api/v1/placements/batches`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    return (await res.json()) as { id: string; suggestedMapping: Record<string, string> };
  };

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 30 });
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    agency = await api.login('demo.agency');
    // one spreadsheet placed (6 of 10 rows), one uploaded and never started
    const up = await upload(client, toCsv(mixedRows('MINE')), 'march.csv');
    batchId = up.id;
    expect((await api.request(`/placements/batches/${up.id}/start`, { token: client, body: { mapping: up.suggestedMapping } })).status).toBe(202);
    await runWorkerOnce({ db: api.db, config: api.config });
    await upload(client, toCsv(mixedRows('LATER')), 'april.csv');
    // and one account by the form
    const single = await api.request('/placements', {
      token: client,
      body: {
        clientAccountNumber: 'FORM-0001', accountType: 'utility', balance: { principalCents: 12_345 },
        responsible: { firstName: 'Ada', lastName: 'Form', address: { address1: '1 Main St', city: 'Portland', state: 'OR', zip: '97205' } },
      },
    });
    expect(single.status).toBe(201);
  });
  afterAll(() => api.close());

  it('lists the caller’s spreadsheets newest first with status, counts, uploader and review counts', async () => {
    const res = await api.request('/placements/batches', { token: client });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(res.body.data.map((b: { fileName: string }) => b.fileName)).toEqual(['april.csv', 'march.csv']);
    expect(res.body.data[1]).toEqual({
      id: batchId, status: 'completed', mode: 'place', client: { id: ID('cli'), name: 'Cascade Power & Light' }, fileName: 'march.csv', format: 'csv',
      rowsTotal: 10, rowsDone: 10, rowsPlaced: 6, rowsInvalid: 3, rowsDuplicate: 1, progress: 1, failure: null,
      createdAt: ISO_DATETIME, finishedAt: ISO_DATETIME, errorReportUrl: `/api/v1/placements/batches/${batchId}/errors.csv`,
      createdBy: 'Dana Whitfield', review: { pending: 6, accepted: 0, rejected: 0 },
    });
    expect(res.body.data[0]).toMatchObject({ status: 'uploaded', rowsPlaced: 0, review: { pending: 0, accepted: 0, rejected: 0 } });
    const paged = await api.request('/placements/batches?pageSize=1&page=2', { token: client });
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1, data: [{ id: batchId }] });
  });

  it('the agency’s decisions show in the review counts', async () => {
    const rows = (await api.request(`/placements?batchId=${batchId}`, { token: client })).body.data as { id: string }[];
    expect(rows).toHaveLength(6);
    expect((await api.request('/agency/placements/review', { token: agency, body: { placementIds: rows.slice(0, 2).map((r) => r.id), decision: 'accept' } })).status).toBe(200);
    expect((await api.request('/agency/placements/review', { token: agency, body: { placementIds: [rows[2]!.id], decision: 'reject', reason: 'Paid in full' } })).status).toBe(200);
    const list = (await api.request('/placements/batches', { token: client })).body.data as { id: string; review: unknown }[];
    expect(list.find((b) => b.id === batchId)!.review).toEqual({ pending: 3, accepted: 2, rejected: 1 });
  });

  it('tenancy: another client’s user sees none of them; the agency sees every client’s; mine=true keeps the caller’s own uploads', async () => {
    expect((await api.request('/placements/batches', { token: group })).body).toMatchObject({ total: 0, data: [] });
    const all = await api.request('/placements/batches', { token: agency });
    expect(all.status).toBe(200);
    expect(all.body.data.map((b: { id: string }) => b.id)).toContain(batchId);
    expect((await api.request('/placements/batches?mine=true', { token: agency })).body.total).toBe(0);
    expect((await api.request('/placements/batches?mine=true', { token: client })).body.total).toBe(2);
    expect((await api.request('/placements/batches?clientId=cli_nope123', { token: client })).status).toBe(404);
    expect((await api.request('/placements/batches')).status).toBe(401);
  });

  it('GET /placements?source= splits the form’s placements from the rows of spreadsheets', async () => {
    const form = await api.request('/placements?source=form', { token: client });
    expect(form.body.data.map((p: { clientAccountNumber: string }) => p.clientAccountNumber)).toEqual(['FORM-0001']);
    const sheet = await api.request('/placements?source=spreadsheet', { token: client });
    expect(sheet.body.total).toBe(6);
    expect(sheet.body.data.every((p: { batchId: string | null }) => p.batchId === batchId)).toBe(true);
    expect((await api.request('/placements?source=fax', { token: client })).status).toBe(400);
  });
});
