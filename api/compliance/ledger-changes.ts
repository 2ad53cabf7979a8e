/**
 * "What changed since the itemization date", read from the append-only `transactions` ledger
 * (issue 3) through this one function, so the validation information never depends on how the
 * ledger is laid out.
 *
 * The account's rows with `effective_date` after the itemization date, classified by kind and the
 * sign of their per-component deltas:
 * - kind `payment` → payments (the amount it took off, i.e. minus the sum of its deltas). Debtor
 *   payments of issue 7 (pay/apply-payment-to-balance.ts) append `payment` rows too, so they count.
 * - any other kind (credit, write_off, correction): a positive interest delta → interest; a positive
 *   fees, costs or principal delta → fees; every negative delta → credits.
 * Rows on or before the itemization date are part of the itemization balance, not changes. Every
 * delta lands in exactly one bucket, so interest + fees − payments − credits is the sum of the
 * deltas after the date.
 */
import type { Trx } from '../platform/db.js';

export interface LedgerChanges {
  interestCents: number;
  feesCents: number;
  paymentsCents: number;
  creditsCents: number;
}

const D = ['principal_delta_cents', 'interest_delta_cents', 'fees_delta_cents', 'costs_delta_cents'] as const;
const pos = (c: string) => `CASE WHEN ${c} > 0 THEN ${c} ELSE 0 END`;
const neg = (c: string) => `CASE WHEN ${c} < 0 THEN -${c} ELSE 0 END`;
const notPayment = (expr: string) => `SUM(CASE WHEN kind <> 'payment' THEN ${expr} ELSE 0 END)`;

/** `since`: the itemization date, YYYY-MM-DD; rows effective on that day are not changes. */
export async function ledgerChangesSince(trx: Trx, accountId: number, since: string): Promise<LedgerChanges> {
  const row = (await trx('transactions')
    .where({ accountId })
    .where('effective_date', '>', since)
    .first(
      trx.raw(`SUM(CASE WHEN kind = 'payment' THEN -(${D.join(' + ')}) ELSE 0 END) AS payments`),
      trx.raw(`${notPayment(pos('interest_delta_cents'))} AS interest`),
      trx.raw(`${notPayment(`${pos('principal_delta_cents')} + ${pos('fees_delta_cents')} + ${pos('costs_delta_cents')}`)} AS fees`),
      trx.raw(`${notPayment(D.map(neg).join(' + '))} AS credits`),
    )) as { payments: unknown; interest: unknown; fees: unknown; credits: unknown } | undefined;
  // SUM over no rows is NULL; MariaDB returns DECIMAL sums as strings.
  const n = (v: unknown) => Number(v ?? 0);
  return { interestCents: n(row?.interest), feesCents: n(row?.fees), paymentsCents: n(row?.payments), creditsCents: n(row?.credits) };
}
