/**
 * Issue 19's hand-driven list, reports, at 1280×800 and 390×844, by clicks and keys: run each report
 * the client may run, see its chart where it has one (labels as the table shows them, none cut off),
 * and export it as CSV, XLSX and PDF (the files checked: CSV text with the report's header, XLSX a zip,
 * PDF text via pdftotext). The seeded payments and the recovery summary agree on what was collected.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { CLIENT, CP, SIZES, click, deep, downloaded, heading, jsErrors, menu, openPage, signIn, typeDate, typeIn, view, waitText } from './walk-helpers.js';

const RV = `${CP} >>> ck-report-viewer`;

describe.each(SIZES)('walk: reports at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let downloads: string;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 150, worker: true }); // PDFs are made by the job runner
    ({ page, downloads } = await openPage(site, size));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  /** Runs the chosen report with `from` far back, so every seeded row counts. */
  async function run(key: string): Promise<void> {
    await page.select(`${RV} >>> #report`, key);
    await deep(page, `${RV} >>> #run-form`);
    const from = await page.$(`${RV} >>> #param-from`);
    if (from) await typeDate(page, `${RV} >>> #param-from`, '01012015');
    await click(page, `${RV} >>> #run-form button[type=submit]`);
    await deep(page, `${RV} >>> :is(table[part=table], [part=empty])`);
  }

  /** Exports in one format through the Export menu and returns the saved file. */
  async function exportAs(format: 'csv' | 'xlsx' | 'pdf'): Promise<{ name: string; bytes: Buffer }> {
    await click(page, `${RV} >>> details[part~=export-menu] summary`);
    await click(page, `${RV} >>> details[part~=export-menu] button[data-format=${format}]`);
    // a PDF is made in the background (progress bar), then offered as a download
    if (format === 'pdf') await click(page, `${RV} >>> button[data-action=download-pdf]`, 60_000);
    const file = await downloaded(downloads, new RegExp(`\\.${format}$`), 30_000);
    unlinkSync(join(downloads, file.name));
    return file;
  }

  it('runs each report, sees its chart, and exports CSV, XLSX and PDF', async () => {
    onTestFailed(async () => console.error(`[walk-reports] ${await explain(page, [CP, 'ck-report-viewer'])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await menu(page, CP, 'Reports');
    // The catalogue arrives after the area opens: read the list once it has its reports. Polled with
    // page.$$ (waitForSelector on `>>> option[value=…]` never matched here, though the options were there).
    for (const deadline = Date.now() + 15_000; (await page.$$(`${RV} >>> #report option`)).length < 5;) {
      if (Date.now() > deadline) throw new Error('the report catalogue did not arrive within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const reports = await page.$$eval(`${RV} >>> #report option`, (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent!.trim()]));
    expect(reports.map(([k]) => k)).toEqual(expect.arrayContaining(['inventory', 'status', 'payments', 'recovery', 'activity']));
    const totals: Record<string, string> = {};

    for (const [key, title] of reports as [string, string][]) {
      await run(key);
      await waitText(page, `${RV} >>> table[part=table] caption`, title);
      if (key === 'status' || key === 'recovery') {
        const chart = await deep(page, `${RV} >>> figure[part=chart]`);
        // the labels read as the table reads (no raw keys), none is cut at the chart's edges, and
        // every word of the chart is readable at this size (not an SVG shrunk to fit a phone)
        const labels = await chart.evaluate((figure) => {
          const box = figure.getBoundingClientRect();
          return [...figure.querySelectorAll('.bar-row .label, .bar-line .value')].map((t) => {
            const r = t.getBoundingClientRect();
            return { text: t.textContent!.trim(), label: t.classList.contains('label'), px: parseFloat(getComputedStyle(t).fontSize), inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 };
          });
        });
        expect(labels.length, `${key} chart bars`).toBeGreaterThan(0);
        for (const l of labels) {
          expect(l.text, `${key} chart label`).not.toMatch(/_/);
          expect(l.inside, `${key} chart text “${l.text}” inside the chart`).toBe(true);
          expect(l.px, `${key} chart text “${l.text}” readable`).toBeGreaterThanOrEqual(12);
        }
        const cells = await page.$$eval(`${RV} >>> tbody td[data-field=${key === 'status' ? 'status' : 'group'}]`, (tds) => tds.map((td) => td.textContent!.trim()));
        expect(labels.filter((l) => l.label).map((l) => l.text.replace(/…$/, ''))).toEqual(cells.slice(0, labels.length).map((c) => (c.length > 36 ? c.slice(0, 35) : c)));
      }
      await view(page, CP, size, `reports-${key}`);
      const foot = key === 'payments' ? 'amountCents' : key === 'recovery' ? 'collectedCents' : '';
      if (foot) totals[key] = await page.$eval(`${RV} >>> tfoot td[data-field=${foot}]`, (td) => td.textContent!.trim());

      const csv = await exportAs('csv');
      const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
      expect(text.split(/\r?\n/)[0], `${key} CSV header`).toMatch(/,/);
      expect(text.split(/\r?\n/).filter(Boolean).length, `${key} CSV rows`).toBeGreaterThan(1);
      const xlsx = await exportAs('xlsx');
      expect(xlsx.bytes.subarray(0, 4).toString('hex'), `${key} XLSX is a zip`).toBe('504b0304');
      const pdf = await exportAs('pdf');
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pdfPath = join(downloads, `check-${key}.pdf`);
      writeFileSync(pdfPath, pdf.bytes);
      const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
      unlinkSync(pdfPath);
      expect(pdfText, `${key} PDF text`).toContain(title);
    }
    await view(page, CP, size, 'reports-after-exports');

    // seeded through the ledger: what the payments report lists is what the recovery summary calls collected
    expect(totals.payments).toBeDefined();
    expect(totals.payments).toBe(totals.recovery);
    expect(totals.payments).not.toBe('$0.00');
    expect(jsErrors(page)).toEqual([]);
  });
});
