/**
 * ck-payment-link on the real API, driven from the keyboard: a refused request leaves the focus on
 * the field to correct with one message saying what is wrong (the focus fell to the page, as the
 * button is disabled while the request runs, and "No such account." came with "Account not found.").
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkPaymentLink } from '../../widgets/agency-console/payment-link.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

async function mount(): Promise<CkPaymentLink> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-payment-link></ck-payment-link></ck-portal>`);
  const el = portal.querySelector('ck-payment-link')!;
  await find(el, 'form[part=form]');
  return el;
}

/** Focuses the submit button and presses it, as a person does. */
function submitFromButton(el: CkPaymentLink): void {
  const button = shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!;
  button.focus();
  button.click();
}

const messages = (el: CkPaymentLink) => [...shadow(el).querySelectorAll('.error, .alert')].map((e) => e.textContent!.trim()).filter(Boolean);

describe('ck-payment-link', () => {
  afterEach(signOut);

  it('an unknown account id: the focus lands on the field, which alone says what is wrong', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    await expectAccessible(el);
    type(el, 'accountId', 'acct_doesnotexist0000000000000');
    submitFromButton(el);
    await waitUntil(() => shadow(el).querySelector('#accountId[aria-invalid=true]'), 'the account id marked invalid', { timeout: 10000 });
    await waitUntil(() => shadow(el).activeElement?.id === 'accountId', 'the focus on the account id', { timeout: 5000 });
    expect(messages(el)).to.deep.equal(['No such account.']);
    expect(shadow(el).querySelector('#accountId')!.getAttribute('aria-describedby')).to.equal('accountId-error');
    await expectAccessible(el);
  });

  it('an empty account id: the focus lands on the field with its message', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    submitFromButton(el);
    await waitUntil(() => shadow(el).activeElement?.id === 'accountId', 'the focus on the account id', { timeout: 5000 });
    expect(messages(el)).to.deep.equal(['Enter the account id (acct_…).']);
  });
});
