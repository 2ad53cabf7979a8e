/**
 * A client places a spreadsheet on the agency's demo page: sign in, drop in a real XLSX, check the
 * suggested mapping, place, watch it finish, read the counts — then the agency accepts one account
 * and the client finds it in account search. Headless Chromium, driven the way a person uses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { startDemoSite, typeInto, type DemoSite, deepSelector } from './harness.js';
import { mixedRows, toXlsx } from '../api/fixtures/placement-sheets.js';

describe('demo site: place a spreadsheet', () => {
  let site: DemoSite;
  let page: Page;
  let dir: string;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 60, worker: true });
    page = await site.newPage();
    dir = mkdtempSync(join(tmpdir(), 'ck-e2e-sheet-'));
  });
  afterAll(async () => {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const shadowText = (selector: string) => page.$eval(selector, (el) => el.shadowRoot!.textContent ?? '');

  it('signs in as demo.client, uploads an XLSX, places the valid rows and shows what was not placed', async () => {
    const file = join(dir, 'Cascade placements.xlsx');
    writeFileSync(file, await toXlsx(mixedRows('E2E')));

    await page.goto(`${site.url}/place.html`, { waitUntil: 'networkidle0' });
    await typeInto(page, 'ck-login >>> #username', 'demo.client');
    await typeInto(page, 'ck-login >>> #password', 'Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#signed-in:not([hidden])');

    const input = (await page.waitForSelector('ck-bulk-placement >>> input[type=file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await page.waitForFunction(() => document.querySelector('ck-bulk-placement')?.shadowRoot?.querySelector('[part~=mapping]'));
    const mapped = await page.$eval('ck-bulk-placement >>> select[data-field=clientAccountNumber]', (s) => (s as HTMLSelectElement).value);
    expect(mapped).toBe('Acct #');
    expect(await shadowText('ck-bulk-placement')).toContain('Cascade placements.xlsx');

    await (await page.waitForSelector('ck-bulk-placement >>> button[data-action=place]'))!.click();
    await page.waitForFunction(() => document.querySelector('ck-bulk-placement')?.shadowRoot?.textContent?.includes('accounts placed'), { timeout: 30_000 });
    const counts = await page.$$eval('ck-bulk-placement >>> [data-count]', (dds) => Object.fromEntries(dds.map((d) => [d.getAttribute('data-count'), d.textContent])));
    expect(counts).toEqual({ placed: '6', invalid: '3', duplicate: '1' });
    expect(await page.$('ck-bulk-placement >>> button[data-action=report]')).not.toBeNull();

    const placed = await site.db('placements').where('client_account_number', 'like', 'E2E-%').orderBy('row_number');
    expect(placed).toHaveLength(6);
    for (const p of placed) expect(p.status).toBe('pending_review');
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });

  it('an account the agency accepted appears in the client search on the portal page', async () => {
    // The agency's reviewer accepts it through the API (the review widget belongs to the agency inbox).
    const p = await site.db('placements').where({ clientAccountNumber: 'E2E-000001' }).first();
    const post = (path: string, body: unknown, token?: string) => fetch(`${site.url}/api/v1${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
    });
    const { accessToken } = (await (await post('/auth/login', { username: 'demo.agency', password: 'Northwind-Admin-2026!' })).json()) as { accessToken: string };
    expect((await post('/agency/placements/review', { placementIds: [p.publicId], decision: 'accept' }, accessToken)).status).toBe(200);
    // networkidle2: signed in, the account search keeps its live-events stream open
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle2' });
    await deepSelector(page, 'ck-client-portal >>> #user-button');
    await typeInto(page, 'ck-client-portal >>> ck-account-search >>> #clientAccountNumber', 'E2E-000001');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot?.querySelector('td[data-field=name]')?.textContent === 'DOE, JANE');
  });
});
