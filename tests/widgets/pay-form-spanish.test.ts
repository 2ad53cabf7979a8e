/**
 * Issue 18, item 7 in the browser: ck-pay-form in Spanish through its steps shows no string of the
 * English catalogue (checked against i18n/en, not by eye) — its own words, the dispute form's, and
 * what the server answers (problems, the agreement, the E-SIGN statement) — and its switch leads back
 * to English without losing the debtor's place.
 */
import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkPayForm } from '../../widgets/pay-form/pay-form.js';
import type { Account, AccountPage } from '../../widgets/internal/api-client.js';
import { CATALOGUES, type Module } from '../../i18n/catalogue.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

/** The English catalogue's values a Spanish screen must not show (their longest literal part, 6 characters or more). */
function englishOnly(): string[] {
  const out = new Set<string>();
  for (const m of ['payForm', 'disputeForm', 'problems', 'documents'] as Module[]) {
    const en = CATALOGUES.en[m] as Record<string, string>;
    const es = CATALOGUES.es[m] as Record<string, string>;
    for (const [key, text] of Object.entries(en)) {
      if (text === es[key] || key === 'switchTo') continue;
      for (const line of text.split('\n')) {
        const literal = line.split(/\{\w+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
        if (literal.length >= 6) out.add(literal);
      }
    }
  }
  return [...out];
}
const ENGLISH = englishOnly();

/** What the debtor sees: the form's rendered text and the dispute form's inside it (innerText: visible text only). */
function visibleText(el: CkPayForm): string {
  const base = shadow(el).querySelector<HTMLElement>('[part~=base]')!;
  const dispute = shadow(el).querySelector('ck-dispute-form')?.shadowRoot?.querySelector<HTMLElement>('*:not(style)');
  const agreement = shadow(el).querySelector<HTMLElement>('[part~=agreement]')?.textContent ?? '';
  const esign = shadow(el).querySelector<HTMLElement>('details p')?.textContent ?? '';
  return [base.innerText, dispute?.innerText ?? '', agreement, esign].join('\n');
}

async function noEnglish(el: CkPayForm, where: string): Promise<void> {
  const text = visibleText(el);
  const found = ENGLISH.filter((s) => text.includes(s));
  expect(found, `${where}: ${found.join(' | ')}`).to.deep.equal([]);
}

const heading = (el: Element) => shadow(el).querySelector('h2')!.textContent!.trim();
const step = (el: Element, title: string) => waitUntil(() => heading(el) === title, `step "${title}" (now "${heading(el)}")`, { timeout: 10000 });
const button = (el: Element, label: string) => [...shadow(el).querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label))!;

describe('ck-pay-form in Spanish', () => {
  afterEach(() => signOut());

  it('shows no English catalogue string from the account to the receipt and the statuses; the switch leads back to English', async () => {
    const agency = await signIn(DEMO.agency);
    const page = await agency.get<AccountPage>('/accounts', { status: 'active', balanceMinCents: 20000, pageSize: 40, sort: 'balance', order: 'desc' });
    const a = await agency.get<Account>(`/accounts/${page.data[5]!.id}`);
    const link = (await agency.request<{ token: string }>('POST', `/agency/accounts/${a.id}/payment-links`, { body: {} })).token;
    const el = await fixture<CkPayForm>(html`<ck-pay-form api=${API} lang="es" link=${link}></ck-pay-form>`);
    await step(el, CATALOGUES.es.payForm.stepAccount);
    const dispute = await find<HTMLElement>(el, 'ck-dispute-form');
    await waitUntil(() => /\$[\d,]+\.\d\d/.test(dispute.shadowRoot?.textContent ?? ''), 'the validation information');
    await noEnglish(el, 'account');
    await expectAccessible(el);
    shadow(el).querySelector<HTMLButtonElement>('#to-payment')!.click();
    await step(el, CATALOGUES.es.payForm.stepAmount);
    await noEnglish(el, 'amount');
    // a refused amount: the server's problem in Spanish
    type(el, 'amount', '999999.00');
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await step(el, CATALOGUES.es.payForm.stepMethod);
    button(el, CATALOGUES.es.payForm.methodWallet).click();
    await find(el, '[role=tabpanel] button');
    button(el, CATALOGUES.es.payForm.walletPay).click();
    await waitUntil(() => shadow(el).querySelector('#amountCents-error')?.textContent?.startsWith('Pague entre'), 'the amount refused in Spanish', { timeout: 10000 });
    // the focus is on the field to correct, not on the step's heading
    await waitUntil(() => shadow(el).activeElement?.id === 'amountCents', `the focus on the amount (now on ${shadow(el).activeElement?.id || shadow(el).activeElement?.tagName})`);
    await noEnglish(el, 'amount refused');
    type(el, 'amount', '20.00');
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await step(el, CATALOGUES.es.payForm.stepMethod);
    await noEnglish(el, 'method');
    button(el, CATALOGUES.es.payForm.methodWallet).click();
    await find(el, '[role=tabpanel] button');
    button(el, CATALOGUES.es.payForm.walletPay).click();
    await step(el, CATALOGUES.es.payForm.stepReview);
    // the E-SIGN statement shows once an email is typed
    type(el, 'email', 'pat@mail.example');
    await find(el, 'details p');
    expect(shadow(el).querySelector('details summary')!.textContent).to.equal(CATALOGUES.es.documents.esignTitle);
    await noEnglish(el, 'review (agreement and E-SIGN statement)');
    type(el, 'typedName', 'Pat Debtor');
    shadow(el).querySelector<HTMLInputElement>('#agreed')!.click();
    const succeeded = oneEvent(el, 'ck-payment-succeeded');
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await succeeded;
    await step(el, CATALOGUES.es.payForm.stepDone);
    await noEnglish(el, 'confirmation');
    shadow(el).querySelector<HTMLButtonElement>('#see-payments')!.click();
    await step(el, CATALOGUES.es.payForm.stepPayments);
    await noEnglish(el, 'statuses');
    // back to English, in place: the switch names the other language in that language
    const sw = shadow(el).querySelector<HTMLButtonElement>('[part~=lang-switch]')!;
    expect(sw.textContent!.trim()).to.equal('English');
    expect(sw.lang).to.equal('en');
    const changed = oneEvent(el, 'ck-lang-change');
    sw.click();
    expect(((await changed) as CustomEvent<{ lang: string }>).detail.lang).to.equal('en');
    await step(el, CATALOGUES.en.payForm.stepPayments);
    expect(shadow(el).querySelector('[part~=lang-switch]')!.textContent!.trim()).to.equal('Español');
  });

  it('no-lang-switch (a page with a switch of its own): the form shows none', async () => {
    const el = await fixture<CkPayForm>(html`<ck-pay-form api=${API} lang="es" no-lang-switch></ck-pay-form>`);
    await waitUntil(() => shadow(el).querySelector('h2'), 'the first step');
    expect(shadow(el).querySelectorAll('[part~=lang-switch]').length).to.equal(0);
    el.noLangSwitch = false;
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~=lang-switch]')!.textContent!.trim()).to.equal('English');
  });
});
