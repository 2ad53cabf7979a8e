/**
 * The debtor's emails and texts, in the debtor's language (the catalogue's notices module; the
 * language recorded on the party, see recordDebtorLanguage), written to the transactional outbox in the same transaction as the change
 * they announce (platform/outbox.ts delivers them with retries; consent, opt-out and the 8 am–9 pm
 * window are outbox policies, issue 9). Each has a dedupe key, so a retried step sends once.
 */
import type { Trx } from '../platform/db.js';
import { toDateOnly } from '../platform/db.js';
import type { AppDeps } from '../platform/http/context.js';
import { enqueueEmail, enqueueSms } from '../platform/outbox.js';
import { sealSecret } from '../platform/outbox-secrets.js';
import type { PaymentRow } from './payments.service.js';
import { declineMessage } from './gateway/gateway.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';
import { brandName, isLang, longDate, money, say, type Lang, type Params } from '../../i18n/catalogue.js';
import type { NoticeWords } from '../../i18n/en/notices.js';

type NoticeKey = keyof NoticeWords;
import { getPaySettings } from './pay.settings.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const html = (lines: string[]) => `<div style="font-family:system-ui,sans-serif;line-height:1.5">${lines.map((l) => `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>`).join('')}</div>`;

interface Contact { partyId: number | null; email: string | null; mobile: string | null; name: string; creditor: string; accountNumber: string; lang: Lang }

/** The responsible party's first email and mobile number (the debtor's own contact details). */
export async function debtorContact(trx: Trx, accountId: number): Promise<Contact> {
  const row = (await trx('accounts').join('clients', 'clients.id', 'accounts.client_id')
    .leftJoin('account_parties as p', function () {
      this.on('p.account_id', '=', 'accounts.id').andOnVal('p.role', '=', 'responsible');
    })
    .where('accounts.id', accountId)
    .first('p.id as party_id', 'p.emails', 'p.phones', 'p.first_name', 'p.last_name', 'p.language', 'clients.name as client_name', 'accounts.agency_account_number')) as {
    partyId: number | null; language: string | null; emails: string | null; phones: string | null; firstName: string | null; lastName: string | null; clientName: string; agencyAccountNumber: string;
  };
  const emails = row.emails ? (JSON.parse(row.emails) as string[]) : [];
  const phones = row.phones ? (JSON.parse(row.phones) as { type: string; number: string }[]) : [];
  const cap = (s: string | null) => (s ? s.charAt(0) + s.slice(1).toLowerCase() : '');
  return {
    partyId: row.partyId, email: emails[0] ?? null, mobile: phones.find((p) => p.type === 'mobile')?.number ?? null,
    name: `${cap(row.firstName)} ${cap(row.lastName)}`.trim(), creditor: row.clientName, accountNumber: row.agencyAccountNumber,
    lang: isLang(row.language) ? row.language : 'en',
  };
}

async function email(trx: Trx, accountId: number, to: string | null, partyId: number | null, category: string, dedupeKey: string, subject: string, lines: string[]): Promise<void> {
  if (!to) return;
  await enqueueEmail(trx, { to, subject, text: lines.join('\n\n'), html: html(lines), category, accountId, ...(partyId ? { partyId } : {}), dedupeKey });
}

/**
 * The debtor chose a language (signing, paying, accepting an offer): their emails and texts follow it
 * from now on. Recorded on the responsible party, with an audit row when it changes.
 */
export async function recordDebtorLanguage(trx: Trx, accountId: number, lang: Lang | undefined, meta: { actor: AuditActor; ip?: string | null; requestId?: string | null }): Promise<void> {
  if (!lang) return;
  const party = (await trx('account_parties').where({ accountId, role: 'responsible' }).first('id', 'language')) as { id: number; language: string | null } | undefined;
  if (!party || (party.language ?? 'en') === lang) return;
  await trx('account_parties').where({ id: party.id }).update({ language: lang });
  await writeAudit(trx, { actor: meta.actor, action: 'debtor.language_set', target: { type: 'party', id: String(party.id) }, ip: meta.ip ?? null, requestId: meta.requestId ?? null, before: { language: party.language ?? 'en' }, after: { language: lang } });
}

/** A payment method as a notice names it: its brand as the pay form shows it ("Sandbox Wallet ending 4242", not the gateway's code). */
const methodText = (lang: Lang, kind: string | null, brand: string | null, last4: string | null) =>
  kind === 'ach' ? say(lang, 'notices', 'methodBank', { last4: last4 ?? '' }) : say(lang, 'notices', 'methodCard', { brand: brandName(brand, lang), last4: last4 ?? '' });

/** After a payment reaches a final status: a receipt, or a decline notice for an automatic charge. */
export async function afterPaymentFinal(trx: Trx, _deps: AppDeps, p: PaymentRow, _now: Date, attended = false): Promise<void> {
  const c = await debtorContact(trx, p.accountId);
  const settings = await getPaySettings(trx);
  const lang = c.lang;
  const w = (key: NoticeKey, params?: Params) => say(lang, 'notices', key, params);
  const to = p.payerEmail ?? c.email;
  const amount = money(Number(p.amountCents), p.currency, lang);
  const method = methodText(lang, p.methodKind, p.methodBrand, p.methodLast4);
  const agency = settings.agencyName;
  if (p.status === 'succeeded') {
    await enqueueReceipt(trx, p, { to, category: 'pay.receipt', dedupeKey: `pay.receipt:${p.publicId}` });
  } else if ((p.status === 'declined' || p.status === 'failed') && p.kind !== 'one_time' && !attended) {
    // a decline in front of the debtor is told on screen; automatic charges need a notice
    await email(trx, p.accountId, to, c.partyId, 'pay.declined', `pay.declined:${p.publicId}:${p.attempts}`, w('declinedSubject', { agency }), [
      w('declinedBody', { amount, date: longDate(toDateOnly(p.scheduledFor) ?? '', lang), method, reason: declineMessage(p.declineCode, lang) ?? '' }),
      w('declinedUpdate'),
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
  const lang = c.lang;
  const w = (key: NoticeKey, params?: Params) => say(lang, 'notices', key, params);
  const amount = money(Number(p.amountCents), p.currency, lang);
  const method = methodText(lang, p.methodKind, p.methodBrand, p.methodLast4);
  const agency = settings.agencyName;
  const balance = (await trx('accounts').where({ id: p.accountId }).first('balance_cents')) as { balanceCents: number | string };
  await email(trx, p.accountId, opts.to, c.partyId, opts.category, opts.dedupeKey, w('receiptSubject', { receipt: p.receiptNumber ?? '', agency }), [
    c.name ? w('receiptThanksName', { name: c.name }) : w('receiptThanks'),
    w('receiptLines', { receipt: p.receiptNumber ?? '', amount, method, account: c.accountNumber, creditor: c.creditor }) + (p.instalmentNumber ? `\n${w('receiptInstalment', { n: p.instalmentNumber })}` : ''),
    w('remainingBalance', { balance: money(Number(balance.balanceCents), p.currency, lang) }),
    w('collectorNotice', { agency }),
  ]);
}

/** The retry notice: an automatic charge was declined and will be tried again on a later date. */
export async function retryNotice(trx: Trx, p: PaymentRow, nextDate: string): Promise<void> {
  const c = await debtorContact(trx, p.accountId);
  const settings = await getPaySettings(trx);
  const lang = c.lang;
  await email(trx, p.accountId, p.payerEmail ?? c.email, c.partyId, 'pay.declined', `pay.retry:${p.publicId}:${p.attempts}`, say(lang, 'notices', 'declinedSubject', { agency: settings.agencyName }), [
    say(lang, 'notices', 'retryBody', { amount: money(Number(p.amountCents), p.currency, lang), reason: declineMessage(p.declineCode, lang) ?? '', date: longDate(nextDate, lang) }),
  ]);
}

/**
 * A payment link sent to the debtor by email or SMS, in the link's language. The link is sealed in the
 * stored message and opened only as it is sent (platform/outbox-secrets.ts): no table holds a usable token.
 */
export async function sendPaymentLink(trx: Trx, accountId: number, plainUrl: string, via: 'email' | 'sms', linkId: string, dataKey: string, lang?: Lang): Promise<string | null> {
  const url = sealSecret(plainUrl, dataKey);
  const c = await debtorContact(trx, accountId);
  const settings = await getPaySettings(trx);
  const l = lang ?? c.lang;
  const words = { agency: settings.agencyName, creditor: c.creditor, account: c.accountNumber, url };
  if (via === 'email') {
    if (!c.email) return null;
    await email(trx, accountId, c.email, c.partyId, 'pay.link', `pay.link:${linkId}`, say(l, 'notices', 'linkSubject', words), [
      say(l, 'notices', 'linkIntro', words), url, say(l, 'notices', 'collectorNotice', words),
    ]);
    return c.email;
  }
  if (!c.mobile) return null;
  await enqueueSms(trx, { to: c.mobile, text: say(l, 'notices', 'linkSms', words), category: 'pay.link', accountId, ...(c.partyId ? { partyId: c.partyId } : {}), dedupeKey: `pay.link.sms:${linkId}` });
  return c.mobile;
}

export { email as enqueueDebtorEmail };
