/**
 * A debtor pays by card on the demo agency's public page: the personalised link opens the account,
 * a declined card is explained, a good card typed into the portal's frame pays, the receipt shows —
 * and the host page never held the card number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'puppeteer-core';
import { startDemoSite, typeInto, type DemoSite } from './harness.js';

async function payFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().includes('/api/v1/pay/frame'));
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the pay frame did not load');
}

async function typeCard(frame: Frame, number: string): Promise<void> {
  for (const [id, value] of [['number', number], ['expMonth', '12'], ['expYear', '30'], ['cvc', '123']] as const) {
    const el = await frame.waitForSelector(`#${id}`, { visible: true });
    await el!.click({ count: 3 });
    await el!.type(value);
  }
  await frame.click('#card-submit');
}

const heading = (page: Page) => page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('h2')!.textContent!.trim());
const waitForStep = (page: Page, title: string) =>
  page.waitForFunction((t) => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('h2')?.textContent?.trim() === t, { timeout: 20_000 }, title);

describe('demo site: a debtor pays by card', () => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 60 });
    page = await site.newPage();
  });
  afterAll(() => site.close());

  it('opens the payment link, survives a decline, pays by card in the frame and shows the receipt', async () => {
    const account = (await site.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 10000).orderBy('id').first('id', 'public_id', 'balance_cents')) as { id: number; publicId: string; balanceCents: number };
    const login = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'demo.agency', password: 'Northwind-Admin-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const link = await fetch(`${site.url}/api/v1/agency/accounts/${account.publicId}/payment-links`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` }, body: '{}' });
    const { url } = (await link.json()) as { url: string };
    expect(url).toContain('/pay.html#link=');

    await page.goto(`${site.url}${new URL(url).pathname}${new URL(url).hash}`, { waitUntil: 'networkidle0' });
    expect(await page.title()).toContain('Northwind Recovery');
    await waitForStep(page, 'Amount');
    expect(page.url()).not.toContain('link='); // the token left the address bar
    await typeInto(page, 'ck-pay-form >>> #amountCents', '25.00');
    await page.keyboard.press('Enter');
    await waitForStep(page, 'Payment method');

    // A declined card first: the debtor is told why and stays on the method step.
    await typeCard(await payFrame(page), '4000 0000 0000 0002');
    await waitForStep(page, 'Review and sign');
    await typeInto(page, 'ck-pay-form >>> #typedName', 'Pat Debtor');
    await page.click('ck-pay-form >>> #agreed');
    await page.click('ck-pay-form >>> button[type=submit]');
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[part~=error]')?.textContent?.includes('declined'), { timeout: 20_000 });
    expect(await heading(page)).toBe('Payment method');

    // Then a good card.
    await typeCard(await payFrame(page), '4242 4242 4242 4242');
    await waitForStep(page, 'Review and sign');
    expect(await page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('[part~=agreement]')!.textContent)).toContain('$25.00');
    await typeInto(page, 'ck-pay-form >>> #typedName', 'Pat Debtor');
    await page.click('ck-pay-form >>> #agreed');
    await page.click('ck-pay-form >>> button[type=submit]');
    await waitForStep(page, 'Confirmation');
    const receipt = await page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('[data-field=receipt]')!.textContent);
    expect(receipt).toMatch(/^R\d{6}-/);

    const payment = await site.db('payments').where({ accountId: account.id, status: 'succeeded' }).first();
    expect(payment).toMatchObject({ amountCents: 2500, methodLast4: '4242', methodBrand: 'visa', receiptNumber: receipt });
    expect(Number((await site.db('accounts').where({ id: account.id }).first('balance_cents')).balanceCents)).toBe(Number(account.balanceCents) - 2500);
    // The host page (light DOM and every shadow root) never saw the number.
    const hostText = await page.evaluate(() => {
      const walk = (root: Document | ShadowRoot): string => root instanceof Document ? root.documentElement.outerHTML + [...root.querySelectorAll('*')].map((e) => (e.shadowRoot ? walk(e.shadowRoot) : '')).join('') : (root as ShadowRoot).innerHTML + [...root.querySelectorAll('*')].map((e) => (e.shadowRoot ? walk(e.shadowRoot) : '')).join('');
      return walk(document);
    });
    expect(hostText).not.toMatch(/4242\s?4242\s?4242\s?4242/);
    expect(hostText).toContain('4242'); // brand + last 4 are shown
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
