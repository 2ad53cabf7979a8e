/**
 * Defects found walking the portal by hand at 390×844, each the way a person met it: the agency's
 * placement review made the whole page scroll sideways (a visually hidden column label escaped the
 * table's scroll box, which the element-by-element overflow check did not see), and the portal's own
 * pay page asked for a /favicon.ico that is not there — a console error on every debtor's visit.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { AC, AGENCY, CLIENT, SIZES, api, apiLogin, deep, heading, jsErrors, menu, openPage, overflowing, shot, signIn } from './walk-helpers.js';

const phone = SIZES.find((s) => s.name === 'phone')!;

describe('walk: the edges of the screen and the console at 390×844', () => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 60 });
    ({ page } = await openPage(site, phone));
  });
  afterAll(() => site?.close());

  it('placement review: the table scrolls inside its box, the page does not scroll sideways', async () => {
    onTestFailed(async () => console.error(`[walk-phone-edges] ${await explain(page, [AC, 'ck-placement-review'])}`));
    const token = await apiLogin(site, CLIENT);
    const { placement } = await api<{ placement: { id: string } }>(site, token, '/placements', {
      clientAccountNumber: 'EDGE-1', accountType: 'utility', serviceDate: '2026-03-01',
      balance: { principalCents: 123_456, interestCents: 0, feesCents: 0 },
      responsible: { firstName: 'Priya', lastName: 'Edgewalker', dob: '1981-04-05', address: { address1: '9 Elm St', city: 'Eugene', state: 'OR', zip: '97401' } },
    });
    await page.goto(`${site.url}/agency.html`, { waitUntil: 'load' });
    await signIn(page, AC, AGENCY);
    await heading(page, AC, 'Inbox');
    await menu(page, AC, 'Placement review');
    await deep(page, `${AC} >>> ck-placement-review >>> #sel-${placement.id}`);
    await shot(page, phone, 'edges-01-placement-review');
    expect(await overflowing(page)).toEqual([]);
    // the table itself is wider than the phone: it scrolls in its own box
    const box = await page.$eval(AC, (h) => { const s = h.shadowRoot!.querySelector('ck-placement-review')!.shadowRoot!.querySelector('.scroll')!; return { scroll: s.scrollWidth, client: s.clientWidth }; });
    expect(box.scroll).toBeGreaterThan(box.client);
    expect(jsErrors(page)).toEqual([]);
  });

  it('the pay page a payment link opens: no failed request and no console error', async () => {
    const token = await apiLogin(site, AGENCY);
    const account = (await api<{ data: { id: string }[] }>(site, token, '/accounts?status=active&pageSize=1')).data[0]!;
    const link = await api<{ url: string }>(site, token, `/agency/accounts/${account.id}/payment-links`, {});
    const problems: string[] = [];
    const debtor = await site.newPage();
    await debtor.setViewport({ width: phone.width, height: phone.height });
    debtor.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    debtor.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    debtor.on('requestfailed', (r) => problems.push(`failed ${r.url()}`));
    await debtor.goto(link.url.replace(/^https?:\/\/[^/]+/, site.url), { waitUntil: 'networkidle0' });
    await deep(debtor, 'ck-pay-form >>> [part~=validation], ck-pay-form >>> h2');
    await debtor.screenshot({ path: 'tests/e2e/screenshots/walk-phone-edges-02-pay-page.png', fullPage: true });
    expect(problems).toEqual([]);
    expect(jsErrors(debtor)).toEqual([]);
    await debtor.close();
  });
});
