/**
 * The pay form's steps before any money is chosen: find the account (or choose among several), the
 * account with its validation information and dispute form, the contact review, and the offers.
 * Each renders from the element's view and calls back into the element; none keeps state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatDate } from '../internal/format.js';
// the validation information and the dispute form, shown before any payment step
import '../dispute-form/dispute-form.js';
import type { IdentitySessions, Offer, PayAccount, PayApi } from './pay-api.js';
import type { MessageKey } from './pay-i18n.js';
import { describedBy, renderField, type PayView } from './pay-view.js';

/** The find step's form: the identity to look up, and the fields left empty. */
export function readFind(form: HTMLFormElement, findBy: 'account' | 'ssn'): { body: Record<string, string>; missing: string[] } {
  const data = new FormData(form);
  const value = (k: string) => String(data.get(k) ?? '').trim();
  const required = findBy === 'account' ? ['accountNumber', 'dob', 'zip'] : ['ssnLast4', 'dob', 'zip'];
  const body = { ...(findBy === 'account' ? { accountNumber: value('accountNumber') } : { ssnLast4: value('ssnLast4') }), dob: value('dob'), zip: value('zip') };
  return { body, missing: required.filter((k) => !value(k)) };
}

export function renderFind(v: PayView, findBy: 'account' | 'ssn', onFindBy: (by: 'account' | 'ssn') => void, onSubmit: (e: SubmitEvent) => void): TemplateResult {
  const input = (name: string, attrs: { type?: string; inputmode?: string; autocomplete?: string; maxlength?: number } = {}) => html`<input
    id=${name} name=${name} part="input" type=${attrs.type ?? 'text'} inputmode=${attrs.inputmode ?? nothing} autocomplete=${attrs.autocomplete ?? 'off'}
    maxlength=${attrs.maxlength ?? nothing} aria-invalid=${v.fieldErrors[name] ? 'true' : 'false'} aria-describedby=${describedBy(v.fieldErrors, name) || nothing}>`;
  const field = (name: string, label: string, control: TemplateResult) => renderField(v.fieldErrors, name, label, control);
  return html`<form @submit=${onSubmit} novalidate>
    <fieldset>
      <legend>${v.t('findBy')}</legend>
      <label class="radio"><input type="radio" name="findBy" .checked=${findBy === 'account'} @change=${() => onFindBy('account')}> ${v.t('byAccount')}</label>
      <label class="radio"><input type="radio" name="findBy" .checked=${findBy === 'ssn'} @change=${() => onFindBy('ssn')}> ${v.t('bySsn')}</label>
    </fieldset>
    ${findBy === 'account'
      ? field('accountNumber', v.t('accountNumber'), input('accountNumber'))
      : field('ssnLast4', v.t('ssnLast4'), input('ssnLast4', { inputmode: 'numeric', maxlength: 4 }))}
    ${field('dob', v.t('dob'), input('dob', { type: 'date', autocomplete: 'bday' }))}
    ${field('zip', v.t('zip'), input('zip', { inputmode: 'numeric', autocomplete: 'postal-code', maxlength: 5 }))}
    <div class="actions"><button class="primary" part="button submit" type="submit" ?disabled=${v.busy}>${v.busy ? v.t('opening') : v.t('find')}</button></div>
  </form>`;
}

export function renderChoose(v: PayView, choices: IdentitySessions['sessions'], onChoose: (token: string) => void): TemplateResult {
  return html`<div class="stack">
    ${choices.map((c) => html`<button part="button" type="button" @click=${() => onChoose(c.token)}>
      ${c.account.creditor} — ${v.t('account')} ${c.account.agencyAccountNumber}</button>`)}
  </div>`;
}

/** Who is owed, the account number and the balance, with the way to the payments made so far. */
export function renderAccountSummary(v: PayView, a: PayAccount, onPayments: () => void): TemplateResult {
  return html`<dl class="summary">
    <dt>${v.t('owedTo')}</dt><dd>${a.creditor}</dd>
    <dt>${v.t('account')}</dt><dd>${a.agencyAccountNumber}</dd>
    <dt>${v.t('balance')}</dt><dd data-field="balance">${v.money(a.balance.amountCents)}</dd>
  </dl>
  ${a.payments.length ? html`<button part="button" type="button" id="my-payments" @click=${onPayments}>${v.t('myPayments', { n: a.payments.length })}</button>` : nothing}`;
}

export function renderAccount(v: PayView, a: PayAccount, client: PayApi, onPayments: () => void, onContinue: () => void): TemplateResult {
  return html`<div class="stack">
    ${renderAccountSummary(v, a, onPayments)}
    <p>${v.t('validationIntro')}</p>
    <ck-dispute-form part="dispute" .debtor=${client} lang=${v.lang} account-id=${a.id}></ck-dispute-form>
    <div class="actions"><button class="primary" part="button submit" type="button" id="to-payment" @click=${onContinue}>${v.t('continueToPay')}</button></div>
  </div>`;
}

/** The contact step's new email or mobile number sent to POST /pay/contact: the account with its contact details then (unchanged when nothing was typed). */
export async function saveContact(client: PayApi, account: PayAccount, form: HTMLFormElement): Promise<PayAccount> {
  const data = new FormData(form);
  const email = String(data.get('newEmail') ?? '').trim();
  const mobile = String(data.get('newMobile') ?? '').trim();
  if (!email && !mobile) return account;
  const contact = await client.request<PayAccount['contact']>('POST', '/pay/contact', { ...(email ? { email } : {}), ...(mobile ? { mobile } : {}) });
  return { ...account, contact: { ...account.contact, emails: contact.emails, phones: contact.phones } };
}

export function renderContact(v: PayView, a: PayAccount, onSubmit: (e: SubmitEvent) => void): TemplateResult {
  const c = a.contact;
  const input = (name: string, type: string, autocomplete: string) => html`<input id=${name} name=${name} type=${type} part="input" autocomplete=${autocomplete}
    aria-invalid=${v.fieldErrors[name] ? 'true' : 'false'} aria-describedby=${describedBy(v.fieldErrors, name) || nothing}>`;
  return html`<form @submit=${onSubmit} novalidate>
    <p>${v.t('contactIntro')}</p>
    <dl class="summary">
      ${c.emails.map((e) => html`<dt>${v.t('email')}</dt><dd>${e}</dd>`)}
      ${c.phones.map((p) => html`<dt>${v.t('phone')}</dt><dd>${p.number}</dd>`)}
    </dl>
    ${renderField(v.fieldErrors, 'newEmail', v.t('newEmail'), input('newEmail', 'email', 'email'))}
    ${renderField(v.fieldErrors, 'newMobile', v.t('newMobile'), input('newMobile', 'tel', 'tel'))}
    <div class="actions"><button class="primary" part="button submit" type="submit" ?disabled=${v.busy}>${v.t('looksRight')}</button></div>
  </form>`;
}

export function renderOffers(v: PayView, a: PayAccount, onPayments: () => void, onChoose: (offer: Offer | null) => void): TemplateResult {
  return html`<div class="stack">
    ${renderAccountSummary(v, a, onPayments)}
    ${a.offers.map((o) => html`<section class="card" part="offer" aria-labelledby="offer-${o.id}">
      <h3 id="offer-${o.id}">${o.kind === 'settlement'
        ? v.t('offerSettlement', { amount: v.money(o.amount.amountCents) })
        : v.t('offerPlan', { n: o.instalments ?? 0, amount: v.money(o.instalmentAmountCents ?? 0) })}</h3>
      <p>${o.kind === 'settlement'
        ? v.t('offerSettlementDetail', { percent: o.percent ?? 0, savings: v.money(o.savings.amountCents), date: formatDate(o.payBy, v.lang) })
        : v.t('offerPlanDetail', { frequency: v.t((o.frequency ?? 'monthly') as MessageKey), balance: v.money(o.amount.amountCents) })}</p>
      <p class="hint">${v.t('offerExpires', { date: formatDate(o.expiresOn, v.lang) })}</p>
      <button class="primary" part="button" type="button" @click=${() => onChoose(o)}>${v.t('acceptOffer')}</button>
    </section>`)}
    ${a.options.allowSkipOffer ? html`<div class="actions"><button part="button" type="button" @click=${() => onChoose(null)}>${v.t('skipOffer')}</button></div>` : nothing}
  </div>`;
}
