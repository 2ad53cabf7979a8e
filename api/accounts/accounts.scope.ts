/**
 * Tenancy, in one place. Every query that reads accounts starts from `visibleAccounts`, which limits
 * it to the caller's clients and, for client users, to accounts the agency has accepted. A route
 * never remembers to filter: it cannot get an account query any other way.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';

export function visibleAccounts(trx: Trx, caller: Caller): Knex.QueryBuilder {
  const q = trx('accounts');
  if (caller.clientIds !== 'all') {
    q.whereIn('accounts.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
    q.where('accounts.review_status', 'accepted');
  }
  return q;
}

/** The internal id of an account the caller may see, or 404 — the same 404 as for no account at all. */
export async function resolveAccountId(trx: Trx, caller: Caller, publicId: string): Promise<number> {
  const row = (await visibleAccounts(trx, caller).where('accounts.public_id', publicId).first('accounts.id')) as { id: number } | undefined;
  if (!row) throw notFound('Account');
  return row.id;
}

/** The internal id of a client the caller is linked to, or 404. */
export async function resolveClientId(trx: Trx, caller: Caller, publicId: string): Promise<number> {
  const row = (await trx('clients').where({ publicId }).first('id')) as { id: number } | undefined;
  if (!row || (caller.clientIds !== 'all' && !caller.clientIds.includes(row.id))) throw notFound('Client');
  return row.id;
}
