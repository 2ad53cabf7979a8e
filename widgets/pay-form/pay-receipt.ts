/**
 * The receipt email on the confirmation: when it comes (the portal holds debtor messages to
 * 8 am–9 pm at the debtor's address, so a payment late at night is receipted in the morning) and a
 * button to have it sent now, or again. The server says when; this only words it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { z } from 'zod';
import type { ReceiptEmailOut } from '../../api/pay/pay.schema.js';
import type { PayApi } from './pay-api.js';
import type { MessageKey } from './pay-i18n.js';
import type { PayView } from './pay-view.js';

export type ReceiptEmail = z.output<typeof ReceiptEmailOut>;

export const receiptEmail = (api: PayApi, paymentId: string, send = false): Promise<ReceiptEmail> =>
  api.request<ReceiptEmail>(send ? 'POST' : 'GET', `/pay/payments/${encodeURIComponent(paymentId)}/receipt-email`, send ? {} : undefined);

type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** "…at 8:00 AM tomorrow"-like wording: weekday and time of day in the debtor's own clock. */
function when(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** The sentence under the receipt, or '' when there is no receipt email to speak of. */
export function receiptSentence(r: ReceiptEmail, t: T, lang: string): string {
  const email = r.to ?? '';
  if (r.status === 'sent' && r.sendAt) return t('receiptSent', { email, time: when(r.sendAt, lang) });
  if (r.status === 'not_sent') return t('receiptNotSent');
  if (r.status === 'waiting' && r.sendAt) {
    // within a quarter of an hour: "in a few minutes"; later: the contact window holds it
    const soon = new Date(r.sendAt).getTime() - Date.now() < 15 * 60_000;
    return soon ? t('receiptSoon', { email }) : t('receiptHeld', { email, time: when(r.sendAt, lang) });
  }
  return '';
}

/** When the receipt email comes, and "send it now" / "again" (`notice`: what the last press did). */
export function renderReceiptEmail(v: PayView, r: ReceiptEmail | null, notice: string, onSend: () => void): TemplateResult | typeof nothing {
  if (!r || r.status === 'none' || !r.to) return nothing;
  const sentence = receiptSentence(r, (k, values) => v.t(k, values), v.lang);
  return html`<p class="hint" data-field="receipt-email" role="status">${notice || sentence}</p>
    ${r.canRequest ? html`<button part="button" type="button" id="receipt-now" ?disabled=${v.busy} @click=${onSend}>
      ${v.t(r.status === 'waiting' ? 'receiptSendNow' : 'receiptResend')}</button>` : nothing}`;
}
