/**
 * The ledger's invariant and the one way to keep it from a door that sets balances rather than
 * moving them (the integration's balance upsert): for every account and component,
 *
 *   account_balances.current_cents = original_cents + Σ transactions.<component>_delta_cents
 *   accounts.balance_cents         = Σ current_cents
 *   accounts.paid_to_date_cents    = Σ amount_cents of its `payment` rows
 *
 * `original_cents` is what was placed; every change after that is a row in `transactions`.
 */
import type { Trx } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { COMPONENTS, type Component } from './ledger.schema.js';

export type ComponentCents = Record<Component, number>;

export const DELTA_COLUMN: Record<Component, string> = {
  principal: 'principal_delta_cents', interest: 'interest_delta_cents', fees: 'fees_delta_cents', costs: 'costs_delta_cents',
};

/** Σ deltas per component of one account's ledger rows. */
export async function ledgerDeltas(trx: Trx, accountId: number): Promise<ComponentCents> {
  const row = (await trx('transactions').where({ accountId })
    .first(...COMPONENTS.map((c) => trx.raw(`COALESCE(SUM(${DELTA_COLUMN[c]}), 0) as ${c}`)))) as Record<Component, unknown> | undefined;
  return Object.fromEntries(COMPONENTS.map((c) => [c, Number(row?.[c] ?? 0)])) as ComponentCents;
}

export interface Correction {
  accountId: number;
  clientId: number;
  currency: string;
  /** signed cents per component (zeros allowed) */
  deltas: ComponentCents;
  /** the account total after this row */
  balanceAfterCents: number;
  effectiveOn: string;
  reason: string;
  reference: string | null;
  now: Date;
}

/** Appends a `correction` row: a balance that was set from outside, entered as the movement it makes. */
export async function appendCorrection(trx: Trx, c: Correction): Promise<string | null> {
  const amount = COMPONENTS.reduce((s, k) => s + Math.abs(c.deltas[k]), 0);
  if (amount === 0) return null;
  const publicId = newId('txn');
  await trx('transactions').insert({
    publicId, accountId: c.accountId, clientId: c.clientId, kind: 'correction', amountCents: amount, currency: c.currency,
    principalDeltaCents: c.deltas.principal, interestDeltaCents: c.deltas.interest, feesDeltaCents: c.deltas.fees, costsDeltaCents: c.deltas.costs,
    balanceAfterCents: c.balanceAfterCents, effectiveDate: c.effectiveOn, method: null, reference: c.reference?.slice(0, 100) ?? null,
    reason: c.reason, createdByUserId: null, createdAt: c.now,
  });
  return publicId;
}
