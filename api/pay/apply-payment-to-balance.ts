/**
 * Applying a debtor payment to the account balance, in the caller's transaction with the account
 * row locked. Components are paid in the order agencies use (costs, fees, interest, then principal,
 * as the seed data does).
 *
 * NOTE: the client-side ledger (issue 3: `transactions`, POST accounts/:id/payments) lands in parallel.
 * This function is deliberately small and self-contained so the two can be unified into one
 * "post a payment to the ledger" call once both are on main.
 */
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';

const ORDER = ['costs', 'fees', 'interest', 'principal'];

/** Locks the account row (FOR UPDATE on MySQL; SQLite has one writer) and returns its balance. */
export async function lockAccountBalance(trx: Trx, accountId: number): Promise<number> {
  const q = trx('accounts').where({ id: accountId });
  if (isMysql(trx)) q.forUpdate();
  const row = (await q.first('balance_cents')) as { balanceCents: number | string };
  return Number(row.balanceCents);
}

/**
 * Reduces account_balances and accounts.balance_cents by `amountCents` (never below zero) and
 * adds it to paid_to_date. Returns the balance before and after.
 */
export async function applyPaymentToBalance(trx: Trx, accountId: number, amountCents: number, now: Date): Promise<{ beforeCents: number; afterCents: number; appliedCents: number }> {
  const beforeCents = await lockAccountBalance(trx, accountId);
  const comps = (await trx('account_balances').where({ accountId }).select('component', 'current_cents')) as { component: string; currentCents: number | string }[];
  comps.sort((a, b) => ORDER.indexOf(a.component) - ORDER.indexOf(b.component));
  let remaining = Math.min(amountCents, beforeCents);
  const appliedCents = remaining;
  for (const c of comps) {
    const take = Math.min(Number(c.currentCents), remaining);
    if (take > 0) {
      await trx('account_balances').where({ accountId, component: c.component }).update({ currentCents: Number(c.currentCents) - take });
      remaining -= take;
    }
  }
  const afterCents = beforeCents - appliedCents;
  const paid = (await trx('accounts').where({ id: accountId }).first('paid_to_date_cents')) as { paidToDateCents: number | string };
  await trx('accounts').where({ id: accountId }).update({
    balanceCents: afterCents, paidToDateCents: Number(paid.paidToDateCents) + appliedCents, lastActivityAt: now, updatedAt: now,
  });
  return { beforeCents, afterCents, appliedCents };
}

/**
 * A settlement paid in full: what is left of the balance is written off and the account is settled.
 * (Also to be unified with issue 3's ledger as an adjustment entry.)
 */
export async function settleRemainder(trx: Trx, accountId: number, now: Date): Promise<{ writtenOffCents: number; previousStatus: string }> {
  const q = trx('accounts').where({ id: accountId });
  if (isMysql(trx)) q.forUpdate();
  const row = (await q.first('balance_cents', 'status')) as { balanceCents: number | string; status: string };
  await trx('account_balances').where({ accountId }).update({ currentCents: 0 });
  await trx('accounts').where({ id: accountId }).update({ balanceCents: 0, status: 'settled', lastActivityAt: now, updatedAt: now });
  return { writtenOffCents: Number(row.balanceCents), previousStatus: row.status };
}
