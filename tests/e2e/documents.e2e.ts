/**
 * Documents on the demo page: a client uploads an attachment on an account and a file in the
 * Collaboration Center with the real widgets, then downloads each through the browser and gets
 * exactly the same bytes back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startDemoSite, typeInto, type DemoSite, deepSelector } from './harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Finds `selector` (with `>>>` through shadow roots), polling: a change deep inside nested shadow
 * roots does not always wake puppeteer's waitForSelector.
 */
async function waitDeep(page: Page, selector: string, timeoutMs = 20_000): Promise<ElementHandle<Element>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const el = await page.$(selector);
    if (el) return el;
    if (Date.now() > until) throw new Error(`${selector} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for a finished download (no .crdownload) named `name` in `dir`. */
async function downloaded(dir: string, name: string): Promise<Buffer> {
  for (let i = 0; i < 200; i++) {
    const files = readdirSync(dir);
    if (files.includes(name) && !files.some((f) => f.endsWith('.crdownload'))) return readFileSync(join(dir, name));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no download ${name} in ${dir}: ${readdirSync(dir).join(', ')}`);
}

describe('demo site: upload and download documents', () => {
  let site: DemoSite;
  let page: Page;
  let work: string;
  let downloads: string;
  let pdf: Buffer;
  let pdfPath: string;

  beforeAll(async () => {
    site = await startDemoSite({ accounts: 200 });
    page = await site.newPage();
    work = mkdtempSync(join(tmpdir(), 'ck-e2e-docs-'));
    downloads = join(work, 'downloads');
    mkdirSync(downloads);
    // a PDF with 300 KB of binary content, so a byte-for-byte comparison means something
    pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'), randomBytes(300 * 1024), Buffer.from('\n%%EOF\n')]);
    pdfPath = join(work, 'Payment agreement – signed.pdf');
    writeFileSync(pdfPath, pdf);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  });
  afterAll(async () => {
    await site.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('attaches a file to an account and downloads the same bytes', async () => {
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #username', 'demo.client');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #password', 'Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    await deepSelector(page, 'ck-client-portal >>> #user-button');
    const row = await deepSelector(page, 'ck-client-portal >>> ck-account-search >>> tr[data-id]');
    const accountId = await row!.evaluate((tr) => tr.getAttribute('data-id'));
    // keyboard, as a person would (the pane scrolls into view smoothly, so clicks by position could miss)
    await row!.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.getAttribute('account-id') === id, {}, accountId);
    const tab = await deepSelector(page, 'ck-client-portal >>> ck-account-pane >>> #tab-activity');
    await tab!.focus();
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector('#tab-attachments')?.getAttribute('aria-selected') === 'true');
    await waitDeep(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> [data-empty]');

    const input = (await deepSelector(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> ck-upload >>> input[type=file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(pdfPath);
    await typeInto(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> ck-upload >>> input[name^=name-]', 'Signed payment agreement');
    const upload = await waitDeep(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> ck-upload >>> [data-action=upload]');
    await upload!.focus();
    await page.keyboard.press('Enter');
    const listed = await waitDeep(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> tbody tr[data-id]');
    expect(await listed!.evaluate((tr) => tr.querySelector('th')!.textContent)).toBe('Signed payment agreement');

    const stored = await site.db('attachments').where({ displayName: 'Signed payment agreement' }).first();
    expect(stored.sha256).toBe(sha(pdf));
    expect(stored.originalName).toBe('Payment agreement – signed.pdf');

    const button = await waitDeep(page, 'ck-client-portal >>> ck-account-pane >>> ck-account-attachments >>> tbody tr[data-id] [data-action=download]');
    await button!.focus();
    await page.keyboard.press('Enter');
    const back = await downloaded(downloads, 'Payment agreement – signed.pdf');
    expect(sha(back)).toBe(sha(pdf));
    expect(await site.db('audit_log').where({ action: 'attachment.download', targetId: stored.publicId }).first()).toBeTruthy();
  });

  it('adds a file to the Collaboration Center and downloads the same bytes', async () => {
    const text = Buffer.from(`Rate card for 2027\n${'line of rates, ünïcode and all\n'.repeat(2000)}`);
    const textPath = join(work, 'rate-card-2027.txt');
    writeFileSync(textPath, text);
    // the Collaboration Center is its own area of the client portal's menu
    await page.click('ck-client-portal >>> nav a[data-route=collab]');
    const input = (await deepSelector(page, 'ck-client-portal >>> ck-collab-center >>> ck-upload >>> input[type=file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(textPath);
    // the center has seeded files too: find the new one by name
    let fileId: string | null = null;
    for (let i = 0; i < 200 && !fileId; i++) {
      const rows = await page.$$eval('ck-client-portal >>> ck-collab-center >>> tbody tr[data-id]', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.querySelector('th')!.textContent]));
      fileId = rows.find(([, name]) => name === 'rate-card-2027.txt')?.[0] ?? null;
      if (!fileId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(fileId).toMatch(/^cfile_/);
    const button = await waitDeep(page, `ck-client-portal >>> ck-collab-center >>> tbody tr[data-id="${fileId}"] [data-action=download]`);
    await button!.focus();
    await page.keyboard.press('Enter');
    const back = await downloaded(downloads, 'rate-card-2027.txt');
    expect(back.equals(text)).toBe(true);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
