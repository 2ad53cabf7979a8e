/**
 * Issue 19's client-portal items, by clicks and keys in real Chromium at 1280×800 and 390×844
 * (the API only sets up data): see my placements and open an accepted account from there; place a
 * spreadsheet, see its progress in view, reload and find it again; choose a page size (kept in the
 * URL, across a reload) and page through the results. No view may log a console error; every view
 * passes axe; screenshots go to tests/e2e/screenshots/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, type DemoSite } from './harness.js';
import { axe as axeOn, CP, SHOTS, SIZES, snap, type Size } from './walk-helpers.js';


async function deep(page: Page, selector: string, timeout = 20_000): Promise<ElementHandle<Element>> {
  return deepSelector(page, selector, { timeout });
}

/** Waits until `fn(root of the portal)` is truthy. */
async function until(page: Page, fn: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(`(() => { const cp = document.querySelector('${CP}')?.shadowRoot; if (!cp) return false; return (${fn})(cp); })()`, { timeout });
}

async function heading(page: Page, text: string): Promise<void> {
  await until(page, `(cp) => cp.activeElement?.tagName === 'H1' && cp.activeElement.textContent.trim() === ${JSON.stringify(text)}`);
}

const axe = (page: Page, view: string) => axeOn(page, CP, view);
const shot = (page: Page, size: Size, view: string) => snap(page, `${size.name}-cp-${view}`);

async function settled(page: Page, size: Size, view: string): Promise<void> {
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
  await axe(page, `${view} (${size.name})`);
  await shot(page, size, view);
}

async function apiLogin(site: DemoSite, username: string, password: string): Promise<string> {
  const res = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function post<T>(site: DemoSite, token: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${site.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function sheet(prefix: string, rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ck-e2e-sheet-'));
  const lines = ['Account Number,First Name,Last Name,Address,City,State,ZIP,Phone,Balance'];
  for (let i = 1; i <= rows; i++) lines.push(`${prefix}-${i},Ann,Sheet${String.fromCharCode(97 + (i % 26))},${i} Elm St,Portland,OR,97205,503-555-01${String(i % 100).padStart(2, '0')},$${i}.50`);
  lines.push(`${prefix}-BAD,Bob,Stone,1 Elm St,Portland,OR,97205,555-0100,$10.00`);
  const file = join(dir, `${prefix.toLowerCase()}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.each(SIZES)('client portal (issue 19) at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  const consoleErrors: string[] = [];
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    site = await startDemoSite({ accounts: 200, worker: true });
    page = await site.newPage();
    await page.setViewport({ width: size.width, height: size.height });
    await page.setBypassCSP(true); // to add axe-core's script
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location()?.url ?? ''}`); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
  });
  afterAll(() => site.close());

  it('my placements, a spreadsheet followed after a reload, page size in the URL — with no console error on any view', async () => {
    onTestFailed(async () => console.error(`[client-portal e2e] ${await explain(page, [CP])}`));
    // data: one account placed by the form and accepted by the agency, one rejected
    const client = await apiLogin(site, 'demo.client', 'Cascade-Demo-2026!');
    const form = (n: string, last: string) => ({
      clientAccountNumber: `E2E-${size.name}-${n}`, accountType: 'utility', balance: { principalCents: 9_900 },
      responsible: { firstName: 'Mona', lastName: last, address: { address1: '1 Main St', city: 'Portland', state: 'OR', zip: '97205' } },
    });
    const accepted = await post<{ placement: { id: string } }>(site, client, '/placements', form('A', 'Acceptedtest'));
    const rejected = await post<{ placement: { id: string } }>(site, client, '/placements', form('R', 'Rejectedtest'));
    const agency = await apiLogin(site, 'demo.agency', 'Northwind-Admin-2026!');
    await post(site, agency, '/agency/placements/review', { placementIds: [accepted.placement.id], decision: 'accept' });
    await post(site, agency, '/agency/placements/review', { placementIds: [rejected.placement.id], decision: 'reject', reason: 'Not our client' });

    // sign in by keys
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await (await deep(page, `${CP} >>> ck-login >>> #username`)).type('demo.client');
    await (await deep(page, `${CP} >>> ck-login >>> #password`)).type('Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    await heading(page, 'Accounts');

    // page size: 25 rows, kept in the URL and across a reload; then the next page
    await deep(page, `${CP} >>> ck-account-search >>> tr[data-id]`);
    const select = await deep(page, `${CP} >>> ck-account-search >>> #page-size`);
    await select.focus();
    await select.select('25');
    await page.waitForFunction(() => location.hash === '#/accounts?size=25');
    await until(page, `(cp) => cp.querySelector('ck-account-search').shadowRoot.querySelectorAll('tbody tr').length === 25`);
    await settled(page, size, 'accounts-25');
    await page.reload({ waitUntil: 'load' });
    await until(page, `(cp) => cp.querySelector('ck-account-search')?.shadowRoot.querySelectorAll('tbody tr').length === 25`);
    expect(await page.$eval(`${CP} >>> ck-account-search >>> #page-size`, (s) => (s as HTMLSelectElement).value)).toBe('25');
    await (await deep(page, `${CP} >>> ck-account-search >>> [data-page=next]`)).click();
    await until(page, `(cp) => /^Showing 26–[0-9]+ of/.test(cp.querySelector('ck-account-search').shadowRoot.querySelector('[part~=summary]')?.textContent.trim() ?? '')`);
    await shot(page, size, 'accounts-25-page-2');

    // My placements, from the Place accounts area
    await (await page.waitForFunction((h) => [...(document.querySelector(h)?.shadowRoot?.querySelectorAll('nav a') ?? [])].find((a) => a.textContent?.trim() === 'Place accounts'), {}, CP) as ElementHandle<HTMLAnchorElement>).click();
    await heading(page, 'Place accounts');
    await settled(page, size, 'place');
    await (await deep(page, `${CP} >>> .subnav a[data-route="place/mine"]`)).click();
    await heading(page, 'My placements');
    expect(await page.evaluate(() => location.hash)).toBe('#/place/mine');
    const acceptedRow = await deep(page, `${CP} >>> ck-my-placements >>> tr[data-placement="${accepted.placement.id}"]`);
    expect(await acceptedRow.evaluate((tr) => tr.querySelector('[part~=status]')!.textContent)).toBe('Accepted');
    expect(await page.$eval(`${CP} >>> ck-my-placements >>> tr[data-placement="${rejected.placement.id}"]`, (tr) => tr.textContent)).toContain('Reason: Not our client');
    await settled(page, size, 'my-placements');
    // the accepted account opens from there
    await (await deep(page, `${CP} >>> ck-my-placements >>> tr[data-placement="${accepted.placement.id}"] button[data-account]`)).click();
    await heading(page, 'Account');
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/accounts\/acct_/);

    // place a spreadsheet: progress in view, the batch in the URL
    await page.goto(`${site.url}/#/place`, { waitUntil: 'load' });
    await heading(page, 'Place accounts');
    const input = (await deep(page, `${CP} >>> ck-bulk-placement >>> input[type=file]`)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(sheet(`SH${size.name.toUpperCase()}`, 40));
    const place = await deep(page, `${CP} >>> ck-bulk-placement >>> [part~=mapping] ~ .actions [data-action=place], ${CP} >>> ck-bulk-placement >>> button[data-action=place]`);
    await shot(page, size, 'bulk-mapping');
    await place.click();
    await page.waitForFunction(() => /^#\/place\/batches\/plb_/.test(location.hash), { timeout: 20_000 });
    const batchId = (await page.evaluate(() => location.hash)).split('/').pop()!;
    const runTitle = await deep(page, `${CP} >>> ck-bulk-placement >>> #run-title`);
    await page.waitForFunction((el) => { const r = (el as Element).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }, { timeout: 5_000 }, runTitle);
    expect(await page.$eval(`${CP} >>> ck-bulk-placement >>> [data-field=announcement]`, (p) => p.getAttribute('aria-live'))).toBe('polite');
    await shot(page, size, 'bulk-progress');

    // a reload: the same batch, its progress or outcome
    await page.reload({ waitUntil: 'load' });
    await heading(page, 'Spreadsheet placement');
    const outcome = await deep(page, `${CP} >>> ck-bulk-placement >>> [data-field=outcome]`, 30_000);
    expect(await outcome.evaluate((p) => p.textContent)).toContain('40 accounts placed');
    expect(await page.$eval(`${CP} >>> ck-bulk-placement >>> [data-count=invalid]`, (d) => d.textContent!.trim())).toBe('1');
    await settled(page, size, 'bulk-after-reload');

    // and in My placements
    await (await deep(page, `${CP} >>> ck-client-portal, ${CP} >>> a[data-route="place/mine"]`)).click();
    await heading(page, 'My placements');
    const batchRow = await deep(page, `${CP} >>> ck-my-placements >>> tr[data-batch="${batchId}"]`);
    expect(await batchRow.evaluate((tr) => tr.querySelector('[part~=status]')!.textContent)).toBe('Pending review');
    await (await deep(page, `${CP} >>> ck-my-placements >>> tr[data-batch="${batchId}"] [data-action=accounts]`)).click();
    await deep(page, `${CP} >>> ck-my-placements >>> #rows-${batchId} tr[data-placement]`);
    await settled(page, size, 'my-placements-batch');

    // the other areas, for console errors too
    for (const label of ['Messages', 'Reports', 'Collaboration Center', 'Accounts']) {
      await (await page.waitForFunction((h, l) => [...(document.querySelector(h)?.shadowRoot?.querySelectorAll('nav a') ?? [])].find((a) => a.textContent?.trim() === l), {}, CP, label) as ElementHandle<HTMLAnchorElement>).click();
      await heading(page, label);
      await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
    }
    await (await deep(page, `${CP} >>> #user-button`)).click();
    await (await deep(page, `${CP} >>> [data-action=sign-out]`, 5_000)).click();
    await heading(page, 'Sign in to your client portal');
    expect(consoleErrors, 'console errors on the client portal views').toEqual([]);
  }, 180_000);

  it('placeholders: the page links collectkit.css, which gives every element a "Loading…" placeholder until it is defined', async () => {
    const css = await (await fetch(`${site.url}/widgets/collectkit.css`)).text();
    for (const tag of ['ck-client-portal', 'ck-agency-console', 'ck-login', 'ck-account-search', 'ck-my-placements', 'ck-pay-form']) expect(css).toContain(`${tag}:not(:defined)`);
    // pages whose script has not run yet: a placeholder with its height, before any chunk
    const blank = await site.newPage();
    await blank.setJavaScriptEnabled(false);
    await blank.setViewport({ width: size.width, height: size.height });
    const placeholder = async (path: string, tag: string) => {
      await blank.goto(`${site.url}${path}`, { waitUntil: 'networkidle0' });
      return blank.$eval(tag, (el) => ({ minHeight: parseFloat(getComputedStyle(el).minHeight), before: getComputedStyle(el, '::before').content }));
    };
    // the demo's own site.css words the portal's placeholder its way (the page's CSS wins)
    expect(await placeholder('/', CP)).toEqual({ minHeight: expect.any(Number), before: '"Loading the portal…"' });
    await blank.screenshot({ path: `${SHOTS}/${size.name}-cp-placeholder.png` });
    // what collectkit.css alone gives: "Loading…"
    const pay = await placeholder('/pay.html', 'ck-pay-form');
    expect(pay.before).toBe('"Loading…"');
    expect(pay.minHeight).toBeGreaterThanOrEqual(48);
    await blank.close();
  });
});
