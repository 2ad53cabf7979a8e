/**
 * The receipt email as the debtor sees it on the confirmation (issue 18 item 8): when it will come —
 * the outbox holds debtor messages to 8 am–9 pm at the debtor's address (compliance/contact-window.ts),
 * so a payment at 11 pm gets its receipt at 8 am — and a way to have it sent now or again. A receipt
 * the debtor asks for is `pay.receipt.requested`: the debtor chose the time, so the contact window
 * does not hold it (Regulation F §1006.6(b)(1): a time the consumer chose is not inconvenient);
 * consent and opt-out still apply. At most three requests per payment.
 */
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { RequestMeta } from '../platform/http/context.js';
import { conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import type { OutboxRow } from '../platform/outbox.js';
import { debtorRecipientOf } from '../compliance/debtor-recipient.js';
import { zonesForAddress } from '../compliance/us-time-zones.js';
import { nextWindowOpening } from '../compliance/contact-window.js';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId } from './pay-access.service.js';
import { debtorActor, type PaymentRow } from './payments.service.js';
import { debtorContact, enqueueReceipt } from './payment-notices.js';

export const REQUESTED_RECEIPT = 'pay.receipt.requested';
const MAX_REQUESTS = 3;

export interface ReceiptEmailOut {
  /** where it goes (null: no address known) */
  to: string | null;
  /** none: no receipt email (no address, or not paid yet); waiting: will be sent at `sendAt`; sent: at `sendAt`; not_sent: cancelled (no consent, opted out) */
  status: 'none' | 'waiting' | 'sent' | 'not_sent';
  sendAt: string | null;
  /** whether the debtor may ask for it now (again) */
  canRequest: boolean;
}

interface ReceiptRow { id: number; status: string; recipient: string; category: string; notBefore: unknown; sentAt: unknown; channel: 'email'; accountId: number; partyId: number | null }

async function paymentOf(trx: Trx, session: DebtorSession, publicId: string): Promise<PaymentRow> {
  const account = await debtorAccountId(trx, session.accountId);
  const p = (await trx('payments').where({ publicId, accountId: account.id }).first()) as PaymentRow | undefined;
  if (!p) throw notFound('Payment');
  return p;
}

const receiptRows = (trx: Trx, p: PaymentRow) => trx('outbox').where({ accountId: p.accountId, channel: 'email' })
  .where((q) => q.where({ dedupeKey: `pay.receipt:${p.publicId}` }).orWhere('dedupeKey', 'like', `${REQUESTED_RECEIPT}:${p.publicId}:%`))
  .orderBy('id', 'desc').select('id', 'status', 'recipient', 'category', 'notBefore', 'sentAt', 'channel', 'accountId', 'partyId') as Promise<ReceiptRow[]>;

/** When the latest receipt email of the payment goes (or went). */
export async function receiptEmailStatus(trx: Trx, session: DebtorSession, publicId: string, now: Date): Promise<ReceiptEmailOut> {
  const p = await paymentOf(trx, session, publicId);
  const rows = await receiptRows(trx, p);
  const requests = rows.filter((r) => r.category === REQUESTED_RECEIPT).length;
  const canRequest = p.status === 'succeeded' && requests < MAX_REQUESTS;
  const last = rows[0];
  if (!last) return { to: p.payerEmail ?? (await debtorContact(trx, p.accountId)).email, status: 'none', sendAt: null, canRequest };
  if (last.status === 'sent') return { to: last.recipient, status: 'sent', sendAt: toIso(last.sentAt), canRequest };
  if (last.status === 'cancelled' || last.status === 'failed') return { to: last.recipient, status: 'not_sent', sendAt: null, canRequest };
  const due = new Date(Math.max(now.getTime(), new Date(toIso(last.notBefore) ?? now.toISOString()).getTime()));
  if (last.category === REQUESTED_RECEIPT) return { to: last.recipient, status: 'waiting', sendAt: due.toISOString(), canRequest };
  const who = await debtorRecipientOf(trx, last as unknown as OutboxRow);
  const zones = who.debtor ? zonesForAddress(who.party?.state, who.party?.zip) : [];
  const opens = zones.length ? nextWindowOpening(due, zones) : due;
  return { to: last.recipient, status: 'waiting', sendAt: (opens ?? due).toISOString(), canRequest };
}

/** Send it now: a receipt held for the window goes now; a sent (or cancelled) one is sent again. */
export async function requestReceiptEmail(trx: Trx, session: DebtorSession, publicId: string, meta: RequestMeta, now: Date): Promise<ReceiptEmailOut> {
  const p = await paymentOf(trx, session, publicId);
  if (p.status !== 'succeeded') throw conflict('payment_not_paid', 'A receipt is sent for a payment that was made.');
  const rows = await receiptRows(trx, p);
  const requests = rows.filter((r) => r.category === REQUESTED_RECEIPT).length;
  if (requests >= MAX_REQUESTS) throw conflict('receipt_request_limit', 'The receipt was already sent several times.');
  const waiting = rows.find((r) => r.status === 'pending');
  const dedupeKey = `${REQUESTED_RECEIPT}:${p.publicId}:${requests + 1}`;
  if (waiting) {
    await trx('outbox').where({ id: waiting.id, status: 'pending' }).update({ category: REQUESTED_RECEIPT, notBefore: now, dedupeKey });
  } else {
    const to = rows[0]?.recipient ?? p.payerEmail ?? (await debtorContact(trx, p.accountId)).email;
    if (!to) throw conflict('no_receipt_address', 'There is no email address to send the receipt to.');
    await enqueueReceipt(trx, p, { to, category: REQUESTED_RECEIPT, dedupeKey });
  }
  await writeAudit(trx, { actor: debtorActor(session), action: 'payment.receipt_requested', target: { type: 'payment', id: p.publicId }, ip: meta.ip, requestId: meta.requestId, after: { resent: !waiting } });
  return receiptEmailStatus(trx, session, publicId, now);
}
