/**
 * After paying: the confirmation with its receipt, and the debtor's statuses view: each payment and, for a plan, each instalment, read as Paid / Pending /
 * Declined (with the retry date) / Cancelled, with a two-press cancel for a plan or a scheduled payment.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatDate } from '../internal/format.js';
import type { PayAccount, Payment } from './pay-api.js';
import type { PaymentDetail } from './pay-form.js';
import type { PayView } from './pay-view.js';
import { methodLabel } from './pay-method-step.js';

/** A plan as `GET /pay/plans/:id` returns it. */
export type PlanView = { id: string; status: string; schedule: (Payment & { planStatus: string })[] };

export function statusLabel(v: PayView, p: Payment & { planStatus?: string }): string {
  if (p.status === 'succeeded') return v.t('statusPaid');
  if (p.status === 'cancelled') return v.t('statusCancelled');
  if (p.status === 'declined' || p.status === 'failed') return v.t('statusDeclined');
  // declined once and tried again later: say so, with the date
  if (p.status === 'scheduled' && p.declineCode && p.scheduledFor) return v.t('statusRetry', { date: formatDate(p.scheduledFor, v.lang) });
  return v.t('statusPending');
}

export interface StatusesState {
  account: PayAccount;
  plan: PlanView | null;
  /** the plan or payment whose cancellation waits for a second, confirming press */
  confirmCancel: string;
  notice: string;
}

export function renderStatuses(v: PayView, s: StatusesState, onCancel: (kind: 'plan' | 'payment', id: string) => void, onBack: () => void): TemplateResult {
  const { account: a, plan } = s;
  const row = (p: Payment, label: string, cancel?: TemplateResult) => html`<li data-payment=${p.id} data-status=${p.status}>
    <span>${label}: ${v.money(p.amount.amountCents)} — ${formatDate(p.scheduledFor ?? p.createdAt, v.lang)}</span>
    <strong part="status">${statusLabel(v, p)}</strong>${cancel ?? nothing}</li>`;
  const cancelButton = (kind: 'plan' | 'payment', id: string) => html`<button part="button" type="button" data-cancel=${id} @click=${() => onCancel(kind, id)}>
    ${s.confirmCancel === id ? v.t(kind === 'plan' ? 'confirmCancelPlan' : 'confirmCancelPayment') : v.t(kind === 'plan' ? 'cancelPlan' : 'cancelPayment')}</button>`;
  // outside the plan shown: one-time and scheduled payments, and what was taken or declined under an earlier plan
  // (its never-charged instalments, cancelled with it, are not payments the debtor made)
  const loose = a.payments.filter((p) => !p.planId || (p.planId !== plan?.id && p.status !== 'cancelled'));
  return html`<div class="stack">
    <p class="success" role="status">${s.notice}</p>
    ${plan ? html`<section aria-labelledby="plan-title" part="plan">
      <h3 id="plan-title">${v.t('planTitle')} — ${v.t(plan.status === 'active' ? 'planActive' : plan.status === 'paused' ? 'planPaused' : plan.status === 'completed' ? 'planCompleted' : 'planCancelledStatus')}</h3>
      <ol class="statuses">${plan.schedule.map((p, i) => row(p, v.t('instalment', { n: i + 1 })))}</ol>
      ${plan.status === 'active' ? cancelButton('plan', plan.id) : nothing}
    </section>` : nothing}
    ${loose.length ? html`<section aria-labelledby="payments-title"><h3 id="payments-title">${v.t('paymentsTitle')}</h3>
      <ul class="statuses">${loose.map((p) => row(p, v.t('payment'), p.status === 'scheduled' && p.kind === 'scheduled' ? cancelButton('payment', p.id) : undefined))}</ul>
    </section>` : nothing}
    <div class="actions"><button part="button" type="button" @click=${onBack}>${v.t('back')}</button></div>
  </div>`;
}

/** The confirmation: what was paid or scheduled (each instalment of a plan), the receipt number, print and the statuses. */
export function renderDone(v: PayView, r: PaymentDetail, receiptEmail: TemplateResult | typeof nothing, onPayments: () => void): TemplateResult {
  const first = r.payments[0]!;
  const message = r.planId ? v.t('planThanks') : first.status === 'scheduled' ? v.t('scheduledThanks') : v.t('thanks');
  return html`<div class="stack" part="receipt">
    <p class="success">${message}</p>
    <dl class="summary">
      ${r.payments.map((p, i) => html`
        ${r.payments.length > 1 ? html`<dt>${v.t('instalment', { n: i + 1 })}</dt><dd>${formatDate(p.scheduledFor ?? p.createdAt, v.lang)} — ${v.money(p.amount.amountCents)}</dd>` : html`
        <dt>${v.t('paying')}</dt><dd data-field="paid">${v.money(p.amount.amountCents)}</dd>`}
        ${p.receiptNumber ? html`<dt>${v.t('receipt')}</dt><dd data-field="receipt">${p.receiptNumber}</dd>` : nothing}`)}
      <dt>${v.t('with')}</dt><dd>${methodLabel(first.method, v.lang)}</dd>
    </dl>
    ${first.status === 'scheduled' && !r.planId ? html`<p data-field="scheduled-on">${v.t('scheduledOn', { amount: v.money(first.amount.amountCents), date: formatDate(first.scheduledFor, v.lang) })}</p>` : nothing}
    ${receiptEmail}
    <div class="actions">
      <button part="button" type="button" @click=${() => window.print()}>${v.t('print')}</button>
      <button part="button" type="button" id="see-payments" @click=${onPayments}>${v.t('seePayments')}</button>
    </div>
  </div>`;
}
