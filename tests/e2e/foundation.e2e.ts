/**
 * A client logs in on the agency's page and finds an account — the demo site in headless Chromium,
 * driven the way a person uses it: typing, clicking, reading what is on the screen.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, typeInto, type DemoSite, deepSelector } from './harness.js';

describe('demo site: sign in, search, open an account, run a report', () => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite();
    page = await site.newPage();
  });
  afterAll(() => site.close());

  it('signs in as demo.group, finds accounts by name and opens one', async () => {
    onTestFailed(async () => console.error(`[foundation e2e] ${await explain(page, ['ck-login', 'ck-account-search', 'ck-account-pane', 'ck-report-viewer'])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    expect(await page.title()).toContain('Northwind Recovery');

    // A wrong password first: the error is shown, the user stays on the sign-in form.
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #username', 'demo.group');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #password', 'not-my-password');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-login')?.shadowRoot?.querySelector('#form-error')?.textContent?.includes('incorrect'));

    await typeInto(page, 'ck-client-portal >>> ck-login >>> #password', 'Brigid-Group-2026!');
    await page.keyboard.press('Enter');
    await deepSelector(page, 'ck-client-portal >>> #user-button');
    expect(await page.$eval('ck-client-portal >>> #user-button', (el) => el.textContent!.replace(/\s+/g, ' ').trim())).toBe('Grace Okonkwo ▾');

    // The grid loads with the first page of the group's accounts.
    await deepSelector(page, 'ck-client-portal >>> ck-account-search >>> tr[data-id]');
    await typeInto(page, 'ck-client-portal >>> ck-account-search >>> #name', 'smith');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const root = document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot;
      const names = [...(root?.querySelectorAll('td[data-field=name]') ?? [])].map((td) => td.textContent ?? '');
      return names.length > 0 && names.every((n) => n.startsWith('SMITH'));
    });
    const clients = await page.$$eval('ck-client-portal >>> ck-account-search >>> td[data-field=client]', (tds) => [...new Set(tds.map((t) => t.textContent))]);
    for (const c of clients) expect(['St. Brigid Regional Hospital', 'Lakeside Family Clinic']).toContain(c);

    // Open the first result with the keyboard.
    const firstRow = await deepSelector(page, 'ck-client-portal >>> ck-account-search >>> tr[data-id]');
    const accountId = await firstRow!.evaluate((tr) => tr.getAttribute('data-id'));
    const debtor = await firstRow!.evaluate((tr) => tr.querySelector('td[data-field=name]')!.textContent);
    await firstRow!.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.getAttribute('account-id') === id, {}, accountId);
    await deepSelector(page, 'ck-client-portal >>> ck-account-pane >>> header[part=header] h2');
    expect(await page.$eval('ck-client-portal >>> ck-account-pane >>> header[part=header] h2', (h) => h.textContent)).toBe(debtor);

    // The balance shown is the account's balance in the database.
    const row = await site.db('accounts').where({ publicId: accountId }).first('balance_cents');
    const dollars = (Number(row.balanceCents) / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    const paneText = await page.$eval('ck-client-portal >>> ck-account-pane', (el) => el.shadowRoot!.textContent ?? '');
    expect(paneText).toContain(dollars);
    // Internal notes never show on a client's screen.
    expect(paneText).not.toContain('INTERNAL:');

    // The portal's Reports area runs reports: the status report's total is the API's for this user.
    await page.click('ck-client-portal >>> nav a[data-route=reports]');
    await deepSelector(page, 'ck-client-portal >>> ck-report-viewer >>> #report option[value=status]');
    await page.select('ck-client-portal >>> ck-report-viewer >>> #report', 'status');
    // By keyboard: a pointer click can land where the button was before the page grew (it failed a CI run that way).
    await (await deepSelector(page, 'ck-client-portal >>> ck-report-viewer >>> #run-form button[type=submit]'))!.focus();
    await page.keyboard.press('Enter');
    const totalCell = await deepSelector(page, 'ck-client-portal >>> ck-report-viewer >>> .results tfoot [data-field=accounts]', { timeout: 15000 });
    const shown = await totalCell!.evaluate((td) => td.textContent!.trim());
    const login = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.group', password: 'Brigid-Group-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const run = await fetch(`${site.url}/api/v1/reports/status/run`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: '{}' });
    const report = (await run.json()) as { totals: { accounts: number } };
    expect(report.totals.accounts).toBeGreaterThan(0);
    expect(shown).toBe(report.totals.accounts.toLocaleString('en-US'));
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
