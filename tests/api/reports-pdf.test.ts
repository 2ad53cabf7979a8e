/**
 * PDF export through the shared Chromium: the text extracted with poppler's pdftotext matches the
 * report, the page count matches the footer, values are escaped, nothing a template or a data value
 * points at (file://, 127.0.0.1) is fetched, and without a browser the API answers 503 while CSV works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { closePdf, renderPdf } from '../../api/platform/pdf.js';
import { escapeHtml, reportHtml } from '../../api/reports/export/html.js';

const dir = mkdtempSync(join(tmpdir(), 'ck-pdf-'));
let n = 0;
function pdfText(pdf: Buffer, page?: number, mode: '-layout' | '-raw' = '-layout'): string {
  const file = join(dir, `r${n++}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [mode, ...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' });
}
function pdfInfo(pdf: Buffer): string {
  const file = join(dir, `r${n++}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdfinfo', [file], { encoding: 'utf8' });
}
const pdfPages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(pdfInfo(pdf))![1]);
/** Embedded images of the probe's size (Chromium may print its own broken-image icons; those are smaller). */
function probeImageCount(pdf: Buffer): number {
  const file = join(dir, `r${n++}.pdf`);
  writeFileSync(file, pdf);
  // `pdfimages -list`: two header lines, then one line per image: page num type width height …
  const lines = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  return lines.filter((l) => { const f = l.trim().split(/\s+/); return f[3] === '40' && f[4] === '30'; }).length;
}

/** A real 40×30 PNG (a size nothing else in the page has), so that a fetched image would show up in the PDF. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, k) => { let c = k; for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(40, 0); ihdr.writeUInt32BE(30, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.concat(Array.from({ length: 30 }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(120, 0x80)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('printable report template', () => {
  let probe: Server;
  let hits: string[] = [];
  let base: string;
  const image = png();
  const imageFile = join(dir, 'probe.png');
  beforeAll(async () => {
    writeFileSync(imageFile, image);
    probe = createServer((req, res) => { hits.push(req.url ?? ''); res.setHeader('Content-Type', 'image/png'); res.end(image); }).listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    base = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    probe.close();
    await closePdf();
  });

  it('renders a template with file:// and 127.0.0.1 references without fetching either', async () => {
    hits = [];
    const html = `<!doctype html><html><head><link rel="stylesheet" href="${base}/style.css"><style>@import url("${base}/import.css"); body { background: url("file://${imageFile}"); }</style></head>
      <body><h1>Probe</h1><img src="file://${imageFile}" width="40" height="30"><img src="${base}/pixel.png" width="40" height="30">
      <iframe src="${base}/frame"></iframe><script src="${base}/script.js"></script><p>end of probe</p></body></html>`;
    const pdf = await renderPdf(html);
    expect(pdfText(pdf)).toContain('end of probe');
    expect(hits).toEqual([]);
    expect(probeImageCount(pdf)).toBe(0);
    // Control: the same image inline (data:) is printed, so a fetched image would have been seen.
    const inline = await renderPdf(`<!doctype html><p>inline</p><img src="data:image/png;base64,${image.toString('base64')}" width="40" height="30">`);
    expect(probeImageCount(inline)).toBe(1);
  });

  it('escapes every value and forbids loading anything in the page itself', () => {
    const html = reportHtml({
      title: 'T <script>alert(1)</script>', generatedAt: '2026-11-24T00:00:00.000Z', parameters: { from: '<b>' }, notices: ['<img src=x>'],
      columns: [{ key: 'a', label: 'A&B', type: 'text' }], rows: [{ a: `<img src="${base}/x.png">` }], totals: null,
      chart: { type: 'bar', labelKey: 'a', series: [{ key: 'a', label: '<svg onload=x>' }] },
    });
    expect(html).not.toMatch(/<script|<img|<b>|<svg onload/);
    expect(html).toContain('T &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('A&amp;B');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;');
  });
});

describe.each(DIALECTS)('report PDF export (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  const pdfOf = async (token: string, key: string, body: object = {}) => {
    const res = await fetch(`${api.url}/api/v1/reports/${key}/run`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ format: 'pdf', ...body }),
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 300 });
    [agency, client] = await Promise.all([api.login('demo.agency'), api.login('demo.client')]);
  });
  afterAll(async () => {
    await api.close();
    await closePdf();
  });

  it('inventory as PDF: the text is the report\'s, pages match the footer, totals on the last page', async () => {
    const res = await pdfOf(agency, 'inventory');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="inventory-\d{4}-\d\d-\d\d\.pdf"$/);
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    const json = await api.request('/reports/inventory/run', { token: agency, body: { pageSize: 1000 } });
    const pages = pdfPages(res.body);
    expect(pages).toBeGreaterThan(3);
    const text = pdfText(res.body);
    expect(text).toContain('Placement inventory');
    for (const row of [json.body.rows[0], json.body.rows[150], json.body.rows[json.body.rows.length - 1]]) {
      expect(text).toContain(row.agencyAccountNumber);
    }
    expect(text).toContain(`Page ${pages} of ${pages}`);
    const money = (c: number) => `$${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')}`;
    const last = pdfText(res.body, pages);
    expect(last).toContain('Total');
    expect(last).toContain(money(json.body.totals.balanceCents));
    // The table header repeats on every page.
    expect(pdfText(res.body, 2)).toMatch(/Debtor.*Balance/);
  });

  it('recovery as PDF prints its chart and figures; the client sees only its own client', async () => {
    const res = await pdfOf(client, 'recovery', { parameters: { groupBy: 'client' } });
    expect(res.status).toBe(200);
    const text = pdfText(res.body);
    expect(text).toContain('Recovery summary');
    expect(text).toContain('Cascade Power & Light');
    expect(text).not.toContain('St. Brigid');
    expect(text).toContain('Collected'); // chart legend and column
  });

  it('short reports print as tagged (accessible) PDFs; long ones untagged, as the size cost says', async () => {
    const status = await pdfOf(client, 'status');
    expect(pdfInfo(status.body)).toMatch(/Tagged:\s+yes/);
    const activity = await pdfOf(agency, 'activity');
    const json = await api.request('/reports/activity/run', { token: agency, body: { pageSize: 1 } });
    expect(json.body.total).toBeGreaterThan(300);
    expect(pdfInfo(activity.body)).toMatch(/Tagged:\s+no/);
    expect(pdfText(activity.body)).toContain('Activity report');
  });

  it('a debtor name with markup prints as text and fetches nothing', async () => {
    const hits: string[] = [];
    const probe = createServer((req, res) => { hits.push(req.url ?? ''); res.end(); }).listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    const cpl = await api.db('clients').where({ code: 'CPL' }).first('id');
    const target = await api.db('accounts').where({ clientId: cpl.id, reviewStatus: 'accepted' }).orderBy('id').first('id', 'debtor_name');
    await api.db('accounts').where({ id: target.id }).update({ debtorName: `<img src="${url}/leak.png"> & <b>BOLD</b>` });
    try {
      const res = await pdfOf(client, 'inventory', { parameters: { statuses: ['active', 'hold', 'paid', 'settled', 'recalled', 'disputed', 'bankrupt', 'deceased', 'closed', 'business_closed'] } });
      expect(res.status).toBe(200);
      const text = pdfText(res.body, undefined, '-raw').replace(/\s+/g, ' ');
      expect(text).toContain('<img src=');
      expect(text).toContain('<b>BOLD</b>');
      expect(hits).toEqual([]);
    } finally {
      await api.db('accounts').where({ id: target.id }).update({ debtorName: target.debtorName });
      probe.close();
    }
  });

  it('without a browser, PDF answers 503 pdf_unavailable and CSV still works', async () => {
    await closePdf();
    const broken = await startTestApi(dialect, { accounts: 10, config: { chromiumPath: '/nonexistent/chromium' } });
    try {
      const token = await broken.login('demo.agency');
      const res = await broken.request('/reports/status/run', { token, body: { format: 'pdf' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('pdf_unavailable');
      const csv = await broken.request('/reports/status/run', { token, body: { format: 'csv' } });
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('Status,Accounts');
    } finally {
      await broken.close();
      await closePdf();
    }
  });
});
