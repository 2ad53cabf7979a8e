/**
 * Which users an administrator may see and manage, in one place:
 * - `users.manage` (agency administrators): every user;
 * - `client_users.manage` (client administrators): client users all of whose client links are among
 *   the caller's own clients — a user who also serves another client belongs to that client too,
 *   so only the agency may change them. Everyone else's user is a 404, like no user at all.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { forbidden, notFound } from '../platform/errors.js';

export const isAgencyAdmin = (caller: Caller) => caller.permissions.has('users.manage');

export function assertCanManageUsers(caller: Caller): void {
  if (!isAgencyAdmin(caller) && !caller.permissions.has('client_users.manage')) {
    throw forbidden('This needs the users.manage or client_users.manage permission.');
  }
}

export function manageableUsers(trx: Trx, caller: Caller): Knex.QueryBuilder {
  assertCanManageUsers(caller);
  const q = trx('users');
  if (isAgencyAdmin(caller)) return q;
  q.where('users.kind', 'client');
  if (caller.clientIds !== 'all') {
    const mine = caller.clientIds.length ? [...caller.clientIds] : [-1];
    q.whereExists(trx('user_clients as uc').whereRaw('uc.user_id = users.id').whereIn('uc.client_id', mine).select(trx.raw('1')));
    q.whereNotExists(trx('user_clients as uc2').whereRaw('uc2.user_id = users.id').whereNotIn('uc2.client_id', mine).select(trx.raw('1')));
  }
  return q;
}

export async function resolveManagedUserId(trx: Trx, caller: Caller, publicId: string): Promise<number> {
  const row = (await manageableUsers(trx, caller).where('users.public_id', publicId).first('users.id')) as { id: number } | undefined;
  if (!row) throw notFound('User');
  return row.id;
}
