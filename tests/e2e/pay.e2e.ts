/**
 * A debtor pays on a phone (Chromium at 390×844) on the portal's production pay page (`/pay`, served
 * without --demo, with CORS_ORIGINS set as in production): the personalised link opens the account,
 * the validation information comes before any payment step, a declined card is explained and a
 * good one typed into the portal's frame pays; a settlement survives a decline; a plan whose first
 * card declines is reported and taken again; the statuses are shown and the debtor cancels the
 * plan; a dispute is filed from the flow; and a Spanish run shows no string of the English catalogue.
 * Clicks and keys only: the API is used to set up data and to check what was stored.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, statuses, typeInto, visibleText, type DemoSite } from './harness.js';
import { CATALOGUES, type Module } from '../../i18n/catalogue.js';

const SHOTS = 'tests/e2e/screenshots';
const AGENCY_SITE = 'https://www.northwind-recovery.example';
const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function payFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().includes('/api/v1/pay/frame'));
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the pay frame did not load');
}

async function typeCard(page: Page, number: string): Promise<void> {
  const frame = await payFrame(page);
  for (const [id, value] of [['number', number], ['expMonth', '12'], ['expYear', String((new Date().getUTCFullYear() + 4) % 100)], ['cvc', '123']] as const) {
    const el = await frame.waitForSelector(`#${id}`, { visible: true });
    await el!.click({ count: 3 });
    await el!.type(value);
  }
  await frame.click('#card-submit');
}

const heading = (page: Page) => page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('h2')!.textContent!.trim());
const waitForStep = (page: Page, title: string) =>
  page.waitForFunction((t) => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('h2')?.textContent?.trim() === t, { timeout: 20_000 }, title);
const formError = (page: Page) => page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('[part~=error]')!.textContent ?? '');

/** Clicks the pay form's button whose label starts with `label`, as a person would. */
async function clickButton(page: Page, label: string): Promise<void> {
  const handle = await page.waitForFunction((l) => [...(document.querySelector('ck-pay-form')?.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent!.trim().startsWith(l)), { timeout: 20_000 }, label);
  await (handle as ElementHandle<HTMLButtonElement>).click();
}

async function signAndSubmit(page: Page): Promise<void> {
  await typeInto(page, 'ck-pay-form >>> #typedName', 'Pat Debtor');
  await page.click('ck-pay-form >>> #agreed');
  await page.click('ck-pay-form >>> button[type=submit]');
}

/** The English catalogue strings (every debtor-facing module: widget, frame, pay page, problems, documents) that differ from their Spanish version. */
function englishOnly(): string[] {
  const modules: Module[] = ['payForm', 'disputeForm', 'pages', 'problems', 'documents'];
  const pairs = modules.map((m) => [CATALOGUES.en[m], CATALOGUES.es[m]] as [Record<string, string>, Record<string, string>]);
  const out = new Set<string>();
  for (const [en, es] of pairs) {
    for (const [key, text] of Object.entries(en)) {
      // the switch back to English is named in English on purpose
      if (text === es[key] || key === 'switchTo' || key === 'pageSwitchTo') continue;
      // the longest literal part of a message with placeholders
      const literal = text.split(/\{\w+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
      if (literal.length >= 6) out.add(literal);
    }
  }
  return [...out];
}

describe('the production pay page at 390×844: a debtor pays, retries, plans, cancels and disputes', () => {
  let site: DemoSite;
  let page: Page;
  let agency: string;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // production: the agency's own site is registered; the portal's own /pay must still work
    site = await startDemoSite({ accounts: 80, config: { corsOrigins: [AGENCY_SITE] } });
    page = await site.newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    const login = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'demo.agency', password: 'Northwind-Admin-2026!' }) });
    agency = ((await login.json()) as { accessToken: string }).accessToken;
  });
  afterAll(() => site.close());

  const accounts = async (n: number) => (await site.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 10000)
    .orderBy('id').limit(n).select('id', 'public_id', 'balance_cents')) as { id: number; publicId: string; balanceCents: number }[];
  const agencyPost = async (path: string, body: unknown) => {
    const res = await fetch(`${site.url}/api/v1${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${agency}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  /** Opens the account's payment link as the debtor would, on this test server's origin. */
  async function openLink(publicId: string, lang = ''): Promise<void> {
    const { url } = (await agencyPost(`/agency/accounts/${publicId}/payment-links`, {})) as { url: string };
    expect(new URL(url).pathname).toBe('/pay');
    // a fresh document: the same path with another fragment would not load the page again
    await page.goto('about:blank');
    await page.goto(`${site.url}/pay${lang ? `?lang=${lang}` : ''}${new URL(url).hash}`, { waitUntil: 'networkidle0' });
  }
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

  it('one-time payment: validation first, a declined card explained, a good card pays, the receipt and the statuses show', async () => {
    onTestFailed(async () => console.error(`[pay e2e] ${await explain(page, ['ck-pay-form'])}`));
    const [account] = await accounts(1);
    await openLink(account!.publicId);
    expect(await page.title()).toContain('Northwind Recovery');
    await waitForStep(page, 'Your account');
    expect(page.url()).not.toContain('link='); // the token left the address bar
    // the validation information, before any payment step
    await deepSelector(page, 'ck-pay-form >>> ck-dispute-form >>> [data-field=current-amount]');
    const dollars = (Number(account!.balanceCents) / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    expect(await page.$eval('ck-pay-form >>> ck-dispute-form >>> [data-field=current-amount]', (el) => el.textContent)).toBe(dollars);
    await shot('1-account-validation');
    await page.click('ck-pay-form >>> #to-payment');
    await waitForStep(page, 'Amount');
    await typeInto(page, 'ck-pay-form >>> #amountCents', '25.00');
    await page.keyboard.press('Enter');
    await waitForStep(page, 'Payment method');

    await typeCard(page, '4000 0000 0000 0002');
    await waitForStep(page, 'Review and sign');
    await signAndSubmit(page);
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[part~=error]')?.textContent?.includes('declined'), { timeout: 20_000 });
    expect(await heading(page)).toBe('Payment method');
    expect(await formError(page)).toContain('The card was declined by the bank.');
    await shot('2-declined');

    await typeCard(page, '4242 4242 4242 4242');
    await waitForStep(page, 'Review and sign');
    expect(await page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('[part~=agreement]')!.textContent)).toContain('$25.00');
    await signAndSubmit(page);
    await waitForStep(page, 'Confirmation');
    const receipt = await page.$eval('ck-pay-form', (el) => el.shadowRoot!.querySelector('[data-field=receipt]')!.textContent);
    expect(receipt).toMatch(/^R\d{6}-/);
    const payment = await site.db('payments').where({ accountId: account!.id, status: 'succeeded' }).first();
    expect(payment).toMatchObject({ amountCents: 2500, methodLast4: '4242', methodBrand: 'visa', receiptNumber: receipt });

    // the statuses: the paid payment and the declined attempt
    await page.click('ck-pay-form >>> #see-payments');
    await waitForStep(page, 'Your payments');
    expect(await statuses(page, 'payments')).toEqual(['Paid', 'Declined']);
    await shot('3-statuses');
    // the host page (light DOM and every shadow root) never saw the number
    expect(await visibleText(page)).not.toMatch(/4242\s?4242\s?4242\s?4242/);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });

  it('a settlement: declined, then retried with a good card, settles the account', async () => {
    onTestFailed(async () => console.error(`[pay e2e] ${await explain(page, ['ck-pay-form'])}`));
    const account = (await accounts(3))[1]!;
    await agencyPost(`/agency/accounts/${account.publicId}/offers`, { kind: 'settlement', percent: 60, payBy: isoDay(10) });
    await openLink(account.publicId);
    await waitForStep(page, 'Your account');
    await page.click('ck-pay-form >>> #to-payment');
    await waitForStep(page, 'Offers for you');
    await clickButton(page, 'Choose this offer');
    await waitForStep(page, 'Payment method');
    await typeCard(page, '4000 0000 0000 0002');
    await waitForStep(page, 'Review and sign');
    await signAndSubmit(page);
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[part~=error]')?.textContent?.includes('declined'), { timeout: 20_000 });
    expect(await heading(page)).toBe('Payment method');
    // a retry on the same offer: before the fix this answered 500 (charge key reused)
    await typeCard(page, '4242 4242 4242 4242');
    await waitForStep(page, 'Review and sign');
    await signAndSubmit(page);
    await waitForStep(page, 'Confirmation');
    expect(await site.db('accounts').where({ id: account.id }).first('status', 'balance_cents')).toEqual({ status: 'settled', balanceCents: 0 });
    const rows = await site.db('payments').where({ accountId: account.id }).orderBy('id').select('status');
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['declined', 'succeeded']);
    await shot('4-settled');
  });

  it('a plan whose first card declines is reported at once, taken with another card, shown by instalment and cancelled by the debtor', async () => {
    onTestFailed(async () => console.error(`[pay e2e] ${await explain(page, ['ck-pay-form'])}`));
    const account = (await accounts(3))[2]!;
    await agencyPost(`/agency/accounts/${account.publicId}/offers`, { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: isoDay(14) });
    await openLink(account.publicId);
    await waitForStep(page, 'Your account');
    await page.click('ck-pay-form >>> #to-payment');
    await waitForStep(page, 'Offers for you');
    await clickButton(page, 'Choose this offer');
    await waitForStep(page, 'Payment method');
    await typeCard(page, '4000 0000 0000 9995');
    await waitForStep(page, 'Review and sign');
    await signAndSubmit(page);
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[part~=error]')?.textContent?.includes('first payment was declined'), { timeout: 20_000 });
    expect(await heading(page)).toBe('Payment method');
    expect(await formError(page)).toContain('insufficient funds');
    await shot('5-plan-first-declined');

    await typeCard(page, '4242 4242 4242 4242');
    await waitForStep(page, 'Review and sign');
    await signAndSubmit(page);
    await waitForStep(page, 'Confirmation');
    await page.click('ck-pay-form >>> #see-payments');
    await waitForStep(page, 'Your payments');
    expect(await statuses(page, 'plan')).toEqual(['Paid', 'Pending', 'Pending']);
    await shot('6-plan-statuses');
    // cancel: a first press asks, the second confirms
    await page.click('ck-pay-form >>> [data-cancel]');
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[data-cancel]')?.textContent?.includes('Yes, cancel'));
    await page.click('ck-pay-form >>> [data-cancel]');
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('p.success')?.textContent?.includes('Your plan was cancelled'), { timeout: 20_000 });
    expect(await statuses(page, 'plan')).toEqual(['Paid', 'Cancelled', 'Cancelled']);
    await shot('7-plan-cancelled');
    const plans = await site.db('payment_plans').where({ accountId: account.id }).orderBy('id').select('status');
    expect(plans.map((p: { status: string }) => p.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('the validation information is read and a dispute filed from the pay flow', async () => {
    onTestFailed(async () => console.error(`[pay e2e] ${await explain(page, ['ck-pay-form'])}`));
    const account = (await site.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 10000).orderBy('id', 'desc').first('id', 'public_id')) as { id: number; publicId: string };
    await openLink(account.publicId);
    await waitForStep(page, 'Your account');
    await deepSelector(page, 'ck-pay-form >>> ck-dispute-form >>> [data-field=current-creditor]');
    await page.click('ck-pay-form >>> ck-dispute-form >>> input[value=dispute_all]');
    await page.select('ck-pay-form >>> ck-dispute-form >>> #reasonCode', 'not_mine');
    await typeInto(page, 'ck-pay-form >>> ck-dispute-form >>> #reason', 'I never had an account with this company.');
    await page.click('ck-pay-form >>> ck-dispute-form >>> button[type=submit]');
    // the confirmation, or an error to report (the nested shadow root read directly: ck-dispute-form sits in ck-pay-form's)
    const dispute = () => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('ck-dispute-form')?.shadowRoot;
    onTestFailed(async () => console.error(`[pay e2e] dispute form: ${await page.evaluate(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('ck-dispute-form')?.shadowRoot?.textContent?.replace(/\s+/g, ' ')).catch(() => '?')}`));
    await page.waitForFunction(`(${dispute.toString()})()?.querySelector('[data-field=reference]')?.textContent`, { timeout: 20_000 });
    const reference = await page.evaluate(() => document.querySelector('ck-pay-form')!.shadowRoot!.querySelector('ck-dispute-form')!.shadowRoot!.querySelector('[data-field=reference]')!.textContent);
    expect(reference).toMatch(/^dsp_/);
    await shot('8-dispute-filed');
    expect(await site.db('accounts').where({ id: account.id }).first('status')).toEqual({ status: 'disputed' });
    expect(await site.db('disputes').where({ publicId: reference }).first('kind', 'scope')).toEqual({ kind: 'dispute', scope: 'all' });
  });

  it('in Spanish: no string of the English catalogue is shown, a decline is worded in Spanish, and the switch leads back to English', async () => {
    onTestFailed(async () => console.error(`[pay e2e] ${await explain(page, ['ck-pay-form'])}`));
    const account = (await site.db('accounts').where({ status: 'active', reviewStatus: 'accepted' }).where('balance_cents', '>=', 10000).orderBy('id', 'desc').offset(1).first('id', 'public_id')) as { id: number; publicId: string };
    await openLink(account.publicId, 'es');
    const english = englishOnly();
    const noEnglish = async (where: string) => {
      const text = await visibleText(page);
      expect(english.filter((s) => text.includes(s)), where).toEqual([]);
    };
    await waitForStep(page, 'Su cuenta');
    await deepSelector(page, 'ck-pay-form >>> ck-dispute-form >>> [data-field=current-amount]');
    await noEnglish('account step');
    await page.click('ck-pay-form >>> #to-payment');
    await waitForStep(page, 'Monto');
    await noEnglish('amount step');
    await typeInto(page, 'ck-pay-form >>> #amountCents', '20.00');
    await page.keyboard.press('Enter');
    await waitForStep(page, 'Método de pago');
    await (await payFrame(page)).waitForFunction(() => document.documentElement.lang === 'es');
    await noEnglish('method step');
    await typeCard(page, '4000 0000 0000 0002');
    await waitForStep(page, 'Revisar y firmar');
    await noEnglish('review step');
    await signAndSubmit(page);
    await page.waitForFunction(() => document.querySelector('ck-pay-form')?.shadowRoot?.querySelector('[part~=error]')?.textContent?.includes('rechazado'), { timeout: 20_000 });
    expect(await formError(page)).toContain('El banco rechazó la tarjeta.');
    await noEnglish('declined');
    await shot('9-es-declined');
    // back to English without losing the session
    await page.click('#lang-switch');
    await waitForStep(page, 'Payment method');
    expect(await page.$eval('html', (el) => el.lang)).toBe('en');
    await shot('10-back-to-english');
  });

  it('the demo agency page switches to Spanish and back without losing the debtor\'s place', async () => {
    await page.goto(`${site.url}/pay.html?lang=es`, { waitUntil: 'networkidle0' });
    await waitForStep(page, 'Encuentre su cuenta');
    expect(await page.$eval('#title', (el) => el.textContent)).toBe('Pague su factura en línea');
    await page.click('#lang-switch');
    await waitForStep(page, 'Find your account');
    expect(await page.$eval('#title', (el) => el.textContent)).toBe('Pay your bill online');
    expect(await page.$eval('#lang-switch', (el) => el.textContent)).toBe('Español');
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
