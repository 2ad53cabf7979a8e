import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widgets/all.js';
import type { CkPayForm, PaymentDetail } from '../../widgets/pay-form/pay-form.js';
import type { CkPayButton } from '../../widgets/pay-button/pay-button.js';
import type { Account, AccountPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

/** Active accounts with a balance, read through the agency's API (the widget never sees this). */
async function payableAccounts(n: number, skip = 0): Promise<Account[]> {
  const client = await signIn(DEMO.agency);
  const page = await client.get<AccountPage>('/accounts', { status: 'active', balanceMinCents: 20000, pageSize: 40, sort: 'balance', order: 'desc' });
  const out: Account[] = [];
  for (const row of page.data.slice(skip, skip + n)) out.push(await client.get<Account>(`/accounts/${row.id}`));
  return out;
}

async function linkFor(accountId: string): Promise<string> {
  const client = await signIn(DEMO.agency);
  return (await client.request<{ token: string }>('POST', `/agency/accounts/${accountId}/payment-links`, { body: {} })).token;
}

const text = (el: Element) => shadow(el).textContent!.replace(/\s+/g, ' ');
const heading = (el: Element) => shadow(el).querySelector('h2')!.textContent!.trim();
const button = (el: Element, label: string) => [...shadow(el).querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label))!;
const step = (el: Element, title: string) => waitUntil(() => heading(el) === title, `step "${title}" (now "${heading(el)}": ${shadow(el).querySelector('[part~=error]')?.textContent})`, { timeout: 10000 });

/**
 * The account step (issue 18 item 6): the validation information and the dispute form are shown
 * before any payment step; continuing leads to the payment.
 */
async function throughAccount(el: CkPayForm, title = 'Your account'): Promise<void> {
  await step(el, title);
  const dispute = await find<HTMLElement>(el, 'ck-dispute-form');
  await waitUntil(() => /\$[\d,]+\.\d\d/.test(dispute.shadowRoot?.textContent ?? ''), 'the validation information');
  shadow(el).querySelector<HTMLButtonElement>('#to-payment')!.click();
}

async function mount(attrs: { link?: string; lang?: string } = {}): Promise<CkPayForm> {
  const el = await fixture<CkPayForm>(html`<ck-pay-form api=${API} lang=${attrs.lang ?? 'en'} link=${attrs.link ?? ''}></ck-pay-form>`);
  await find(el, 'h2');
  return el;
}

/** From the review step: sign and pay; resolves with the success event. */
async function signAndPay(el: CkPayForm): Promise<PaymentDetail> {
  await find(el, '#typedName');
  type(el, 'typedName', 'Pat Debtor');
  shadow(el).querySelector<HTMLInputElement>('#agreed')!.click();
  const succeeded = oneEvent(el, 'ck-payment-succeeded');
  shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  return ((await succeeded) as CustomEvent<PaymentDetail>).detail;
}

describe('ck-pay-form', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
    await signOut();
  });

  it('is accessible and labels the identity check; missing fields are flagged and linked', async () => {
    const el = await mount();
    await expectAccessible(el);
    expect(shadow(el).querySelector('label[for=accountNumber]')!.textContent).to.equal('Account number');
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('#dob-error')!.textContent !== '');
    const dob = shadow(el).querySelector('#dob')!;
    expect(dob.getAttribute('aria-invalid')).to.equal('true');
    expect(dob.getAttribute('aria-describedby')).to.contain('dob-error');
    expect(shadow(el).querySelector('[part~=error]')!.getAttribute('aria-live')).to.equal('polite');
  });

  it('a wrong date of birth shows the server message in the live region', async () => {
    const [a] = await payableAccounts(1);
    const el = await mount();
    type(el, 'accountNumber', a!.agencyAccountNumber);
    type(el, 'dob', '1901-01-01');
    type(el, 'zip', a!.parties[0]!.address.zip!.slice(0, 5));
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('[part~=error]')!.textContent!.includes('could not find'), 'the not-found message', { timeout: 10000 });
    expect(heading(el)).to.equal('Find your account');
  });

  it('finds the account by number, DOB and ZIP and pays part of it with the wallet; receipt shown, event fired', async () => {
    const [a] = await payableAccounts(1, 1);
    const party = a!.parties.find((p) => p.role === 'responsible')!;
    const el = await mount();
    type(el, 'accountNumber', a!.agencyAccountNumber);
    type(el, 'dob', party.dob!);
    type(el, 'zip', party.address.zip!.slice(0, 5));
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await throughAccount(el);
    await step(el, 'Amount');
    expect(text(el)).to.contain(a!.client.name);
    await expectAccessible(el);
    const amount = shadow(el).querySelector<HTMLInputElement>('#amountCents')!;
    amount.value = 'abc';
    amount.dispatchEvent(new Event('input'));
    button(el, 'Continue').click();
    await waitUntil(() => shadow(el).querySelector('#amountCents-error')!.textContent !== '');
    amount.value = '12.34';
    amount.dispatchEvent(new Event('input'));
    button(el, 'Continue').click();
    await step(el, 'Payment method');
    expect(shadow(el).querySelector('iframe')!.getAttribute('src')).to.equal(`${API}/api/v1/pay/frame?lang=en`);
    expect(shadow(el).querySelector('iframe')!.getAttribute('title')).to.contain('secure frame');
    button(el, 'Wallet').click();
    await find(el, '[role=tabpanel] button');
    button(el, 'Pay with Sandbox Wallet').click();
    await step(el, 'Review and sign');
    expect(shadow(el).querySelector('[part~=agreement]')!.textContent).to.contain('$12.34');
    await expectAccessible(el);
    // signing is required
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('#agreed-error')!.textContent !== '');
    // a receipt email needs E-SIGN consent, asked right here
    type(el, 'email', 'receipt.widget@mail.example');
    const consent = await find<HTMLInputElement>(el, '#consentEmail');
    consent.click();
    await expectAccessible(el);
    const detail = await signAndPay(el);
    expect(detail.payments[0]).to.include({ status: 'succeeded' });
    expect(detail.payments[0]!.amount.amountCents).to.equal(1234);
    await step(el, 'Confirmation');
    expect(shadow(el).querySelector('[data-field=receipt]')!.textContent).to.equal(detail.payments[0]!.receiptNumber);
    const client = await signIn(DEMO.agency);
    const after = await client.get<Account>(`/accounts/${a!.id}`);
    expect(after.balanceDetail.totalCents).to.equal(a!.balanceDetail.totalCents - 1234);
    // the consent is on record for the debtor
    const session = await fetch(`${API}/api/v1/pay/session/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ linkToken: await linkFor(a!.id) }) }).then((r) => r.json()) as { token: string };
    const esign = await fetch(`${API}/api/v1/pay/esign`, { headers: { Authorization: `Bearer ${session.token}` } }).then((r) => r.json()) as { consent: { channels: { email: boolean } } | null };
    expect(esign.consent?.channels.email).to.equal(true);
  });

  it('opens from a payment link in Spanish and offers the settlement first', async () => {
    const [a] = await payableAccounts(1, 2);
    const client = await signIn(DEMO.agency);
    const payBy = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await client.request('POST', `/agency/accounts/${a!.id}/offers`, { body: { kind: 'settlement', percent: 50, payBy } });
    const el = await mount({ link: await linkFor(a!.id), lang: 'es' });
    await throughAccount(el, 'Su cuenta');
    await step(el, 'Ofertas para usted');
    expect(shadow(el).querySelector('[part~=offer] h3')!.textContent).to.contain('Liquide por');
    expect(button(el, 'Pagar otro monto')).to.exist;
    await expectAccessible(el);
    button(el, 'Elegir esta oferta').click();
    await step(el, 'Método de pago');
    button(el, 'Billetera').click();
    await find(el, '[role=tabpanel] button');
    button(el, 'Pagar con la billetera de prueba').click();
    await step(el, 'Revisar y firmar');
    expect(shadow(el).querySelector('[part~=agreement]')!.textContent).to.contain('queda liquidado por completo'); // the agreement in the debtor's language
    const detail = await signAndPay(el);
    expect(detail.payments[0]!.kind).to.equal('settlement');
    await step(el, 'Confirmación');
    expect(text(el)).to.contain('¡Gracias!');
  });

  it('works from the keyboard: Tab to the fields, Enter submits; focus follows the step heading', async () => {
    const [a] = await payableAccounts(1, 3);
    const party = a!.parties.find((p) => p.role === 'responsible')!;
    const el = await mount();
    shadow(el).querySelector<HTMLInputElement>('#accountNumber')!.focus();
    await sendKeys({ type: a!.agencyAccountNumber });
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement!.id).to.equal('dob');
    const [y, m, d] = party.dob!.split('-');
    await sendKeys({ type: `${m}${d}${y}` }); // a date input takes its segments in the browser's locale order
    const dob = shadow(el).querySelector<HTMLInputElement>('#dob')!;
    if (dob.value !== party.dob) dob.value = party.dob!; // a non-US locale orders the segments differently
    // Tab leaves the date's segments, then lands on the ZIP
    for (let i = 0; i < 3 && shadow(el).activeElement?.id === 'dob'; i++) await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement!.id).to.equal('zip');
    await sendKeys({ type: party.address.zip!.slice(0, 5) });
    await sendKeys({ press: 'Enter' });
    await step(el, 'Your account');
    await waitUntil(() => shadow(el).activeElement?.tagName === 'H2', 'focus on the heading');
  });

  it('an amount that is not one ("1,2.3"): Continue moves the focus to the field, which names its error', async () => {
    const [a] = await payableAccounts(1, 4);
    const el = await mount({ link: await linkFor(a!.id) });
    await throughAccount(el);
    await step(el, 'Amount');
    type(el, 'amount', '1,2.3');
    const go = button(el, 'Continue');
    go.focus();
    go.click();
    await waitUntil(() => shadow(el).querySelector('#amountCents[aria-invalid=true]'), 'the amount marked invalid');
    await waitUntil(() => shadow(el).activeElement?.id === 'amountCents', `the focus on the amount (now ${shadow(el).activeElement?.outerHTML.slice(0, 60)})`, { timeout: 5000 });
    expect(shadow(el).querySelector('#amountCents')!.getAttribute('aria-describedby')).to.contain('amountCents-error');
    expect(shadow(el).querySelector('#amountCents-error')!.textContent).to.contain('Enter an amount like 25.00.');
    expect(heading(el)).to.equal('Amount');
  });

  it('shows the contact-review step when the agency turns it on; a new email is saved', async () => {
    const [a] = await payableAccounts(1, 4);
    const client = await signIn(DEMO.agency);
    await client.request('PUT', '/agency/pay-settings', { body: { contactReviewStep: true } });
    try {
      const el = await mount({ link: await linkFor(a!.id) });
      await throughAccount(el);
      await step(el, 'Your contact details');
      await expectAccessible(el);
      type(el, 'newEmail', 'not-an-email');
      shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => shadow(el).querySelector('#newEmail-error')!.textContent !== '', 'the email error');
      type(el, 'newEmail', 'widget.test@mail.example');
      shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await step(el, 'Amount');
      const detail = await (await signIn(DEMO.agency)).get<Account>(`/accounts/${a!.id}`);
      expect(detail.parties.find((p) => p.role === 'responsible')!.emails[0]).to.equal('widget.test@mail.example');
    } finally {
      await (await signIn(DEMO.agency)).request('PUT', '/agency/pay-settings', { body: { contactReviewStep: false } });
    }
  });

  it('lays out for a phone: one column, full-width buttons', async () => {
    await setViewport({ width: 360, height: 740 });
    const el = await mount();
    const submit = shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!;
    const base = shadow(el).querySelector<HTMLElement>('[part~=base]')!;
    const inner = base.clientWidth - parseFloat(getComputedStyle(base).paddingLeft) - parseFloat(getComputedStyle(base).paddingRight);
    expect(Math.abs(submit.getBoundingClientRect().width - inner)).to.be.lessThan(2);
    expect(parseFloat(getComputedStyle(shadow(el).querySelector('#zip')!).fontSize)).to.be.at.least(16);
  });
});

describe('ck-pay-button', () => {
  it('is accessible; opens the flow in a modal dialog and Escape closes it, focus back on the button', async () => {
    const el = await fixture<CkPayButton>(html`<ck-pay-button api=${API}></ck-pay-button>`);
    await expectAccessible(el);
    const open = shadow(el).querySelector<HTMLButtonElement>('button[part=button]')!;
    expect(open.textContent!.trim()).to.equal('Pay now');
    expect(open.getAttribute('aria-haspopup')).to.equal('dialog');
    open.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = shadow(el).querySelector('dialog')!;
    await waitUntil(() => dialog.open, 'the dialog to open');
    const form = dialog.querySelector('ck-pay-form')!;
    expect(shadow(form).querySelector('h2')!.textContent).to.equal('Find your account');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'the dialog to close');
    await waitUntil(() => shadow(el).activeElement === open, 'focus back on the button');
  });
});
