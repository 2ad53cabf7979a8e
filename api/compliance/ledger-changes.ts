/**
 * "What changed since the itemization date", read from the ledger through this one function, so the
 * validation information never depends on where the ledger lives.
 *
 * Today (main has no transactions table yet) it derives the changes from the balance components:
 * each component's `original_cents` is its amount on the itemization date and `current_cents` its
 * amount now; increases of interest are interest, increases of fees/costs (or principal) are fees,
 * decreases are payments up to the account's paid-to-date and credits beyond that.
 *
 * When the append-only `transactions` ledger (issue 3) lands, replace the body with a sum over
 * `transactions` rows of the account with `effective_date > since`: positive interest deltas →
 * interest; positive fees/costs/principal deltas → fees; kind 'payment' → payments (minus its deltas);
 * the other negative deltas (credit, write_off, correction) → credits. Debtor payments of issue 7 post
 * to that ledger too, so they are counted there. The caller and its tests need no change.
 */
import type { Trx } from '../platform/db.js';

export interface LedgerChanges {
  interestCents: number;
  feesCents: number;
  paymentsCents: number;
  creditsCents: number;
}

interface ComponentRow {
  component: string;
  originalCents: number | string;
  currentCents: number | string;
}

export async function ledgerChangesSince(trx: Trx, accountId: number, _since: string): Promise<LedgerChanges> {
  const [components, account] = (await Promise.all([
    trx('account_balances').where({ accountId }).select('component', 'originalCents', 'currentCents'),
    trx('accounts').where({ id: accountId }).first('paidToDateCents'),
  ])) as [ComponentRow[], { paidToDateCents: number | string }];
  let interestCents = 0;
  let feesCents = 0;
  let reductionCents = 0;
  for (const c of components) {
    const delta = Number(c.currentCents) - Number(c.originalCents);
    if (delta < 0) reductionCents -= delta;
    else if (c.component === 'interest') interestCents += delta;
    else feesCents += delta;
  }
  const paymentsCents = Math.min(Number(account.paidToDateCents), reductionCents);
  return { interestCents, feesCents, paymentsCents, creditsCents: reductionCents - paymentsCents };
}
