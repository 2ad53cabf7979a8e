/**
 * The debtor's emails, written to the transactional outbox in the same transaction as the change
 * they announce (platform/outbox.ts delivers them with retries; consent, opt-out and the 8 am–9 pm
 * window are outbox policies, issue 9). Each has a dedupe key, so a retried step sends once.
 */
import type { Trx } from '../platform/db.js';
import { toDateOnly } from '../platform/db.js';
import type { AppDeps } from '../platform/http/context.js';
import { enqueueEmail, enqueueSms } from '../platform/outbox.js';
import { sealSecret } from '../platform/outbox-secrets.js';
import type { PaymentRow } from './payments.service.js';
import { formatMoney } from './agreement.js';
import { getPaySettings } from './pay.settings.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const html = (lines: string[]) => `<div style="font-family:system-ui,sans-serif;line-height:1.5">${lines.map((l) => `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>`).join('')}</div>`;

interface Contact { partyId: number | null; email: string | null; mobile: string | null; name: string; creditor: string; accountNumber: string }

/** The responsible party's first email and mobile number (the debtor's own contact details). */
export async function debtorContact(trx: Trx, accountId: number): Promise<Contact> {
  const row = (await trx('accounts').join('clients', 'clients.id', 'accounts.client_id')
    .leftJoin('account_parties as p', function () {
      this.on('p.account_id', '=', 'accounts.id').andOnVal('p.role', '=', 'responsible');
    })
    .where('accounts.id', accountId)
    .first('p.id as party_id', 'p.emails', 'p.phones', 'p.first_name', 'p.last_name', 'clients.name as client_name', 'accounts.agency_account_number')) as {
    partyId: number | null; emails: string | null; phones: string | null; firstName: string | null; lastName: string | null; clientName: string; agencyAccountNumber: string;
  };
  const emails = row.emails ? (JSON.parse(row.emails) as string[]) : [];
  const phones = row.phones ? (JSON.parse(row.phones) as { type: string; number: string }[]) : [];
  const cap = (s: string | null) => (s ? s.charAt(0) + s.slice(1).toLowerCase() : '');
  return {
    partyId: row.partyId, email: emails[0] ?? null, mobile: phones.find((p) => p.type === 'mobile')?.number ?? null,
    name: `${cap(row.firstName)} ${cap(row.lastName)}`.trim(), creditor: row.clientName, accountNumber: row.agencyAccountNumber,
  };
}

async function email(trx: Trx, accountId: number, to: string | null, partyId: number | null, category: string, dedupeKey: string, subject: string, lines: string[]): Promise<void> {
  if (!to) return;
  await enqueueEmail(trx, { to, subject, text: lines.join('\n\n'), html: html(lines), category, accountId, ...(partyId ? { partyId } : {}), dedupeKey });
}

/** After a payment reaches a final status: a receipt, or a decline notice for an automatic charge. */
export async function afterPaymentFinal(trx: Trx, _deps: AppDeps, p: PaymentRow, _now: Date, attended = false): Promise<void> {
  const c = await debtorContact(trx, p.accountId);
  const settings = await getPaySettings(trx);
  const to = p.payerEmail ?? c.email;
  const amount = formatMoney(Number(p.amountCents), p.currency);
  const method = p.methodKind === 'ach' ? `bank account ending ${p.methodLast4}` : `${p.methodBrand} ending ${p.methodLast4}`;
  if (p.status === 'succeeded') {
    await enqueueReceipt(trx, p, { to, category: 'pay.receipt', dedupeKey: `pay.receipt:${p.publicId}` });
  } else if ((p.status === 'declined' || p.status === 'failed') && p.kind !== 'one_time' && !attended) {
    // a decline in front of the debtor is told on screen; automatic charges need a notice
    await email(trx, p.accountId, to, c.partyId, 'pay.declined', `pay.declined:${p.publicId}:${p.attempts}`, `A scheduled payment was declined — ${settings.agencyName}`, [
      `Your scheduled payment of ${amount} on ${toDateOnly(p.scheduledFor) ?? ''} with your ${method} was declined (${p.declineCode ?? 'declined'}).`,
      'Open your payment link or find your account on our website to update your payment method.',
    ]);
  }
}

/**
 * The receipt of a succeeded payment: `pay.receipt` when the payment succeeds, `pay.receipt.requested`
 * when the debtor asks for it (again) on the confirmation (receipt-email.service.ts).
 */
export async function enqueueReceipt(trx: Trx, p: PaymentRow, opts: { to: string | null; category: string; dedupeKey: string }): Promise<void> {
  const c = await debtorContact(trx, p.accountId);
  const settings = await getPaySettings(trx);
  const amount = formatMoney(Number(p.amountCents), p.currency);
  const method = p.methodKind === 'ach' ? `bank account ending ${p.methodLast4}` : `${p.methodBrand} ending ${p.methodLast4}`;
  const balance = (await trx('accounts').where({ id: p.accountId }).first('balance_cents')) as { balanceCents: number | string };
  await email(trx, p.accountId, opts.to, c.partyId, opts.category, opts.dedupeKey, `Payment receipt ${p.receiptNumber} — ${settings.agencyName}`, [
    `Thank you${c.name ? `, ${c.name}` : ''}. We received your payment.`,
    `Receipt: ${p.receiptNumber}\nAmount: ${amount}\nPaid with: ${method}\nAccount: ${c.accountNumber} (${c.creditor})${p.instalmentNumber ? `\nInstalment: ${p.instalmentNumber}` : ''}`,
    `Remaining balance: ${formatMoney(Number(balance.balanceCents), p.currency)}`,
    `${settings.agencyName} is a debt collector. This is an attempt to collect a debt.`,
  ]);
}

/** The retry notice: an automatic charge was declined and will be tried again on a later date. */
export async function retryNotice(trx: Trx, p: PaymentRow, nextDate: string): Promise<void> {
  const c = await debtorContact(trx, p.accountId);
  const settings = await getPaySettings(trx);
  await email(trx, p.accountId, p.payerEmail ?? c.email, c.partyId, 'pay.declined', `pay.retry:${p.publicId}:${p.attempts}`, `A scheduled payment was declined — ${settings.agencyName}`, [
    `Your scheduled payment of ${formatMoney(Number(p.amountCents), p.currency)} was declined (${p.declineCode ?? 'declined'}). We will try again on ${nextDate}.`,
  ]);
}

/**
 * A payment link sent to the debtor by email or SMS. The link is sealed in the stored message and
 * opened only as it is sent (platform/outbox-secrets.ts): no table holds a usable token.
 */
export async function sendPaymentLink(trx: Trx, accountId: number, plainUrl: string, via: 'email' | 'sms', linkId: string, dataKey: string): Promise<string | null> {
  const url = sealSecret(plainUrl, dataKey);
  const c = await debtorContact(trx, accountId);
  const settings = await getPaySettings(trx);
  if (via === 'email') {
    if (!c.email) return null;
    await email(trx, accountId, c.email, c.partyId, 'pay.link', `pay.link:${linkId}`, `Your payment link — ${settings.agencyName}`, [
      `You can review and pay your ${c.creditor} account ${c.accountNumber} online:`, url,
      `${settings.agencyName} is a debt collector. This is an attempt to collect a debt.`,
    ]);
    return c.email;
  }
  if (!c.mobile) return null;
  await enqueueSms(trx, { to: c.mobile, text: `${settings.agencyName}: review and pay your ${c.creditor} account online: ${url} Reply STOP to opt out.`, category: 'pay.link', accountId, ...(c.partyId ? { partyId: c.partyId } : {}), dedupeKey: `pay.link.sms:${linkId}` });
  return c.mobile;
}

export { email as enqueueDebtorEmail };
