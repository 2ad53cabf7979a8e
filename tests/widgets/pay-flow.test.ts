/**
 * Issue 18 item 8, the flow's details, each checked as a debtor meets it: the "Pay now" dialog beside
 * an inline form continues its session; the "pay all" button says what is left when part is
 * scheduled and never repeats the field; steps are numbered along the real path; the method tabs
 * stay on one row at 390 px, show the selected one and follow the tablist keys; the agreement reads
 * as text with long dates and "Visa"; the e-delivery consent is there before an email is typed; the
 * confirmation says when the receipt email comes and sends it on request; a scheduled payment's
 * confirmation gives its date. The real API behind it (serve-test-api.ts), no fetch mocked.
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widgets/all.js';
import type { CkPayForm } from '../../widgets/pay-form/pay-form.js';
import type { CkPayButton } from '../../widgets/pay-button/pay-button.js';
import type { AccountPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

/** Accounts no other widget test pays (the largest balances are taken by pay-form.test.ts). */
async function accountIds(n: number, skip: number): Promise<string[]> {
  const client = await signIn(DEMO.agency);
  const page = await client.get<AccountPage>('/accounts', { status: 'active', balanceMinCents: 20000, pageSize: 40, sort: 'balance', order: 'asc' });
  return page.data.slice(skip, skip + n).map((r) => r.id);
}

async function linkFor(accountId: string): Promise<string> {
  const client = await signIn(DEMO.agency);
  return (await client.request<{ token: string }>('POST', `/agency/accounts/${accountId}/payment-links`, { body: {} })).token;
}

const isoDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const heading = (el: Element) => shadow(el).querySelector('h2')!.textContent!.trim();
const progress = (el: Element) => shadow(el).querySelector('[part~=progress]')?.textContent?.trim() ?? '';
const button = (el: Element, label: string) => [...shadow(el).querySelectorAll('button')].find((b) => b.textContent!.trim().startsWith(label));
const step = (el: Element, title: string) => waitUntil(() => heading(el) === title, `step "${title}" (now "${heading(el)}": ${shadow(el).querySelector('[part~=error]')?.textContent})`, { timeout: 10000 });

async function mount(link: string, lang = 'en'): Promise<CkPayForm> {
  const el = await fixture<CkPayForm>(html`<ck-pay-form api=${API} lang=${lang} link=${link}></ck-pay-form>`);
  await find(el, 'h2');
  return el;
}

async function toPayment(el: CkPayForm): Promise<void> {
  await step(el, 'Your account');
  shadow(el).querySelector<HTMLButtonElement>('#to-payment')!.click();
}

/** From the amount step: `amount`, optionally a later date, then the wallet: the review step. */
async function amountAndWallet(el: CkPayForm, amount: string, payOn = ''): Promise<void> {
  await step(el, 'Amount');
  type(el, 'amount', amount);
  if (payOn) {
    const date = shadow(el).querySelector<HTMLInputElement>('#scheduledFor')!;
    date.value = payOn;
    date.dispatchEvent(new Event('input'));
  }
  button(el, 'Continue')!.click();
  await step(el, 'Payment method');
  shadow(el).querySelector<HTMLButtonElement>('#tab-wallet')!.click();
  await find(el, '[role=tabpanel] button');
  button(el, 'Pay with Sandbox Wallet')!.click();
  await step(el, 'Review and sign');
}

async function sign(el: CkPayForm): Promise<void> {
  type(el, 'typedName', 'Pat Debtor');
  shadow(el).querySelector<HTMLInputElement>('#agreed')!.click();
  shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  await step(el, 'Confirmation');
}

describe('ck-pay-form: flow details (issue 18 item 8)', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
    await signOut();
  });

  it('"Pay now" beside the inline form continues its session: the dialog opens on the account, not on "Find your account"', async () => {
    const [id] = await accountIds(1, 0);
    const page = await fixture<HTMLElement>(html`<div>
      <ck-pay-form id="inline" api=${API} link=${await linkFor(id!)}></ck-pay-form>
      <p>Or open the payment window: <ck-pay-button api=${API}></ck-pay-button></p></div>`);
    const inline = page.querySelector<CkPayForm>('#inline')!;
    await step(inline, 'Your account');
    const payButton = page.querySelector<CkPayButton>('ck-pay-button')!;
    shadow(payButton).querySelector<HTMLButtonElement>('button[part=button]')!.click();
    const dialog = shadow(payButton).querySelector('dialog')!;
    await waitUntil(() => dialog.open, 'the dialog to open');
    const form = dialog.querySelector<CkPayForm>('ck-pay-form')!;
    await step(form, 'Your account');
    expect(form.payAccount?.id).to.equal(id);
    // and on from there without a second identity check
    shadow(form).querySelector<HTMLButtonElement>('#to-payment')!.click();
    await step(form, 'Amount');
    dialog.close();
  });

  it('with part of the balance scheduled: no "(full balance)" button repeating the field; the button offers what is left', async () => {
    const [id] = await accountIds(1, 1);
    // a payment scheduled for later, set up through the debtor API
    const session = await fetch(`${API}/api/v1/pay/session/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ linkToken: await linkFor(id!) }) }).then((r) => r.json()) as { token: string };
    const auth = { 'Content-Type': 'application/json', Authorization: `Bearer ${session.token}` };
    const method = await fetch(`${API}/api/v1/pay/methods`, { method: 'POST', headers: auth, body: JSON.stringify({ kind: 'wallet', walletToken: 'sandbox-wallet-approve' }) }).then((r) => r.json()) as { id: string };
    const body = { amountCents: 5000, paymentMethodId: method.id, scheduledFor: isoDay(5) };
    const preview = await fetch(`${API}/api/v1/pay/payments/preview`, { method: 'POST', headers: auth, body: JSON.stringify(body) }).then((r) => r.json()) as { agreement: { textHash: string } };
    const scheduled = await fetch(`${API}/api/v1/pay/payments`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': `flow-${Math.random()}` }, body: JSON.stringify({ ...body, agreement: { typedName: 'Pat Debtor', textHash: preview.agreement.textHash } }) });
    expect(scheduled.status).to.equal(201);

    const el = await mount(await linkFor(id!));
    await toPayment(el);
    await step(el, 'Amount');
    const a = el.payAccount!;
    expect(a.payable.amountCents).to.equal(a.balance.amountCents - 5000);
    const field = shadow(el).querySelector<HTMLInputElement>('#amountCents')!;
    expect(field.value).to.equal((a.payable.amountCents / 100).toFixed(2));
    // the field already holds what can be paid: no button saying the same
    expect(shadow(el).querySelector('#pay-all')).to.equal(null);
    expect(shadow(el).textContent).not.to.contain('(full balance)');
    type(el, 'amount', '10.00');
    const all = await find<HTMLButtonElement>(el, '#pay-all');
    const left = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(a.payable.amountCents / 100);
    expect(all.textContent!.trim()).to.equal(`Pay ${left} (all that is not already scheduled)`);
    all.click();
    await waitUntil(() => field.value === (a.payable.amountCents / 100).toFixed(2), 'the field filled');
    await waitUntil(() => !shadow(el).querySelector('#pay-all'), 'the button gone once the field holds it');
  });

  it('numbers the steps along the real path: Offers and Amount differ; choosing an offer drops Amount', async () => {
    const [id] = await accountIds(1, 2);
    const client = await signIn(DEMO.agency);
    await client.request('POST', `/agency/accounts/${id}/offers`, { body: { kind: 'settlement', percent: 70, payBy: isoDay(10) } });
    const el = await mount(await linkFor(id!));
    await step(el, 'Your account');
    // from a link there is nothing to find: the account is step 1
    expect(progress(el)).to.equal('Step 1 of 6');
    shadow(el).querySelector<HTMLButtonElement>('#to-payment')!.click();
    await step(el, 'Offers for you');
    expect(progress(el)).to.equal('Step 2 of 6');
    button(el, 'Pay a different amount')!.click();
    await step(el, 'Amount');
    expect(progress(el)).to.equal('Step 3 of 6');
    button(el, 'Back')!.click();
    await step(el, 'Offers for you');
    button(el, 'Choose this offer')!.click();
    await step(el, 'Payment method');
    expect(progress(el)).to.equal('Step 3 of 5');
  });

  it('method tabs at 390 px: one row, nothing cut, the selected one filled, arrows/Home/End move the selection', async () => {
    await setViewport({ width: 390, height: 844 });
    const [id] = await accountIds(1, 3);
    const el = await mount(await linkFor(id!));
    await toPayment(el);
    await step(el, 'Amount');
    button(el, 'Continue')!.click();
    await step(el, 'Payment method');
    const tabs = [...shadow(el).querySelectorAll<HTMLButtonElement>('[role=tab]')];
    expect(tabs.map((t) => t.id)).to.deep.equal(['tab-card', 'tab-ach', 'tab-wallet']);
    expect(new Set(tabs.map((t) => Math.round(t.getBoundingClientRect().top))).size, 'one row').to.equal(1);
    for (const t of tabs) expect(t.scrollWidth, `${t.textContent} not cut`).to.be.at.most(t.clientWidth);
    const bg = (t: HTMLElement) => getComputedStyle(t).backgroundColor;
    expect(tabs.map((t) => t.getAttribute('aria-selected'))).to.deep.equal(['true', 'false', 'false']);
    expect(tabs.map((t) => t.tabIndex)).to.deep.equal([0, -1, -1]);
    expect(bg(tabs[0]!)).not.to.equal(bg(tabs[1]!));
    await expectAccessible(el);
    tabs[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => shadow(el).activeElement?.id === 'tab-ach', 'focus on the bank tab');
    expect(shadow(el).querySelector('#tab-ach')!.getAttribute('aria-selected')).to.equal('true');
    expect(shadow(el).querySelector('[role=tabpanel]')!.getAttribute('aria-labelledby')).to.equal('tab-ach');
    await sendKeys({ press: 'End' });
    await waitUntil(() => shadow(el).activeElement?.id === 'tab-wallet', 'End: the wallet tab');
    await find(el, '[role=tabpanel] button');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => shadow(el).activeElement?.id === 'tab-card', 'wraps to the first tab');
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'Home' });
    await waitUntil(() => shadow(el).activeElement?.id === 'tab-card', 'Home: the card tab');
  });

  it('review: the agreement reads as text (long dates, no monospace block); the e-delivery consent is offered before an email is typed; the confirmation says when the receipt comes and sends it now', async () => {
    const [id] = await accountIds(1, 4);
    const el = await mount(await linkFor(id!));
    await toPayment(el);
    await amountAndWallet(el, '11.00');
    const agreement = shadow(el).querySelector<HTMLElement>('[part~=agreement]')!;
    expect(agreement.tagName).not.to.equal('PRE');
    expect(getComputedStyle(agreement).fontFamily).not.to.match(/mono/i);
    expect(getComputedStyle(agreement).whiteSpace).to.equal('normal');
    expect(agreement.textContent).not.to.match(/\d{4}-\d{2}-\d{2}/);
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'long' }).format(new Date());
    expect(agreement.textContent).to.contain(`on ${today}`);
    expect(agreement.querySelectorAll('p').length).to.be.greaterThan(2);
    // the consent is there before any email is typed
    expect(shadow(el).querySelector<HTMLInputElement>('#email')!.value).to.equal('');
    const consent = shadow(el).querySelector<HTMLInputElement>('#consentEmail');
    expect(consent, 'the consent box before an email').to.not.equal(null);
    // ticked without an address: asked for one
    consent!.click();
    type(el, 'typedName', 'Pat Debtor');
    shadow(el).querySelector<HTMLInputElement>('#agreed')!.click();
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('#email-error')!.textContent !== '', 'an email is asked for');
    type(el, 'email', 'flow.receipt@mail.example');
    shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await step(el, 'Confirmation');
    const said = await find(el, '[data-field=receipt-email]');
    await waitUntil(() => said.textContent!.includes('flow.receipt@mail.example'), 'when the receipt comes');
    expect(said.textContent).to.match(/in a few minutes|only between 8 am and 9 pm/);
    await expectAccessible(el);
    (await find<HTMLButtonElement>(el, '#receipt-now')).click();
    await waitUntil(() => said.textContent!.includes('on its way'), 'sent on request');
  });

  it('a scheduled payment\'s confirmation gives its date', async () => {
    const [id] = await accountIds(1, 5);
    const el = await mount(await linkFor(id!), 'en');
    await toPayment(el);
    const day = isoDay(7);
    await amountAndWallet(el, '9.00', day);
    await sign(el);
    const on = await find(el, '[data-field=scheduled-on]');
    const long = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
    expect(on.textContent).to.equal(`Your payment of $9.00 will be taken on ${long}.`);
  });
});
