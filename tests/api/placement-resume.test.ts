/**
 * An upload left at the mapping step is picked up again: the draft mapping is saved with the batch
 * (PUT …/mapping), the mapping step is read back (GET …/mapping), and an unwanted upload is
 * discarded (DELETE …/:id) with its stored spreadsheet. Tenancy: another client's user gets 404;
 * a client user without accounts.place gets 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { createUser } from '../../api/users/users.service.js';
import { mixedRows, toCsv } from './fixtures/placement-sheets.js';

describe.each(DIALECTS)('resuming a bulk placement upload (%s)', (dialect) => {
  let api: TestApi;
  let client: string; // demo.client: Cascade Power & Light
  let group: string; // demo.group: St. Brigid + Lakeside (another tenant)
  let agency: string;
  let viewer: string; // a Cascade user without accounts.place

  const upload = async (name: string, prefix = 'RES') => {
    const form = new FormData();
    form.append('file', new Blob([toCsv(mixedRows(prefix))]), name);
    const res = await fetch(`${api.url}/api/v1/placements/batches`, { method: 'POST', headers: { Authorization: `Bearer ${client}` }, body: form });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; suggestedMapping: Record<string, string>; columns: string[] };
  };
  const put = (id: string, mapping: unknown, token = client) => api.request(`/placements/batches/${id}/mapping`, { method: 'PUT', token, body: { mapping } });
  const step = (id: string, token = client) => api.request(`/placements/batches/${id}/mapping`, { token });
  const discard = (id: string, token = client) => api.request(`/placements/batches/${id}`, { method: 'DELETE', token });
  const audits = (id: string, action: string) => api.db('audit_log').where({ targetId: id, action });
  const storedName = async (id: string) => ((await api.db('placement_batches').where({ publicId: id }).first('stored_name')) as { storedName: string }).storedName;

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    agency = await api.login('demo.agency');
    await api.db.transaction((trx) =>
      createUser(trx, { username: 'cpl.viewer', email: 'viewer@cascadepower.example', firstName: 'Vic', lastName: 'Viewer', roleKey: 'client_viewer', clientCodes: ['CPL'], password: 'Viewer-Pass-2026!', onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );
    viewer = await api.login('cpl.viewer', 'Viewer-Pass-2026!');
  });
  afterAll(() => api.close());

  it('saves the mapping as it is edited and gives the mapping step back with it; the start uses it', async () => {
    const up = await upload('left behind.csv');
    const fresh = await step(up.id);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ id: up.id, status: 'uploaded', fileName: 'left behind.csv', columns: up.columns, suggestedMapping: up.suggestedMapping, mappingSource: 'headers', savedMapping: null, savedAt: null });
    expect(fresh.body.sampleRows).toHaveLength(5);
    expect(fresh.body.sampleRows[0][3]).toBe('***-**-1001'); // SSNs masked, as at the upload
    expect(fresh.body.fields.find((f: { field: string }) => f.field === 'clientAccountNumber')).toEqual({ field: 'clientAccountNumber', label: expect.any(String), required: true });

    // a draft: the person cleared Balance (required) and moved Notes; still saved
    const draft = { ...up.suggestedMapping, principal: '', comments: 'Service Date' };
    const saved = await put(up.id, draft);
    expect(saved.status).toBe(200);
    const { principal: _dropped, ...kept } = draft;
    expect(saved.body).toEqual({ id: up.id, mapping: kept, savedAt: ISO_DATETIME });
    expect((await step(up.id)).body).toMatchObject({ savedMapping: kept, savedAt: saved.body.savedAt, suggestedMapping: up.suggestedMapping });
    const rows = await audits(up.id, 'placement.batch.mapping');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].afterJson ?? rows[0].after)).toEqual({ mapping: kept });
    // the same draft again changes nothing and writes no second audit row
    expect((await put(up.id, kept)).status).toBe(200);
    expect(await audits(up.id, 'placement.batch.mapping')).toHaveLength(1);

    // a column the file does not have, a field that does not exist: 400, nothing saved
    const unknown = await put(up.id, { ...kept, ssn: 'Social' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual(expect.objectContaining({ path: 'mapping.ssn', code: 'unknown_column' }));
    expect((await put(up.id, { nope: 'Acct #' })).status).toBe(400);
    expect((await api.request(`/placements/batches/${up.id}/mapping`, { method: 'PUT', token: client, rawBody: '{', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect((await step(up.id)).body.savedMapping).toEqual(kept);

    // finished and started: the run's mapping; afterwards the mapping can no longer change or be discarded
    const run = await api.request(`/placements/batches/${up.id}/start`, { token: client, body: { mapping: up.suggestedMapping, remember: false } });
    expect(run.status).toBe(202);
    expect((await put(up.id, kept)).status).toBe(409);
    await runWorkerOnce({ db: api.db, config: api.config });
    expect((await step(up.id)).status).toBe(409);
    const late = await discard(up.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('batch_not_discardable');
  });

  it('discards an upload not placed: the batch and its stored file go, audited; a dry-run batch too', async () => {
    const up = await upload('not wanted.csv', 'DIS');
    const key = await storedName(up.id);
    expect(await api.storedFiles()).toContain(key);
    await put(up.id, up.suggestedMapping);
    const res = await discard(up.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await api.storedFiles()).not.toContain(key);
    expect((await api.request(`/placements/batches/${up.id}`, { token: client })).status).toBe(404);
    expect((await api.request('/placements/batches', { token: client })).body.data.map((b: { id: string }) => b.id)).not.toContain(up.id);
    const [audit] = await audits(up.id, 'placement.batch.discard');
    expect(audit).toMatchObject({ targetType: 'placement_batch' });
    expect((await discard(up.id)).status).toBe(404);

    const checked = await upload('checked only.csv', 'DRY');
    expect((await api.request(`/placements/batches/${checked.id}/start`, { token: client, body: { mapping: checked.suggestedMapping, mode: 'validate', remember: false } })).status).toBe(202);
    await runWorkerOnce({ db: api.db, config: api.config });
    expect((await api.request(`/placements/batches/${checked.id}`, { token: client })).body.status).toBe('validated');
    // a checked batch reopens at its mapping (the one the check used)
    expect((await step(checked.id)).body).toMatchObject({ status: 'validated', savedMapping: checked.suggestedMapping });
    const checkedKey = await storedName(checked.id);
    expect((await discard(checked.id)).status).toBe(204);
    expect(await api.storedFiles()).not.toContain(checkedKey);
    expect(await api.db('placement_batch_errors').whereNotIn('batch_id', api.db('placement_batches').select('id'))).toHaveLength(0);
  });

  it('tenancy and permission: another client’s user gets 404, a client user without accounts.place gets 403, the agency may', async () => {
    const up = await upload('tenancy.csv', 'TEN');
    for (const token of [group]) {
      expect((await step(up.id, token)).status).toBe(404);
      expect((await put(up.id, up.suggestedMapping, token)).status).toBe(404);
      expect((await discard(up.id, token)).status).toBe(404);
    }
    for (const res of [await step(up.id, viewer), await put(up.id, up.suggestedMapping, viewer), await discard(up.id, viewer)]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await api.request('/placements/batches/plb_doesnotexist', { method: 'DELETE', token: client })).status).toBe(404);
    // nothing was changed by the refused calls
    expect(await audits(up.id, 'placement.batch.mapping')).toHaveLength(0);
    expect(await api.storedFiles()).toContain(await storedName(up.id));
    // the agency sees every client's uploads
    expect((await step(up.id, agency)).body).toMatchObject({ id: up.id, client: { id: ID('cli') } });
    expect((await put(up.id, up.suggestedMapping, agency)).status).toBe(200);
  });
});
