/**
 * Where payment figures come from. The append-only `transactions` ledger (issue 3) is the source of
 * truth for individual payments; until it exists in a database, payment reports fall back to each
 * account's `paid_to_date_cents` (one row per account, without dates) and say so in a notice.
 *
 * The ledger's column names are detected once per query from the table itself, so this module
 * connects to the ledger without a code change as long as it has an account id, a type/kind, an
 * integer amount in cents and a date. See `PAYMENT_TYPES` for what counts as a payment.
 */
import type { Trx } from '../platform/db.js';

/** Ledger entry types that are money received (a reversal is a negative payment). */
export const PAYMENT_TYPES = ['payment', 'direct_payment', 'payment_reversal'];

export interface LedgerColumns {
  type: string;
  amount: string;
  date: string;
  method: string | null;
  reference: string | null;
}

const toSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The ledger's columns, or null when there is no ledger (or it lacks what a payment report needs). */
export async function ledgerColumns(trx: Trx): Promise<LedgerColumns | null> {
  if (!(await trx.schema.hasTable('transactions'))) return null;
  const info = (await trx('transactions').columnInfo()) as Record<string, unknown>;
  const cols = new Set(Object.keys(info).map(toSnake));
  const pick = (...names: string[]) => names.find((n) => cols.has(n)) ?? null;
  const type = pick('type', 'kind');
  const amount = pick('amount_cents');
  const date = pick('effective_on', 'paid_on', 'posted_on', 'occurred_on', 'occurred_at', 'posted_at', 'created_at');
  if (!type || !amount || !date || !cols.has('account_id')) return null;
  return { type, amount, date, method: pick('method', 'payment_method'), reference: pick('reference') };
}
