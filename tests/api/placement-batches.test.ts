import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { agencyNumberKey, generatedAgencyNumber } from '../../api/placements/agency-number.js';
import '../../api/jobs-registry.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { batchLimits, runBatchJob } from '../../api/placements/batch-runner.js';
import { BATCH_MAX_ATTEMPTS } from '../../api/placements/batches.service.js';
import { fileStoreFor } from '../../api/platform/storage.js';
import { goodRow, mixedRows, toCsv, toXlsx } from './fixtures/placement-sheets.js';
import { atInstant } from './test-clock.js';

const MAPPING = {
  clientAccountNumber: 'Acct #', firstName: 'First Name', lastName: 'Last Name', ssn: 'SSN', dob: 'DOB', address1: 'Address',
  city: 'City', state: 'State', zip: 'Zip Code', phone: 'Phone', principal: 'Balance', serviceDate: 'Service Date', comments: 'Notes',
};

describe.each(DIALECTS)('bulk placement batches (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let group: string;
  let agency: string;
  const deps = () => ({ db: api.db, config: api.config });
  const work = () => runWorkerOnce(deps());

  const upload = async (token: string, body: Buffer | string, name: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([typeof body === 'string' ? body : new Uint8Array(body)]), name);
    const res = await fetch(`${api.url}/api/v1/placements/batches`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const batch = async (id: string, token = client) => (await api.request(`/placements/batches/${id}`, { token })).body;
  const report = async (id: string) => {
    const res = await fetch(`${api.url}/api/v1/placements/batches/${id}/errors.csv`, { headers: { Authorization: `Bearer ${client}` } });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
  };

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    // one at a time: concurrent logins can deadlock on MySQL (reported to the lead)
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    agency = await api.login('demo.agency');
  });
  afterAll(() => api.close());

  it('CSV with mixed rows: mapping suggested, dry run places nothing, place run places the valid rows, error report per row', async () => {
    const up = await upload(client, toCsv(mixedRows('CSV')) + '\r\n', 'march placements.csv');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ id: ID('plb'), status: 'uploaded', format: 'csv', fileName: 'march placements.csv', mappingSource: 'headers', client: { name: 'Cascade Power & Light' } });
    expect(up.body.suggestedMapping).toEqual(MAPPING);
    // each suggestion says how sure it is and which values it saw (SSNs masked)
    expect(up.body.suggestions).toContainEqual({ field: 'zip', column: 'Zip Code', confidence: expect.any(Number), review: false, basis: 'header', samples: expect.arrayContaining([expect.stringMatching(/^\d{5}$/)]) });
    expect(up.body.suggestions.find((x: any) => x.field === 'ssn').samples[0]).toBe('***-**-1001');
    expect(up.body.sampleRows).toHaveLength(5);
    expect(up.body.sampleRows[0][3]).toBe('***-**-1001');
    expect(JSON.stringify(up.body)).not.toContain('512-11-1001');

    const dry = await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping, mode: 'validate' } });
    expect(dry.status).toBe(202);
    expect(dry.body.status).toBe('queued');
    await work();
    // 10 data rows: the blank line the file ends with is not a row (issue 22; XLSX never counted it)
    expect(await batch(up.body.id)).toMatchObject({ status: 'validated', rowsTotal: 10, rowsDone: 10, rowsPlaced: 6, rowsInvalid: 3, rowsDuplicate: 1, progress: 1 });
    expect(await api.db('placements').where('client_account_number', 'like', 'CSV-%')).toHaveLength(0);

    const run = await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping, mode: 'place' } });
    expect(run.status).toBe(202);
    await work();
    const done = await batch(up.body.id);
    expect(done).toMatchObject({ status: 'completed', mode: 'place', rowsPlaced: 6, rowsInvalid: 3, rowsDuplicate: 1, rowsDone: 10, progress: 1, failure: null });
    const placed = await api.db('placements').where('client_account_number', 'like', 'CSV-%').orderBy('row_number');
    expect(placed.map((p: { rowNumber: number }) => Number(p.rowNumber))).toEqual([2, 3, 4, 5, 6, 7]);
    for (const p of placed) expect(p.status).toBe('pending_review');
    const acct = await api.db('accounts').where({ id: placed[1].accountId }).first();
    expect(acct).toMatchObject({ reviewStatus: 'pending_review', debtorName: 'SMITH, JANE', balanceCents: expect.anything() });
    expect(Number(acct.balanceCents)).toBe(10_225);
    expect(placed[1].comments).toBe('AKA SMYTHE');
    expect(placed[2].comments).toBe('Called, "twice"\nleft voicemail');
    const party = await api.db('account_parties').where({ accountId: placed[4].accountId, role: 'responsible' }).first();
    expect(party).toMatchObject({ address1: '5 OAK ST', address2: 'APT 5', dob: expect.anything(), ssnLast4: '1005' });
    // every placement points at its own account (ids come back from the multi-row INSERT), and the
    // account's stand-in agency number was replaced by NR + id
    for (const p of placed) {
      const a = await api.db('accounts').where({ id: p.accountId }).first();
      expect(a).toMatchObject({ clientAccountNumber: p.clientAccountNumber, agencyAccountNumber: generatedAgencyNumber(Number(p.accountId), agencyNumberKey(api.config.secrets.lookupKey)) });
      expect(await api.db('account_balances').where({ accountId: p.accountId })).toHaveLength(4);
    }
    expect(await api.db('accounts').where('agency_account_number', 'like', '~%')).toHaveLength(0);
    // in the client's placement list, not in search
    const list = await api.request(`/placements?batchId=${up.body.id}`, { token: client });
    expect(list.body.total).toBe(6);
    expect(list.body.data[0]).toMatchObject({ batchId: up.body.id, status: 'pending_review' });
    expect((await api.request('/accounts?clientAccountNumber=CSV-000001', { token: client })).body.total).toBe(0);

    const r = await report(up.body.id);
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/csv');
    expect(r.disposition).toContain('march_placements-errors.csv');
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toBe('row,client_account_number,problem,reason');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^8,CSV-000007,invalid,"Phone \(column ""Phone""\): Include the area code/);
    expect(lines[2]).toMatch(/^9,CSV-000008,invalid,.*ZIP 97205 is not in TEXAS/);
    expect(lines[3]).toBe('10,CSV-000001,duplicate,Same client account number as row 2 of this file.');
    expect(lines[4]).toMatch(/^11,CSV-000010,invalid,.*is not an amount/);
    expect(r.text).not.toContain('512-');
    expect(await api.db('audit_log').where({ action: 'placement.batch.rows', targetId: up.body.id })).toHaveLength(1);
    expect(await api.db('events').where({ type: 'placement.batch.completed' })).toHaveLength(1);
    // one inbox task for the agency to review the batch (none for the dry run)
    const tasks = await api.db('tasks').where({ sourceType: 'placement_batch', sourceId: up.body.id });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'placement_review', status: 'open', title: 'Review 6 placements from Cascade Power & Light (march placements.csv)' });
  });

  it('re-uploading the same file places nothing twice; the mapping is remembered for the client', async () => {
    const again = await upload(client, toCsv(mixedRows('CSV')) + '\r\n', 'march placements (1).csv');
    expect(again.status).toBe(201);
    expect(again.body.mappingSource).toBe('remembered');
    expect(again.body.sameFileAs).toEqual(ID('plb'));
    await api.request(`/placements/batches/${again.body.id}/start`, { token: client, body: { mapping: again.body.suggestedMapping } });
    await work();
    expect(await batch(again.body.id)).toMatchObject({ status: 'completed', rowsPlaced: 0, rowsDuplicate: 7, rowsInvalid: 3 });
    expect(await api.db('placements').where('client_account_number', 'like', 'CSV-%')).toHaveLength(6);
    const lines = (await report(again.body.id)).text.trim().split('\r\n');
    expect(lines[1]).toBe('2,CSV-000001,duplicate,This client account number has already been placed for this client.');
  });

  it('a real XLSX: dates, numbers and ZIPs as Excel stores them', async () => {
    const rows = mixedRows('XL');
    rows[0]!.zip = '02134';
    rows[0]!.city = 'Boston';
    rows[0]!.state = 'MA';
    const up = await upload(group, await toXlsx(rows), 'clinic.xlsx', { clientId: (await api.db('clients').where({ code: 'LFC' }).first()).publicId });
    expect(up.status).toBe(201);
    // the same columns as Cascade's file above: the agency's mapping for that header set is offered (issue 22)
    expect(up.body).toMatchObject({ format: 'xlsx', client: { name: 'Lakeside Family Clinic' }, mappingSource: 'agency' });
    expect(up.body.suggestedMapping).toEqual(MAPPING);
    expect(up.body.suggestions.every((x: any) => x.basis === 'agency' && x.confidence === 0.9)).toBe(true);
    expect(up.body.sampleRows[0][4]).toBe('1980-04-05');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: group, body: { mapping: up.body.suggestedMapping } });
    await work();
    expect(await batch(up.body.id, group)).toMatchObject({ status: 'completed', rowsTotal: 10, rowsPlaced: 6, rowsInvalid: 3, rowsDuplicate: 1 });
    const first = await api.db('placements').where({ clientAccountNumber: 'XL-000001' }).first();
    const party = await api.db('account_parties').where({ accountId: first.accountId, role: 'responsible' }).first();
    expect(party).toMatchObject({ zip: '02134', state: 'MA' });
    const acct = await api.db('accounts').where({ id: first.accountId }).first();
    expect(acct.accountType).toBe('medical');
    expect(Number(acct.balanceCents)).toBe(10_125);
  });

  it('issue 22: a full-name column, trailing blank lines, a short ZIP quoted as typed, one reason for "N/A"', async () => {
    const text = [
      'Pt Acct #,Guarantor Name,Guar Addr 1,Guar City,Guar St,Guar Zip,Pt Balance',
      'FN-1,"DOE, JANE M JR",1 Main St,Denver,CO,80203,"1,200.50"',
      'FN-2,Robert T Jones,2 Main St,Denver,CO,9999,10.00',
      'FN-3,Ann Lee,3 Main St,Denver,CO,80203,N/A',
      '', '', '',
    ].join('\r\n');
    const up = await upload(client, text, 'hospital.csv');
    expect(up.status).toBe(201);
    expect(up.body.mappingSource).toBe('headers');
    expect(up.body.suggestedMapping).toEqual({ clientAccountNumber: 'Pt Acct #', fullName: 'Guarantor Name', address1: 'Guar Addr 1', city: 'Guar City', state: 'Guar St', zip: 'Guar Zip', principal: 'Pt Balance' });
    expect(up.body.suggestions.find((x: any) => x.field === 'fullName')).toMatchObject({ samples: ['DOE, JANE M JR', 'Robert T Jones', 'Ann Lee'], preview: ['DOE, JANE M JR', 'JONES, ROBERT T', 'LEE, ANN'] });
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping, remember: false } });
    await work();
    expect(await batch(up.body.id)).toMatchObject({ status: 'completed', rowsTotal: 3, rowsDone: 3, rowsPlaced: 1, rowsInvalid: 2 });
    const placed = await api.db('placements').where({ clientAccountNumber: 'FN-1' }).first();
    const party = await api.db('account_parties').where({ accountId: placed.accountId, role: 'responsible' }).first();
    expect(party).toMatchObject({ firstName: 'JANE', middleName: 'M', lastName: 'DOE', suffix: 'JR' });
    const lines = (await report(up.body.id)).text.trim().split('\r\n');
    expect(lines[1]).toBe('3,FN-2,invalid,"ZIP (column ""Guar Zip""): ZIP ""9999"" (read as 09999) is not in COLORADO."');
    expect(lines[2]).toBe('4,FN-3,invalid,"Principal (column ""Pt Balance""): ""N/A"" is not an amount."');
  });

  it('issue 22: the agency\'s latest mapping for the same header set is offered to another client (any order, case, punctuation)', async () => {
    const headers = ['Loan Nbr', 'Borrower', 'Street', 'Town', 'Region', 'Post', 'Owed Amt'];
    const row = (n: string) => `${n},Jane Doe,1 Main St,Salem,OR,97301,5.00`;
    const first = await upload(client, [headers.join(','), row('AG-1')].join('\n'), 'a.csv');
    expect(first.body.mappingSource).toBe('headers');
    const chosen = { clientAccountNumber: 'Loan Nbr', fullName: 'Borrower', address1: 'Street', city: 'Town', state: 'Region', zip: 'Post', principal: 'Owed Amt' };
    expect((await api.request(`/placements/batches/${first.body.id}/start`, { token: client, body: { mapping: chosen, mode: 'validate' } })).status).toBe(202);
    await work();
    const lfc = (await api.db('clients').where({ code: 'LFC' }).first()).publicId;
    const respelled = ['OWED AMT', 'post', 'region', 'town', 'street', 'borrower', 'loan nbr'];
    const other = await upload(group, [respelled.join(','), '5.00,97301,OR,Salem,1 Main St,Jane Doe,AG-2'].join('\n'), 'b.csv', { clientId: lfc });
    expect(other.body.mappingSource).toBe('agency');
    expect(other.body.suggestedMapping).toEqual({ clientAccountNumber: 'loan nbr', fullName: 'borrower', address1: 'street', city: 'town', state: 'region', zip: 'post', principal: 'OWED AMT' });
    expect(other.body.suggestions.find((x: any) => x.field === 'zip')).toEqual({ field: 'zip', column: 'post', confidence: 0.9, review: false, basis: 'agency', samples: ['97301'] });
  });

  it('tenancy and checks: another client is a 404, a bad mapping is a 400, junk files are a 415', async () => {
    const up = await upload(client, toCsv([goodRow(1, 'TEN')]), 'a.csv');
    expect((await api.request(`/placements/batches/${up.body.id}`, { token: group })).status).toBe(404);
    expect((await api.request(`/placements/batches/${up.body.id}/start`, { token: group, body: { mapping: MAPPING } })).status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/placements/batches/${up.body.id}/errors.csv`, { headers: { Authorization: `Bearer ${group}` } })).status).toBe(404);
    const cpl = (await api.db('clients').where({ code: 'CPL' }).first()).publicId;
    expect((await upload(group, toCsv([goodRow(1, 'TEN')]), 'a.csv', { clientId: cpl })).status).toBe(404);
    const bad = await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: { ...MAPPING, zip: 'Postcode', lastName: undefined } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([
      { path: 'mapping.lastName', code: 'required', message: expect.any(String) },
      { path: 'mapping.zip', code: 'unknown_column', message: 'The file has no column "Postcode".' },
    ]));
    const junk = await upload(client, Buffer.from([0, 1, 2, 3, 0, 0]), 'x.bin');
    expect(junk.status).toBe(415);
    const empty = await upload(client, '', 'empty.csv');
    expect(empty.status).toBe(400);
    expect((await upload(agency, toCsv([goodRow(1, 'TEN')]), 'a.csv')).status).toBe(400); // the agency names the client
  });

  it('reviewing the last placement of a batch closes its inbox task, audited and announced', async () => {
    const up = await upload(client, toCsv([1, 2].map((i) => goodRow(i, 'RV'))), 'rv.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    await work();
    const ids = (await api.request(`/placements?batchId=${up.body.id}`, { token: client })).body.data.map((p: { id: string }) => p.id) as string[];
    expect(ids).toHaveLength(2);
    const taskOf = () => api.db('tasks').where({ sourceType: 'placement_batch', sourceId: up.body.id }).first();
    await api.request('/agency/placements/review', { token: agency, body: { placementIds: [ids[0]], decision: 'accept' } });
    expect((await taskOf()).status).toBe('open'); // one still waits
    const res = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [ids[1]], decision: 'reject', reason: 'Paid in full.' } });
    expect(res.status).toBe(200);
    const task = await taskOf();
    expect(task.status).toBe('done');
    const audits = await api.db('audit_log').where({ action: 'task.close', targetId: task.publicId });
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].afterJson)).toMatchObject({ resolution: 'Every placement of the batch was reviewed.' });
    expect((await api.db('events').where({ type: 'task.closed' })).filter((e: { payloadJson: string }) => JSON.parse(e.payloadJson).taskId === task.publicId)).toHaveLength(1);
  });

  it('rollback takes back what the agency has not accepted', async () => {
    const up = await upload(client, toCsv([1, 2, 3].map((i) => goodRow(i, 'RB'))), 'rb.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    await work();
    const placed = await api.request(`/placements?batchId=${up.body.id}`, { token: client });
    expect(placed.body.total).toBe(3);
    await api.request('/agency/placements/review', { token: agency, body: { placementIds: [placed.body.data[0].id], decision: 'accept' } });
    const rb = await api.request(`/placements/batches/${up.body.id}/rollback`, { token: client, body: {} });
    expect(rb.status).toBe(200);
    expect(rb.body).toMatchObject({ status: 'rolled_back', removed: 2, kept: 1 });
    const batchTask = await api.db('tasks').where({ sourceType: 'placement_batch', sourceId: up.body.id }).first();
    expect(batchTask.status).toBe('done');
    expect(await api.db('audit_log').where({ action: 'task.close', targetId: batchTask.publicId })).toHaveLength(1);
    expect((await api.db('events').where({ type: 'task.closed' })).filter((e: { payloadJson: string }) => JSON.parse(e.payloadJson).taskId === batchTask.publicId)).toHaveLength(1);
    // the stored spreadsheet holds personal data: kept only while it may still be needed
    const stored = async (id: string) => (await fileStoreFor(api.config).stat((await api.db('placement_batches').where({ publicId: id }).first()).storedName)) !== null;
    expect(await stored(up.body.id)).toBe(false); // placed: done with it
    const checked = await upload(client, toCsv([goodRow(9, 'RB')]), 'rb2.csv');
    await api.request(`/placements/batches/${checked.body.id}/start`, { token: client, body: { mapping: checked.body.suggestedMapping, mode: 'validate' } });
    await work();
    expect(await stored(checked.body.id)).toBe(true); // checked only: still needed to place
    expect((await api.request(`/placements/batches/${checked.body.id}/rollback`, { token: client, body: {} })).body).toMatchObject({ status: 'rolled_back', removed: 0 });
    expect(await stored(checked.body.id)).toBe(false);
    expect(await api.db('accounts').where('client_account_number', 'like', 'RB-%')).toHaveLength(1);
    expect(await api.db('audit_log').where({ action: 'placement.batch.rollback', targetId: up.body.id })).toHaveLength(1);
    expect((await api.request(`/placements/batches/${up.body.id}/rollback`, { token: client, body: {} })).status).toBe(409);
  });

  it('the spreadsheet lives in the file store, not on the receiving node: a worker with another DATA_DIR places it', async () => {
    const up = await upload(client, toCsv([1, 2, 3].map((i) => goodRow(i, 'NODE'))), 'node-b.csv');
    expect(up.status).toBe(201);
    const row = await api.db('placement_batches').where({ publicId: up.body.id }).first();
    expect(row.storedName).toMatch(/^\d{4}\/\d\d\/\d\d\/[0-9a-f]{32}$/);
    expect(await fileStoreFor(api.config).stat(row.storedName)).toEqual({ size: Number(row.fileSize) });
    expect(existsSync(join(api.config.dataDir, 'uploads'))).toBe(false);
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    // "node B": its own DATA_DIR, the same database and the same file store
    const otherDir = mkdtempSync(join(tmpdir(), 'ck-node-b-'));
    try {
      const storage = api.config.storage ?? { url: pathToFileURL(join(api.config.dataDir, 'files')).href };
      await runWorkerOnce({ db: api.db, config: { ...api.config, dataDir: otherDir, storage } });
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    expect(await batch(up.body.id)).toMatchObject({ status: 'completed', rowsPlaced: 3, failure: null });
    expect(await fileStoreFor(api.config).stat(row.storedName)).toBeNull(); // placed: removed from the store
  });

  it('a spreadsheet missing from the store fails the batch at once, saying so, without pointless retries', async () => {
    const up = await upload(client, toCsv([1, 2].map((i) => goodRow(i, 'GONE'))), 'gone.csv');
    const row = await api.db('placement_batches').where({ publicId: up.body.id }).first();
    await fileStoreFor(api.config).delete(row.storedName);
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    await work();
    const b = await batch(up.body.id);
    expect(b).toMatchObject({ status: 'failed', rowsDone: 0 });
    expect(b.failure).toBe('The uploaded file is no longer stored, so the run stopped after 0 rows. Roll the batch back and upload the file again.');
    const jobs = await api.db('jobs').where('dedupe_key', 'like', `placement.batch:${up.body.id}:%`);
    expect(jobs.map((j: { status: string }) => j.status)).toEqual(['done']);
    expect((await api.request(`/placements/batches/${up.body.id}/rollback`, { token: client, body: {} })).status).toBe(200);
  });

  it('a run that keeps failing says it is retried only while it is; after the last attempt it says it stopped', async () => {
    const up = await upload(client, toCsv([1, 2].map((i) => goodRow(i, 'RETRY'))), 'retry.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    // the stored bytes turn out not to be a readable spreadsheet (a zip that is not one)
    const junk = await fileStoreFor(api.config).put(Readable.from([Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8])]));
    await api.db('placement_batches').where({ publicId: up.body.id }).update({ storedName: junk.key, format: 'xlsx' });
    await expect(runBatchJob(deps(), up.body.id, 1)).rejects.toThrow();
    expect(await batch(up.body.id)).toMatchObject({
      status: 'running', failure: `The run stopped after 0 rows (attempt 1 of ${BATCH_MAX_ATTEMPTS}); it is retried automatically, and can be rolled back.`,
    });
    await expect(runBatchJob(deps(), up.body.id, BATCH_MAX_ATTEMPTS)).rejects.toThrow();
    const last = await batch(up.body.id);
    expect(last.status).toBe('failed');
    expect(last.failure).toBe(`The run stopped after 0 rows and was tried ${BATCH_MAX_ATTEMPTS} times; it is not retried any more. Resume it to continue from there, or roll it back.`);
    expect(last.failure).not.toContain('retried automatically');
    await api.request(`/placements/batches/${up.body.id}/rollback`, { token: client, body: {} });
    expect(await fileStoreFor(api.config).stat(junk.key)).toBeNull(); // rollback removes it from the store
  });

  it('a long file is worked in slices, each job handing over to the next', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => goodRow(i + 1, 'SLICE'));
    const up = await upload(client, toCsv(rows), 'slices.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    const limit = batchLimits.sliceRows;
    batchLimits.sliceRows = 1000;
    try {
      // each tick runs what is due; a slice's continuation is due on the next tick
      for (let tick = 0; tick < 6 && (await batch(up.body.id)).status !== 'completed'; tick++) await work();
    } finally {
      batchLimits.sliceRows = limit;
    }
    expect(await batch(up.body.id)).toMatchObject({ status: 'completed', rowsDone: 2500, rowsPlaced: 2500 });
    const jobs = await api.db('jobs').where('dedupe_key', 'like', `placement.batch:${up.body.id}:%`).orderBy('id');
    expect(jobs.map((j: { status: string }) => j.status)).toEqual(['done', 'done', 'done']);
    expect(Number((await api.db('placements').where('client_account_number', 'like', 'SLICE-%').count({ n: '*' }))[0]!.n)).toBe(2500);
  });

  it('a number repeated chunks later (after the first was committed) is reported with the row that placed it', async () => {
    const rows = [...Array.from({ length: 1100 }, (_, i) => goodRow(i + 1, 'LATE')), goodRow(3, 'LATE')];
    const up = await upload(client, toCsv(rows), 'late-duplicate.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    await work();
    expect(await batch(up.body.id)).toMatchObject({ status: 'completed', rowsDone: 1101, rowsPlaced: 1100, rowsDuplicate: 1 });
    const lines = (await report(up.body.id)).text.trim().split('\r\n');
    expect(lines).toEqual(['row,client_account_number,problem,reason', '1102,LATE-000003,duplicate,Same client account number as row 4 of this file.']);
  });

  it('a worker killed mid-file: the next worker resumes at the checkpoint and no row is placed twice', async () => {
    const n = 6000;
    const rows = Array.from({ length: n }, (_, i) => goodRow(i + 1, 'CRASH'));
    const up = await upload(client, toCsv(rows), 'big.csv');
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: up.body.suggestedMapping } });
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/run-worker.ts', import.meta.url).pathname], {
      env: { ...process.env, CK_DATABASE_URL: api.config.databaseUrl, CK_DATA_DIR: api.config.dataDir, CK_STORAGE: JSON.stringify(api.config.storage ?? null) }, stdio: 'inherit',
    });
    // kill it (SIGKILL: no cleanup) once a few chunks are committed
    for (let i = 0; i < 600; i++) {
      const b = await api.db('placement_batches').where({ publicId: up.body.id }).first();
      if (Number(b.rowsDone) >= 1000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const mid = await batch(up.body.id);
    expect(mid.status).toBe('running');
    expect(mid.rowsDone).toBeGreaterThanOrEqual(1000);
    expect(mid.rowsDone).toBeLessThan(n);
    expect(mid.rowsDone % 500).toBe(0);
    expect(Number((await api.db('placements').where({ batchId: (await api.db('placement_batches').where({ publicId: up.body.id }).first()).id }).count({ n: '*' }))[0].n)).toBe(mid.rowsDone);
    // the dead worker's lease runs out; the next tick takes the job over
    await atInstant(new Date(Date.now() + 6 * 60_000), () => runWorkerOnce(deps()));
    const done = await batch(up.body.id);
    expect(done).toMatchObject({ status: 'completed', rowsDone: n, rowsPlaced: n, rowsDuplicate: 0, rowsInvalid: 0 });
    const all = await api.db('placements').where('client_account_number', 'like', 'CRASH-%').count({ n: '*' });
    const distinct = await api.db('placements').where('client_account_number', 'like', 'CRASH-%').countDistinct({ n: 'row_number' });
    expect(Number(all[0]!.n)).toBe(n);
    expect(Number(distinct[0]!.n)).toBe(n);
  }, 120_000);
});
