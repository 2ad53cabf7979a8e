/**
 * Issue 17 item 11: a PDF too long for the renderer used to run into its timeout and answer a bare
 * 500. Now a report past PDF_MAX_ROWS is refused at once with a 422 that points to CSV and XLSX, and a
 * renderer that times out is a 503 problem, after which the renderer keeps printing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { PDF_MAX_ROWS } from '../../api/reports/reports.export.js';
import { closePdf, renderPdf } from '../../api/platform/pdf.js';

describe('renderPdf past its timeout', () => {
  afterAll(() => closePdf());

  it('is a 503 pdf_timeout problem (never a 500), and the next PDF prints', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<tr><td>${i}</td><td>row ${i}</td></tr>`).join('');
    await expect(renderPdf(`<!doctype html><table>${rows}</table>`, { timeoutMs: 1 })).rejects.toMatchObject({
      status: 503, code: 'pdf_timeout', message: expect.stringContaining('CSV or XLSX'), headers: { 'Retry-After': '30' },
    });
    const ok = await renderPdf('<!doctype html><p>after the timeout</p>');
    expect(ok.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe.each(DIALECTS)('report PDF row limit (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: PDF_MAX_ROWS + 300 });
    agency = await api.login('demo.agency');
  });
  afterAll(async () => {
    await api.close();
    await closePdf();
  });

  it(`a report of more than ${PDF_MAX_ROWS} rows is refused at once: 422 too_many_rows_for_pdf naming CSV and XLSX, which work`, async () => {
    const json = await api.request('/reports/inventory/run', { token: agency, body: { pageSize: 1 } });
    expect(json.body.total).toBeGreaterThan(PDF_MAX_ROWS);
    const t0 = performance.now();
    const res = await api.request('/reports/inventory/run', { token: agency, body: { format: 'pdf' } });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 422, code: 'too_many_rows_for_pdf' });
    expect(res.body.detail).toContain('CSV or XLSX');
    expect(res.body.detail).toContain(json.body.total.toLocaleString('en-US'));
    const csv = await api.request('/reports/inventory/run', { token: agency, body: { format: 'csv' } });
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n').length).toBeGreaterThan(PDF_MAX_ROWS);
  });
});
