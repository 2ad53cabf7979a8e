/**
 * PDF benchmark (issue 6): the 1,000-account inventory report as PDF through the API (an API process
 * of its own, its shared Chromium and page pool) against Puppeteer printing the same HTML directly
 * with the same page options, in one run. Prints the latency ratio (target ≤ 1.2×) and PDFs per minute
 * at 4 concurrent requests, for both. SQLite by default; DATABASE_URL=mysql://… to use MariaDB.
 *
 *   npx tsx tests/bench/pdf/pdf.bench.ts        (BENCH_ACCOUNTS, BENCH_SAMPLES, BENCH_SECONDS to change)
 */
import puppeteer from 'puppeteer';
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed } from '../../../api/seed/seed.js';
import { loadCaller } from '../../../api/platform/auth/caller.js';
import { prepareRun } from '../../../api/reports/reports.service.js';
import { reportPrintHtml } from '../../../api/reports/reports.export.js';
import { fmt, percentile, startApiProcess, throughput, timeEach } from '../lib.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 12);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = 4;
const DATA_DIR = `tests/bench/.data/pdf-${ACCOUNTS}`;
const DATABASE_URL = process.env.DATABASE_URL ?? '';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The same page options as api/platform/pdf.ts, so both sides print the same document (untagged: > PDF_TAGGED_MAX_ROWS rows). */
const PDF_OPTIONS = (title: string) => ({
  format: 'Letter' as const, landscape: true, tagged: false, printBackground: true, displayHeaderFooter: true,
  headerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;color:#555">${title}</div>`,
  footerTemplate: '<div style="font-size:8px;width:100%;padding:0 12mm;text-align:right;color:#555">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
  margin: { top: '16mm', bottom: '16mm', left: '12mm', right: '12mm' },
});

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const config = loadConfig({ ...process.env, DATA_DIR, DATABASE_URL, RUN_WORKER: '0' });
  const db = createDb(DATABASE_URL, DATA_DIR);
  await migrateLatest(db);
  if (!(await db('clients').first('id'))) await seed(db, config, { accounts: ACCOUNTS });
  const api = await startApiProcess({ DATA_DIR, DATABASE_URL, RUN_WORKER: '0', CHROMIUM_PATH: CHROMIUM });
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.agency', password: 'Northwind-Admin-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const viaApi = async () => {
      const res = await fetch(`${api.url}/api/v1/reports/inventory/run`, {
        method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ format: 'pdf' }),
      });
      if (res.status !== 200) throw new Error(`API answered ${res.status}: ${await res.text()}`);
      return Buffer.from(await res.arrayBuffer()).length;
    };
    // The baseline prints the very HTML the API prints (built here from the same database), JS off.
    const caller = (await loadCaller({ db, config }, `Bearer ${accessToken}`))!;
    const html = await reportPrintHtml(await prepareRun(db, caller, 'inventory', {}, new Date()));
    const direct = async () => {
      const page = await browser.newPage();
      try {
        await page.setJavaScriptEnabled(false);
        await page.setContent(html, { waitUntil: 'load' });
        return (await page.pdf(PDF_OPTIONS('Placement inventory'))).length;
      } finally {
        await page.close();
      }
    };
    const rows = (html.match(/<tr>/g) ?? []).length - 2;
    // Warm both: the API's browser starts on first use.
    const [apiBytes, directBytes] = [await viaApi(), await direct()];
    await viaApi();
    await direct();

    console.log(`\nPDF benchmark — inventory report, ${ACCOUNTS.toLocaleString()} accounts (${rows.toLocaleString()} rows), ${DATABASE_URL ? 'MariaDB' : 'SQLite'}, ${SAMPLES} sequential samples, ${SECONDS}s at ${CONCURRENCY} concurrent`);
    console.log(`PDF sizes: API ${(apiBytes / 1024).toFixed(0)} kB, direct ${(directBytes / 1024).toFixed(0)} kB`);
    const a = await timeEach(SAMPLES, viaApi);
    const d = await timeEach(SAMPLES, direct);
    const p50 = percentile(a, 50) / percentile(d, 50);
    const p95 = percentile(a, 95) / percentile(d, 95);
    console.log('                      |   p50 ms |   p95 ms');
    console.log(`API (HTTP + query)    | ${fmt(percentile(a, 50), 0).padStart(8)} | ${fmt(percentile(a, 95), 0).padStart(8)}`);
    console.log(`Puppeteer directly    | ${fmt(percentile(d, 50), 0).padStart(8)} | ${fmt(percentile(d, 95), 0).padStart(8)}`);
    console.log(`ratio API / direct    | ${fmt(p50).padStart(7)}× | ${fmt(p95).padStart(7)}×   (target ≤ 1.20× at p50: ${p50 <= 1.2 ? 'met' : 'NOT met'})`);
    const apiPerMin = (await throughput(CONCURRENCY, SECONDS * 1000, viaApi)) * 60;
    const directPerMin = (await throughput(CONCURRENCY, SECONDS * 1000, direct)) * 60;
    console.log(`PDFs per minute @${CONCURRENCY}: API ${fmt(apiPerMin, 1)}, direct ${fmt(directPerMin, 1)} (ratio ${fmt(directPerMin / apiPerMin)}×)`);
  } finally {
    await browser.close();
    api.stop();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
