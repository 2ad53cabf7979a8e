/**
 * The payment agreement the debtor signs: rendered on the server from the payment's facts, so the
 * words shown at review and the words recorded at signing are the same (compared by SHA-256).
 * ACH payments carry a NACHA-style debit authorisation; plans list every instalment.
 */
import { sha256Hex } from '../platform/crypto.js';
import { brandName, longDate, say, type Lang, type Params } from '../../i18n/catalogue.js';
import type { DocumentWords } from '../../i18n/en/documents.js';

export const AGREEMENT_VERSION = 'pay-2026-11';

export interface AgreementFacts {
  kind: 'one_time' | 'scheduled' | 'plan' | 'settlement';
  agencyName: string;
  creditor: string;
  accountNumber: string;
  payerName: string;
  currency: string;
  method: { kind: string; brand: string; last4: string };
  /** every charge this agreement authorises, in date order */
  charges: { date: string; amountCents: number }[];
  /** for a settlement: the balance it settles */
  settlesBalanceCents?: number | undefined;
  /** the language the debtor reads (and signs) it in; English when not given */
  lang?: 'en' | 'es' | undefined;
}

const money = (cents: number, currency: string) => `${currency === 'USD' ? '$' : `${currency} `}${(cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

export type AgreementLang = Lang;

/** The agreement's words come from the catalogue (documents module): the debtor signs the text in the language they read. */
export function renderAgreement(f: AgreementFacts): { version: string; lang: AgreementLang; text: string; textHash: string } {
  const lang: AgreementLang = f.lang === 'es' ? 'es' : 'en';
  const w = (key: keyof DocumentWords, params?: Params) => say(lang, 'documents', key, params);
  const agency = f.agencyName;
  const type = f.method.brand === 'checking' ? w('achChecking') : f.method.brand === 'savings' ? w('achSavings') : brandName(f.method.brand, lang);
  const method = f.method.kind === 'ach' ? w('agreementAch', { type, last4: f.method.last4 })
    : f.method.kind === 'wallet' ? w('agreementWallet', { last4: f.method.last4 }) : w('agreementCard', { brand: brandName(f.method.brand, lang), last4: f.method.last4 });
  const total = f.charges.reduce((s, c) => s + c.amountCents, 0);
  const lines = [
    `${w('agreementTitle')} (${AGREEMENT_VERSION})`,
    w('agreementPayee', { agency, creditor: f.creditor, account: f.accountNumber }),
    w('agreementPayer', { payer: f.payerName }),
    f.charges.length === 1
      ? w('agreementOnce', { agency, amount: money(total, f.currency), method, date: longDate(f.charges[0]!.date, lang) })
      : w('agreementMany', { agency, method, n: f.charges.length, total: money(total, f.currency) }),
    ...(f.charges.length > 1 ? f.charges.map((c, i) => w('agreementCharge', { n: i + 1, date: longDate(c.date, lang), amount: money(c.amountCents, f.currency) })) : []),
  ];
  if (f.kind === 'settlement' && f.settlesBalanceCents !== undefined) lines.push(w('agreementSettles', { balance: money(f.settlesBalanceCents, f.currency) }));
  // NACHA requires a clear authorisation and a way to revoke it for consumer debits (WEB entries).
  if (f.method.kind === 'ach') lines.push(w('agreementNacha1', { agency }), w('agreementNacha2'), w('agreementNacha3', { agency }));
  if (f.charges.length > 1) lines.push(w('agreementRetries'));
  lines.push(w('agreementSignature'));
  const text = lines.join('\n');
  return { version: AGREEMENT_VERSION, lang, text, textHash: sha256Hex(text) };
}

export { money as formatMoney };
