/**
 * The payment agreement the debtor signs: rendered on the server from the payment's facts, so the
 * words shown at review and the words recorded at signing are the same (compared by SHA-256).
 * ACH payments carry a NACHA-style debit authorisation; plans list every instalment.
 */
import { sha256Hex } from '../platform/crypto.js';

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

export type AgreementLang = 'en' | 'es';

/** `2026-12-07` → "December 7, 2026" / "7 de diciembre de 2026": the long date a person reads, not ISO. */
export function longDate(isoDate: string, lang: AgreementLang): string {
  const at = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return isoDate;
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** Card brands as they are written ("Visa", "American Express"), not the gateway's codes. */
const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover' };
export const brandName = (brand: string): string => BRANDS[brand] ?? brand;

/** The agreement's words, one block per language: the debtor signs the text in the language they read. */
const WORDS = {
  en: {
    title: 'Payment agreement', payee: (a: string, c: string, n: string) => `Payee: ${a}, collecting for ${c}, account ${n}.`, payer: (p: string) => `Payer: ${p}.`,
    ach: (b: string, l: string) => `bank account (${b}) ending in ${l}`, wallet: (l: string) => `wallet ending in ${l}`, card: (b: string, l: string) => `${b} card ending in ${l}`,
    once: (a: string, m: string, method: string, d: string) => `I authorise ${a} to charge ${m} to my ${method} on ${d}.`,
    many: (a: string, method: string, n: number, m: string) => `I authorise ${a} to charge my ${method} ${n} times, ${m} in total, on these dates:`,
    settles: (m: string) => `When every payment above is made, the balance of ${m} is settled in full.`,
    nacha: (a: string) => [
      `I authorise ${a} and its bank to initiate electronic debit entries (ACH) to the account above for the amounts and dates shown,`,
      'and, if an entry is made in error, to correct it. This authorisation stays in effect until the last payment is made or until I',
      `notify ${a} that I revoke it, in time for it to act (at least 3 business days before a payment date).`,
    ],
    retries: 'A declined payment may be tried again as the schedule describes. I may cancel the remaining payments at any time.',
    signature: 'Typing my name below is my electronic signature and has the same effect as a handwritten one.',
  },
  es: {
    title: 'Acuerdo de pago', payee: (a: string, c: string, n: string) => `Beneficiario: ${a}, que cobra en nombre de ${c}, cuenta ${n}.`, payer: (p: string) => `Pagador: ${p}.`,
    ach: (b: string, l: string) => `cuenta bancaria (${b === 'savings' ? 'de ahorros' : b === 'checking' ? 'corriente' : b}) terminada en ${l}`, wallet: (l: string) => `billetera terminada en ${l}`,
    card: (b: string, l: string) => `tarjeta ${b} terminada en ${l}`,
    once: (a: string, m: string, method: string, d: string) => `Autorizo a ${a} a cobrar ${m} a mi ${method} el ${d}.`,
    many: (a: string, method: string, n: number, m: string) => `Autorizo a ${a} a cobrar a mi ${method} ${n} veces, ${m} en total, en estas fechas:`,
    settles: (m: string) => `Cuando se hagan todos los pagos anteriores, el saldo de ${m} queda liquidado por completo.`,
    nacha: (a: string) => [
      `Autorizo a ${a} y a su banco a iniciar débitos electrónicos (ACH) en la cuenta indicada por los montos y en las fechas mostradas,`,
      'y, si un débito se hace por error, a corregirlo. Esta autorización sigue vigente hasta el último pago o hasta que yo',
      `notifique a ${a} que la revoco, con tiempo para actuar (al menos 3 días hábiles antes de una fecha de pago).`,
    ],
    retries: 'Un pago rechazado puede intentarse de nuevo como indica el calendario. Puedo cancelar los pagos restantes en cualquier momento.',
    signature: 'Escribir mi nombre abajo es mi firma electrónica y tiene el mismo efecto que una firma manuscrita.',
  },
};

export function renderAgreement(f: AgreementFacts): { version: string; lang: AgreementLang; text: string; textHash: string } {
  const lang: AgreementLang = f.lang === 'es' ? 'es' : 'en';
  const w = WORDS[lang];
  const method = f.method.kind === 'ach' ? w.ach(f.method.brand, f.method.last4) : f.method.kind === 'wallet' ? w.wallet(f.method.last4) : w.card(brandName(f.method.brand), f.method.last4);
  const total = f.charges.reduce((s, c) => s + c.amountCents, 0);
  const lines = [
    `${w.title} (${AGREEMENT_VERSION})`,
    w.payee(f.agencyName, f.creditor, f.accountNumber),
    w.payer(f.payerName),
    f.charges.length === 1 ? w.once(f.agencyName, money(total, f.currency), method, longDate(f.charges[0]!.date, lang)) : w.many(f.agencyName, method, f.charges.length, money(total, f.currency)),
    ...(f.charges.length > 1 ? f.charges.map((c, i) => `  ${i + 1}. ${longDate(c.date, lang)}: ${money(c.amountCents, f.currency)}`) : []),
  ];
  if (f.kind === 'settlement' && f.settlesBalanceCents !== undefined) lines.push(w.settles(money(f.settlesBalanceCents, f.currency)));
  // NACHA requires a clear authorisation and a way to revoke it for consumer debits (WEB entries).
  if (f.method.kind === 'ach') lines.push(...w.nacha(f.agencyName));
  if (f.charges.length > 1) lines.push(w.retries);
  lines.push(w.signature);
  const text = lines.join('\n');
  return { version: AGREEMENT_VERSION, lang, text, textHash: sha256Hex(text) };
}

export { money as formatMoney };
