/**
 * The pay form's amount step: how much to pay (with one press for all that can be paid) and, when the
 * agency allows scheduling, on which day. It renders from the element's view and calls back into the
 * element; it keeps no state. The server checks the amount and the date again when it previews.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { renderAccountSummary } from './pay-account-steps.js';
import type { PayAccount } from './pay-api.js';
import { describedBy, renderField, type PayView } from './pay-view.js';

/** What a person typed (`25`, `$25.5`, `25,50`) as integer cents, or null when it is not an amount. */
export function amountCents(text: string): number | null {
  const match = /^\s*\$?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** Cents as the amount field shows them (`2500` → `25.00`). */
export const amountText = (cents: number): string => (cents / 100).toFixed(2);

/** The amount field's error on Continue, or '' when the amount can go to the server. */
export function amountError(v: PayView, text: string): string {
  const cents = amountCents(text);
  return cents === null || cents <= 0 ? v.t('invalidAmount') : '';
}

export interface AmountState {
  /** the amount field as typed */
  amountText: string;
  /** the payment date, '' for today */
  payOn: string;
}

export interface AmountHandlers {
  onAmountText(text: string): void;
  /** "Pay $… (full balance)": the field takes all that can be paid, its error goes */
  onPayAll(): void;
  /** a later day, or '' for today */
  onPayOn(date: string): void;
  onPayments(): void;
  onBack(): void;
  onSubmit(event: SubmitEvent): void;
}

export function renderAmount(v: PayView, a: PayAccount, s: AmountState, on: AmountHandlers): TemplateResult {
  const today = new Date().toISOString().slice(0, 10);
  const last = new Date(Date.now() + a.options.maxScheduleDays * 86_400_000).toISOString().slice(0, 10);
  const payable = a.payable.amountCents;
  const errors = v.fieldErrors;
  return html`<form @submit=${on.onSubmit} novalidate>
    ${renderAccountSummary(v, a, on.onPayments)}
    ${renderField(errors, 'amountCents', v.t('amount'), html`<input id="amountCents" name="amount" part="input" inputmode="decimal" autocomplete="transaction-amount"
        .value=${s.amountText} @input=${(e: Event) => on.onAmountText((e.target as HTMLInputElement).value)}
        aria-invalid=${errors.amountCents ? 'true' : 'false'} aria-describedby=${describedBy(errors, 'amountCents', true)}>`,
      v.t('amountHint', { min: v.money(a.minPayment.amountCents), max: v.money(payable) }))}
    ${amountCents(s.amountText) !== payable && payable > 0
      ? html`<button part="button" type="button" id="pay-all" @click=${on.onPayAll}>
          ${v.t(payable < a.balance.amountCents ? 'payRemaining' : 'fullBalance', { amount: v.money(payable) })}</button>`
      : nothing}
    ${a.options.schedulingEnabled && !a.activePlanId
      ? renderField(errors, 'scheduledFor', v.t('payOn'), html`<input id="scheduledFor" type="date" part="input" min=${today} max=${last} .value=${s.payOn || today}
          @input=${(e: Event) => { const day = (e.target as HTMLInputElement).value; on.onPayOn(day > today ? day : ''); }}
          aria-invalid=${errors.scheduledFor ? 'true' : 'false'} aria-describedby=${describedBy(errors, 'scheduledFor', true)}>`, v.t('payOnHint', { days: a.options.maxScheduleDays }))
      : nothing}
    <div class="actions">
      ${a.offers.length ? html`<button part="button" type="button" @click=${on.onBack}>${v.t('back')}</button>` : nothing}
      <button class="primary" part="button submit" type="submit">${v.t('continue')}</button>
    </div>
  </form>`;
}
