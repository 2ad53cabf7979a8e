/**
 * Posting a debtor payment (and a settlement's write-off) to the account: the account row locked,
 * the balance components reduced in the order agencies use (costs, fees, interest, then principal —
 * the ledger's settle order), and one append-only `transactions` row (issue 3's ledger) with the
 * signed deltas and the balance after, so the client's ledger shows online payments beside reported ones.
 *
 * NOTE: issue 3's ledger service posts through its own `post()`, which needs a signed-in Caller and
 * writes its own audit/activity/event. Debtor payments have no Caller and write theirs in
 * payments.service, so the rows are appended here with the same shape; folding both into one exported
 * "post to the ledger" function is the next step (see docs/decisions/2026-11-23-debtor-payments.md).
 */
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { newId } from '../platform/ids.js';

const ORDER = ['costs', 'fees', 'interest', 'principal'] as const;
type Component = (typeof ORDER)[number];

/** Locks the account row (FOR UPDATE on MySQL; SQLite has one writer) and returns its balance. */
export async function lockAccountBalance(trx: Trx, accountId: number): Promise<number> {
  const q = trx('accounts').where({ id: accountId });
  if (isMysql(trx)) q.forUpdate();
  const row = (await q.first('balance_cents')) as { balanceCents: number | string };
  return Number(row.balanceCents);
}

interface Posting {
  kind: 'payment' | 'write_off';
  /** ledger method: card | ach | other */
  method: string | null;
  reference: string | null;
  reason: string | null;
}

/** Takes `amountCents` (at most the balance) off the components in settle order and appends the ledger row. */
async function postToBalance(trx: Trx, accountId: number, amountCents: number, posting: Posting, now: Date) {
  const q = trx('accounts').where({ id: accountId });
  if (isMysql(trx)) q.forUpdate();
  const account = (await q.first('balance_cents', 'paid_to_date_cents', 'client_id', 'currency', 'status')) as { balanceCents: number | string; paidToDateCents: number | string; clientId: number; currency: string; status: string };
  const beforeCents = Number(account.balanceCents);
  const rows = (await trx('account_balances').where({ accountId }).select('component', 'current_cents')) as { component: Component; currentCents: number | string }[];
  const deltas: Record<Component, number> = { principal: 0, interest: 0, fees: 0, costs: 0 };
  let remaining = Math.min(amountCents, beforeCents);
  const appliedCents = remaining;
  for (const component of ORDER) {
    const row = rows.find((r) => r.component === component);
    const take = Math.min(row ? Number(row.currentCents) : 0, remaining);
    if (take > 0) {
      deltas[component] = -take;
      await trx('account_balances').where({ accountId, component }).update({ currentCents: Number(row!.currentCents) - take });
      remaining -= take;
    }
  }
  const afterCents = beforeCents - appliedCents;
  const paidDelta = posting.kind === 'payment' ? appliedCents : 0;
  await trx('accounts').where({ id: accountId }).update({
    balanceCents: afterCents, paidToDateCents: Number(account.paidToDateCents) + paidDelta, lastActivityAt: now, updatedAt: now,
  });
  if (appliedCents > 0) {
    await trx('transactions').insert({
      publicId: newId('txn'), accountId, clientId: account.clientId, kind: posting.kind, amountCents: appliedCents, currency: account.currency,
      principalDeltaCents: deltas.principal, interestDeltaCents: deltas.interest, feesDeltaCents: deltas.fees, costsDeltaCents: deltas.costs,
      balanceAfterCents: afterCents, effectiveDate: now.toISOString().slice(0, 10), method: posting.method, reference: posting.reference,
      reason: posting.reason, createdByUserId: null, createdAt: now,
    });
  }
  return { beforeCents, afterCents, appliedCents, previousStatus: account.status };
}

/**
 * Reduces the balance by a debtor payment (never below zero), adds it to paid-to-date and appends
 * the ledger row. Returns the balance before and after.
 */
export async function applyPaymentToBalance(
  trx: Trx, accountId: number, amountCents: number, now: Date, payment: { methodKind: string | null; reference: string },
): Promise<{ beforeCents: number; afterCents: number; appliedCents: number }> {
  const method = payment.methodKind === 'card' || payment.methodKind === 'ach' ? payment.methodKind : 'other';
  const r = await postToBalance(trx, accountId, amountCents, { kind: 'payment', method, reference: payment.reference, reason: 'Online payment by the debtor.' }, now);
  return { beforeCents: r.beforeCents, afterCents: r.afterCents, appliedCents: r.appliedCents };
}

/** A settlement paid in full: the rest of the balance is written off (a ledger write-off) and the account is settled. */
export async function settleRemainder(trx: Trx, accountId: number, now: Date, reference: string): Promise<{ writtenOffCents: number; previousStatus: string }> {
  const r = await postToBalance(trx, accountId, Number.MAX_SAFE_INTEGER, { kind: 'write_off', method: null, reference, reason: 'Settlement offer paid in full.' }, now);
  await trx('accounts').where({ id: accountId }).update({ status: 'settled', updatedAt: now });
  return { writtenOffCents: r.appliedCents, previousStatus: r.previousStatus };
}
