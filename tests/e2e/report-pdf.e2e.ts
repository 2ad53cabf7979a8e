/**
 * Issue 21: an agency user exports the 20,000-row activity report as PDF in the console's Reports
 * area, by clicks: the progress bar moves while they keep working (running a report on screen), then
 * "Download PDF" saves the file, whose text has the report's first and last rows.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, typeInto, type DemoSite } from './harness.js';

const AC = 'ck-agency-console';
const RV = `${AC} >>> ck-report-viewer`;
const ROWS = 20_000;
const SHOTS = 'tests/e2e/screenshots';

async function api(site: DemoSite, token: string, path: string, body?: unknown) {
  const res = await fetch(`${site.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<{ total: number; rows: Record<string, string>[]; accessToken: string }>;
}

describe('console: a 20,000-row report exported as PDF through the report viewer', () => {
  let site: DemoSite;
  let page: Page;
  let token = '';
  const downloads = mkdtempSync(join(tmpdir(), 'ck-e2e-pdf-'));

  beforeAll(async () => {
    site = await startDemoSite({ accounts: 5000, worker: true });
    token = (await api(site, '', '/auth/login', { username: 'demo.agency', password: 'Northwind-Admin-2026!' })).accessToken;
    // The agency's activity report over 5,000 demo accounts has about 20,700 entries: keep the first 20,000.
    for (let total = (await api(site, token, '/reports/activity/run', { pageSize: 1 })).total; total > ROWS; total = (await api(site, token, '/reports/activity/run', { pageSize: 1 })).total) {
      const newest = (await site.db('activity').orderBy('id', 'desc').limit(total - ROWS).select('id')) as { id: number }[];
      await site.db('activity').whereIn('id', newest.map((r) => r.id)).delete();
    }
    page = await site.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    if (!existsSync(SHOTS)) mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(() => site?.close());

  it('exports it by clicks: progress that grows while the user runs another report, then a download with the first and last rows', async () => {
    onTestFailed(async () => console.error(`[report-pdf e2e] ${await explain(page, [AC])}`));
    const [first, last] = await Promise.all([
      api(site, token, '/reports/activity/run', { page: 1, pageSize: 1 }),
      api(site, token, '/reports/activity/run', { page: ROWS, pageSize: 1 }),
    ]);
    expect(first.total).toBe(ROWS);

    await page.goto(`${site.url}/agency.html`, { waitUntil: 'networkidle0' });
    await typeInto(page, `${AC} >>> ck-login >>> #username`, 'demo.agency');
    await typeInto(page, `${AC} >>> ck-login >>> #password`, 'Northwind-Admin-2026!');
    await page.keyboard.press('Enter');
    await (await deepSelector(page, `${AC} >>> nav a[data-route=reports]`, { visible: true })).click();
    await deepSelector(page, `${RV} >>> #report option[value=activity]`);
    await page.select(`${RV} >>> #report`, 'activity');
    await (await deepSelector(page, `${RV} >>> details[part~=export-menu] summary`, { visible: true })).click();
    await (await deepSelector(page, `${RV} >>> button[data-format=pdf]`, { visible: true })).click();

    // the progress bar shows and grows
    await deepSelector(page, `${RV} >>> [part~=pdf-export] [role=progressbar]`, { timeout: 30_000 });
    const seen: number[] = [];
    const sample = async () => {
      const bar = await page.$(`${RV} >>> [part~=pdf-export] [role=progressbar]`);
      const v = bar ? await bar.evaluate((b) => b.getAttribute('aria-valuenow')) : null;
      if (v !== null) seen.push(Number(v));
    };
    await sample();
    await page.screenshot({ path: `${SHOTS}/desktop-report-pdf-progress.png` });

    // keep working meanwhile: run the status report on screen
    await page.select(`${RV} >>> #report`, 'status');
    await (await deepSelector(page, `${RV} >>> #run-form button[type=submit]`, { visible: true })).click();
    await deepSelector(page, `${RV} >>> .results tfoot`, { timeout: 60_000 });
    expect(await page.$(`${RV} >>> [part~=pdf-export] [role=progressbar], ${RV} >>> button[data-action=download-pdf]`)).not.toBeNull();

    const until = performance.now() + 600_000;
    while (!(await page.$(`${RV} >>> button[data-action=download-pdf]`))) {
      if (performance.now() > until) throw new Error('the PDF was not ready within 10 minutes');
      await sample();
      await new Promise((r) => setTimeout(r, 500));
    }
    const between = [...new Set(seen.filter((v) => v > 0 && v < 100))];
    expect(between.length, `progress seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const ready = await page.$eval(`${RV} >>> [part~=pdf-export]`, (s) => s.textContent!.replace(/\s+/g, ' ').trim());
    expect(ready).toMatch(/The PDF of Activity report is ready: [\d,]+ pages/);
    await page.screenshot({ path: `${SHOTS}/desktop-report-pdf-ready.png` });

    await (await deepSelector(page, `${RV} >>> button[data-action=download-pdf]`, { visible: true })).click();
    let file = '';
    const waitUntil = performance.now() + 60_000;
    while (!file) {
      file = readdirSync(downloads).find((f) => /^activity-\d{4}-\d\d-\d\d\.pdf$/.test(f)) ?? '';
      if (!file && performance.now() > waitUntil) throw new Error(`no download in ${downloads}: ${readdirSync(downloads).join(', ')}`);
      if (!file) await new Promise((r) => setTimeout(r, 250));
    }
    const path = join(downloads, file);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
    const text = (from: number, to: number) => execFileSync('pdftotext', ['-layout', '-f', String(from), '-l', String(to), path, '-'], { encoding: 'utf8' });
    const head = text(1, 1);
    const tail = text(pages, pages);
    expect(ready).toContain(`${pages.toLocaleString('en-US')} pages`);
    expect(head).toContain(`${ROWS} rows`);
    expect(head).toContain(first.rows[0]!.agencyAccountNumber);
    expect(tail).toContain(last.rows[0]!.agencyAccountNumber);
    expect(tail).toContain(`${ROWS} entries`);
    expect(tail).toContain(`Page ${pages} of ${pages}`);
  }, 900_000);
});
