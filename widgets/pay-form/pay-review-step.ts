/**
 * The pay form's review step: what will be charged, when and to which method (each instalment of a
 * plan), the agreement to sign (the server's very words, compared by hash when signed), the email for
 * the receipt with the E-SIGN consent to electronic delivery, the typed name and the box to tick. It
 * renders from the element's view and calls back into the element; it keeps no state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatDate } from '../internal/format.js';
import { agreementView } from './pay-agreement-view.js';
import type { OfferPreview, PayApi, PayMethod, PaymentPreview } from './pay-api.js';
import { methodLabel } from './pay-method-step.js';
import { brandName } from '../../i18n/lang.js';
import { describedBy, renderField, type PayView } from './pay-view.js';

/** The E-SIGN statement (issue 9) and whether the debtor already agreed to electronic delivery by email. */
export type Esign = { version: string; title: string; text: string; consented: boolean };

/** The statement in the client's language, or null when it cannot be read (the review goes on without the consent box). */
export async function loadEsign(client: PayApi): Promise<Esign | null> {
  const e = await client.request<{ statement: Omit<Esign, 'consented'>; consent: { channels: { email: boolean } } | null }>('GET', '/pay/esign').catch(() => null);
  return e ? { ...e.statement, consented: Boolean(e.consent?.channels.email) } : null;
}

export interface ReviewState {
  preview: PaymentPreview | OfferPreview;
  method: PayMethod;
  /** an offer is being accepted: the button says "Sign and accept" */
  offer: boolean;
  email: string;
  consentEmail: boolean;
  typedName: string;
  agreed: boolean;
  esign: Esign | null;
  /** after a gateway failure the button offers the same method again */
  retrySame: boolean;
  /** the locale dates are written in: the element's `lang` as set */
  locale: string;
}

export interface ReviewHandlers {
  onEmail(email: string): void;
  onConsentEmail(checked: boolean): void;
  onTypedName(name: string): void;
  onAgreed(checked: boolean): void;
  onBack(): void;
  onSubmit(event: SubmitEvent): void;
}

export function renderReview(v: PayView, s: ReviewState, on: ReviewHandlers): TemplateResult {
  const { preview: p, method: m, esign } = s;
  const errors = v.fieldErrors;
  const schedule = 'schedule' in p ? p.schedule : null;
  const total = schedule ? schedule.reduce((sum, c) => sum + c.amountCents, 0) : (p as PaymentPreview).amount.amountCents;
  const date = schedule ? schedule[0]!.date : (p as PaymentPreview).scheduledFor;
  const label = s.offer ? v.t('acceptAndSign') : date ? v.t('schedule', { amount: v.money(total) }) : v.t('payNow', { amount: v.money(total) });
  const typed = (e: Event) => (e.target as HTMLInputElement).value;
  const ticked = (e: Event) => (e.target as HTMLInputElement).checked;
  return html`<form @submit=${on.onSubmit} novalidate>
    <dl class="summary">
      <dt>${v.t('paying')}</dt><dd data-field="amount">${v.money(total)}</dd>
      <dt>${v.t('on')}</dt><dd>${date ? formatDate(date, s.locale) : v.t('today')}</dd>
      <dt>${v.t('with')}</dt><dd>${methodLabel(m, v.lang)}</dd>
    </dl>
    ${schedule && schedule.length > 1 ? html`<section aria-label=${v.t('schedulePlan')}><ol>${schedule.map((c) => html`<li>${formatDate(c.date, s.locale)} — ${v.money(c.amountCents)}</li>`)}</ol></section>` : nothing}
    <div>
      <h3 id="agreement-title">${v.t('agreement')}</h3>
      ${agreementView(p.agreement.text, 'agreement-title')}
    </div>
    ${renderField(errors, 'email', v.t('emailReceipt'), html`<input id="email" name="email" type="email" part="input" autocomplete="email" .value=${s.email}
        @input=${(e: Event) => on.onEmail(typed(e).trim())} aria-invalid=${errors.email ? 'true' : 'false'} aria-describedby=${describedBy(errors, 'email') || nothing}>`)}
    ${esign && !esign.consented ? html`<div class="field" part="field">
      <label class="radio"><input type="checkbox" id="consentEmail" .checked=${s.consentEmail} @change=${(e: Event) => on.onConsentEmail(ticked(e))}> ${v.t('consentEmail')}</label>
      <details><summary>${esign.title}</summary><p class="hint" style="white-space:pre-wrap">${esign.text}</p></details>
    </div>` : nothing}
    ${renderField(errors, 'typedName', v.t('typedName'), html`<input id="typedName" name="typedName" part="input" autocomplete="name" .value=${s.typedName}
        @input=${(e: Event) => on.onTypedName(typed(e))} aria-invalid=${errors.typedName ? 'true' : 'false'} aria-describedby=${describedBy(errors, 'typedName') || nothing}>`)}
    <div class="field" part="field">
      <label class="radio"><input type="checkbox" id="agreed" .checked=${s.agreed} @change=${(e: Event) => on.onAgreed(ticked(e))}
        aria-invalid=${errors.agreed ? 'true' : 'false'} aria-describedby=${describedBy(errors, 'agreed') || nothing}> ${v.t('agree')}</label>
      <span class="error" part="field-error" id="agreed-error">${errors.agreed ?? ''}</span>
    </div>
    <div class="actions">
      <button part="button" type="button" @click=${on.onBack}>${v.t('back')}</button>
      <button class="primary" part="button submit" type="submit" ?disabled=${v.busy}>${v.busy ? v.t('processing') : s.retrySame ? v.t('tryAgain', { brand: brandName(m.brand, v.lang), last4: m.last4 }) : label}</button>
    </div>
  </form>`;
}
