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
}

const money = (cents: number, currency: string) => `${currency === 'USD' ? '$' : `${currency} `}${(cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

export function renderAgreement(f: AgreementFacts): { version: string; text: string; textHash: string } {
  const method = f.method.kind === 'ach' ? `bank account (${f.method.brand}) ending in ${f.method.last4}` : f.method.kind === 'wallet' ? `wallet ending in ${f.method.last4}` : `${f.method.brand} card ending in ${f.method.last4}`;
  const total = f.charges.reduce((s, c) => s + c.amountCents, 0);
  const lines = [
    `Payment agreement (${AGREEMENT_VERSION})`,
    `Payee: ${f.agencyName}, collecting for ${f.creditor}, account ${f.accountNumber}.`,
    `Payer: ${f.payerName}.`,
    f.charges.length === 1
      ? `I authorise ${f.agencyName} to charge ${money(total, f.currency)} to my ${method} on ${f.charges[0]!.date}.`
      : `I authorise ${f.agencyName} to charge my ${method} ${f.charges.length} times, ${money(total, f.currency)} in total, on these dates:`,
    ...(f.charges.length > 1 ? f.charges.map((c, i) => `  ${i + 1}. ${c.date}: ${money(c.amountCents, f.currency)}`) : []),
  ];
  if (f.kind === 'settlement' && f.settlesBalanceCents !== undefined) {
    lines.push(`When every payment above is made, the balance of ${money(f.settlesBalanceCents, f.currency)} is settled in full.`);
  }
  if (f.method.kind === 'ach') {
    // NACHA requires a clear authorisation and a way to revoke it for consumer debits (WEB entries).
    lines.push(
      `I authorise ${f.agencyName} and its bank to initiate electronic debit entries (ACH) to the account above for the amounts and dates shown,`,
      'and, if an entry is made in error, to correct it. This authorisation stays in effect until the last payment is made or until I',
      `notify ${f.agencyName} that I revoke it, in time for it to act (at least 3 business days before a payment date).`,
    );
  }
  if (f.charges.length > 1) lines.push('A declined payment may be tried again as the schedule describes. I may cancel the remaining payments at any time.');
  lines.push('Typing my name below is my electronic signature and has the same effect as a handwritten one.');
  const text = lines.join('\n');
  return { version: AGREEMENT_VERSION, text, textHash: sha256Hex(text) };
}

export { money as formatMoney };
