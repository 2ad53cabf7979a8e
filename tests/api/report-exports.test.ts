/**
 * Issue 21: report PDFs of up to 20,000 rows, made in the background by the job runner in parts, with
 * progress, stored in the file store, downloaded by their requester only, audited, and expired.
 * The demo's 5,000 accounts are the data of issue 17's failures: the 4,954-row agency inventory, and
 * the activity report (trimmed here to exactly 20,000 rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { startWorker } from '../../api/platform/jobs.js';
import { closePdf } from '../../api/platform/pdf.js';
import { EXPORT_MAX_ROWS, expireExports } from '../../api/reports/exports.service.js';

const dir = mkdtempSync(join(tmpdir(), 'ck-exports-'));
let n = 0;
function save(pdf: Buffer): string {
  const file = join(dir, `e${n++}.pdf`);
  writeFileSync(file, pdf);
  return file;
}
const pdfText = (file: string, pages?: [number, number]) =>
  execFileSync('pdftotext', ['-layout', ...(pages ? ['-f', String(pages[0]), '-l', String(pages[1])] : []), file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

describe.each(DIALECTS)('report exports in the background (%s)', (dialect) => {
  let api: TestApi;
  let worker: { stop(): Promise<void> };
  let agency: string;
  let client: string;
  let group: string;

  /** Follows an export until it ends, recording every progress it showed. */
  async function follow(token: string, id: string, timeoutMs = 900_000) {
    const seen: number[] = [];
    const until = performance.now() + timeoutMs;
    for (;;) {
      const res = await api.request(`/reports/exports/${id}`, { token });
      expect(res.status).toBe(200);
      seen.push(res.body.rowsDone);
      if (!['queued', 'running'].includes(res.body.status)) return { last: res.body, seen };
      if (performance.now() > until) throw new Error(`export ${id} still ${res.body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async function download(token: string, id: string) {
    const res = await fetch(`${api.url}/api/v1/reports/exports/${id}/file`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
  }

  const activityRows = async () => (await api.request('/reports/activity/run', { token: agency, body: { pageSize: 1 } })).body.total as number;
  /** Deletes the newest entries, or adds entries to the first account in the report, until the report has `target` rows. */
  async function setActivityRows(target: number) {
    for (let total = await activityRows(); total !== target; total = await activityRows()) {
      if (total > target) {
        const newest = (await api.db('activity').orderBy('id', 'desc').limit(total - target).select('id')) as { id: number }[];
        await api.db('activity').whereIn('id', newest.map((r) => r.id)).delete();
      } else {
        const first = (await api.request('/reports/activity/run', { token: agency, body: { pageSize: 1 } })).body.rows[0] as { agencyAccountNumber: string };
        const account = (await api.db('accounts').where({ agencyAccountNumber: first.agencyAccountNumber }).first('id')) as { id: number };
        const rows = Array.from({ length: target - total }, (_, i) => ({
          publicId: `act_added${String(i).padStart(18, '0')}`, accountId: account.id, type: 'note', visibility: 'internal', body: `Added entry ${i}`, actorName: 'Test', occurredAt: new Date('2026-01-01T00:00:00Z'),
        }));
        for (let i = 0; i < rows.length; i += 200) await api.db('activity').insert(rows.slice(i, i + 200));
      }
    }
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5000 });
    [agency, client, group] = await Promise.all([api.login('demo.agency'), api.login('demo.client'), api.login('demo.group')]);
    // The agency's activity report over the demo's 5,000 accounts has about 20,700 entries: make it exactly 20,000.
    await setActivityRows(EXPORT_MAX_ROWS);
    worker = startWorker({ config: api.config, db: api.db }, { intervalMs: 200 });
  }, 600_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await closePdf();
  });

  let bigId = '';
  let bigFile = '';

  it('a 20,000-row activity report comes out as a PDF: 202 at once, progress that grows, the first and last rows in the file', async () => {
    const [first, last] = await Promise.all([
      api.request('/reports/activity/run', { token: agency, body: { page: 1, pageSize: 1 } }),
      api.request('/reports/activity/run', { token: agency, body: { page: EXPORT_MAX_ROWS, pageSize: 1 } }),
    ]);
    expect(first.body.total).toBe(EXPORT_MAX_ROWS);
    const t0 = performance.now();
    const res = await api.request('/reports/activity/exports', { token: agency, body: { format: 'pdf' } });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: ID('rexp'), report: { key: 'activity', title: 'Activity report' }, format: 'pdf', status: 'queued', rowsTotal: EXPORT_MAX_ROWS, rowsDone: 0 });
    bigId = res.body.id;

    const { last: done, seen } = await follow(agency, bigId);
    expect(done).toMatchObject({ status: 'done', rowsDone: EXPORT_MAX_ROWS, failure: null, fileName: expect.stringMatching(/^activity-\d{4}-\d\d-\d\d\.pdf$/) });
    // progress went up part by part, never down
    const between = [...new Set(seen.filter((v) => v > 0 && v < EXPORT_MAX_ROWS))];
    expect(between.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const file = await download(agency, bigId);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.disposition).toContain(done.fileName);
    expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.bytes.length).toBe(done.byteSize);
    bigFile = save(file.bytes);
    const pages = pdfPages(bigFile);
    expect(pages).toBe(done.pagesDone);
    // sane: between 10 and 60 rows a page
    expect(pages).toBeGreaterThan(EXPORT_MAX_ROWS / 60);
    expect(pages).toBeLessThan(EXPORT_MAX_ROWS / 10);
    const head = pdfText(bigFile, [1, 1]);
    const tail = pdfText(bigFile, [pages, pages]);
    expect(head).toContain('Activity report');
    expect(head).toContain('20000 rows');
    expect(head).toContain(first.body.rows[0].agencyAccountNumber);
    expect(head).toContain(String(first.body.rows[0].occurredAt).replace('T', ' ').slice(0, 16));
    expect(tail).toContain(last.body.rows[0].agencyAccountNumber);
    expect(tail).toContain(String(last.body.rows[0].occurredAt).replace('T', ' ').slice(0, 16));
    expect(tail).toContain('20000 entries');
    // one set of page numbers over the whole document
    expect(head).toMatch(new RegExp(`Page 1 of ${pages}\\b`));
    expect(tail).toMatch(new RegExp(`Page ${pages} of ${pages}\\b`));

    const actions = ((await api.db('audit_log').where({ targetId: bigId }).orderBy('id').select('action')) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['report_export.requested', 'report_export.completed', 'report_export.downloaded']);
    const row = (await api.db('report_exports').where({ publicId: bigId }).first()) as { fileKey: string };
    expect(await api.storedFiles()).toContain(row.fileKey);
  }, 1_200_000);

  it('the 4,954-row agency inventory of issue 17 goes the same way', async () => {
    const res = await api.request('/reports/inventory/exports', { token: agency, body: { format: 'pdf' } });
    expect(res.status).toBe(202);
    expect(res.body.rowsTotal).toBe(4954);
    const { last } = await follow(agency, res.body.id);
    expect(last).toMatchObject({ status: 'done', rowsDone: 4954 });
    const file = save((await download(agency, res.body.id)).bytes);
    expect(pdfText(file, [pdfPages(file), pdfPages(file)])).toContain('4954 accounts');
  }, 900_000);

  it('an export is its requester\'s own: another tenant, or another user, gets 404 for it and its file', async () => {
    for (const token of [client, group]) {
      expect((await api.request(`/reports/exports/${bigId}`, { token })).status).toBe(404);
      expect((await download(token, bigId)).status).toBe(404);
    }
    // a client's own export (its client's accounts only) is not the agency's either
    const mine = await api.request('/reports/inventory/exports', { token: client, body: { format: 'pdf', parameters: { statuses: ['paid'] } } });
    expect(mine.status).toBe(202);
    expect((await api.request(`/reports/exports/${mine.body.id}`, { token: agency })).status).toBe(404);
    const { last } = await follow(client, mine.body.id);
    expect(last.status).toBe('done');
    const text = pdfText(save((await download(client, mine.body.id)).bytes));
    expect(text).toContain('Cascade Power');
    expect(text).not.toContain('Lakeside Family Clinic');
    expect(text).not.toContain('Keystone Industrial');
    expect((await download(agency, mine.body.id)).status).toBe(404);
    // no session, no export
    expect((await api.request(`/reports/exports/${bigId}`)).status).toBe(401);
  }, 600_000);

  it('more than 20,000 rows is a 422 that names CSV and XLSX; an unknown report is a 404', async () => {
    await setActivityRows(EXPORT_MAX_ROWS + 1);
    const res = await api.request('/reports/activity/exports', { token: agency, body: { format: 'pdf' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'too_many_rows_for_pdf' });
    expect(res.body.detail).toContain('CSV or XLSX');
    expect((await api.request('/reports/nope/exports', { token: agency, body: { format: 'pdf' } })).status).toBe(404);
    expect((await api.request('/reports/inventory/exports', { token: agency, body: { format: 'docx' } })).status).toBe(400);
  });

  it('a file expires: the stored file is deleted, the download is a 410, audited', async () => {
    const row = (await api.db('report_exports').where({ publicId: bigId }).first()) as { fileKey: string; expiresAt: unknown };
    const expiresAt = new Date(row.expiresAt as string | number | Date).getTime();
    expect(await expireExports({ config: api.config, db: api.db }, new Date(expiresAt - 1000))).toBe(0);
    expect(await expireExports({ config: api.config, db: api.db }, new Date(expiresAt + 1000))).toBeGreaterThanOrEqual(1);
    expect(await api.storedFiles()).not.toContain(row.fileKey);
    expect((await api.request(`/reports/exports/${bigId}`, { token: agency })).body.status).toBe('expired');
    const gone = await api.request(`/reports/exports/${bigId}/file`, { token: agency });
    expect(gone.status).toBe(410);
    expect(gone.body.code).toBe('export_expired');
    expect(await api.db('audit_log').where({ targetId: bigId, action: 'report_export.expired' }).first()).toBeTruthy();
  });
});
