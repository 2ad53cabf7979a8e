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
  const { sql, bindings } = visibleAccountsWhere(caller);
  if (bindings.length) q.whereRaw(`(${sql})`, bindings);
  return q;
}

/**
 * The same limit as SQL text, for the statements written by hand (hot-query.ts): a condition on
 * `accounts` and its bindings (`1 = 1` for the agency, which sees every account).
 */
export function visibleAccountsWhere(caller: Caller): { sql: string; bindings: (string | number)[] } {
  if (caller.clientIds === 'all') return { sql: '1 = 1', bindings: [] };
  const ids = caller.clientIds.length ? caller.clientIds : [-1];
  return { sql: `accounts.client_id in (${ids.map(() => '?').join(', ')}) and accounts.review_status = ?`, bindings: [...ids, 'accepted'] };
}

/** The internal id of an account the caller may see, or 404 — the same 404 as for no account at all. */
export async function resolveAccountId(trx: Trx, caller: Caller, publicId: string): Promise<number> {
  const row = (await visibleAccounts(trx, caller).where('accounts.public_id', publicId).first('accounts.id')) as { id: number } | undefined;
  if (!row) throw notFound('Account');
  return row.id;
}

/**
 * A client's public id never changes and never moves to another client, so once looked up it is
 * remembered, per database (keyed by the connection settings every transaction of a knex shares).
 * Only the mapping is remembered: whether the caller may see the client is decided on every call.
 */
const clientIdByPublicId = new WeakMap<object, Map<string, number>>();
const CLIENT_ID_MEMORY = 10_000;

/** The internal id of a client the caller is linked to, or 404. */
export async function resolveClientId(trx: Trx, caller: Caller, publicId: string): Promise<number> {
  const dbKey = trx.client.config as object;
  let known = clientIdByPublicId.get(dbKey);
  if (!known) clientIdByPublicId.set(dbKey, (known = new Map()));
  let id = known.get(publicId);
  if (id === undefined) {
    const row = (await trx('clients').where({ publicId }).first('id')) as { id: number } | undefined;
    if (row && known.size < CLIENT_ID_MEMORY) known.set(publicId, row.id);
    id = row?.id;
  }
  if (id === undefined || (caller.clientIds !== 'all' && !caller.clientIds.includes(id))) throw notFound('Client');
  return id;
}
