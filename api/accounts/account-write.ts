/**
 * What every action on one account starts and ends with: lock the account row (so two requests on
 * the same account run one after the other and never lose an update) and append an activity entry
 * that moves the account's last-activity date.
 *
 * On MySQL/MariaDB the lock is `SELECT … FOR UPDATE` on the account row, taken before anything else
 * is read; on SQLite the single writer connection serialises transactions already.
 */
import type { Trx } from '../platform/db.js';
import { isMysql, now as dbNow } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { appendEvent } from '../platform/events.js';
import type { AuditActor } from '../platform/audit.js';
import { resolveAccountId, visibleAccounts } from './accounts.scope.js';

export interface LockedAccount {
  id: number;
  publicId: string;
  clientId: number;
  status: string;
  reviewStatus: string;
  balanceCents: number;
  paidToDateCents: number;
  currency: string;
  debtorName: string;
}

/** The account, visible to the caller and locked for this transaction, or 404. */
export async function lockAccount(trx: Trx, caller: Caller, publicId: string): Promise<LockedAccount> {
  const q = visibleAccounts(trx, caller)
    .where('accounts.public_id', publicId)
    .first('id', 'public_id', 'client_id', 'status', 'review_status', 'balance_cents', 'paid_to_date_cents', 'currency', 'debtor_name');
  if (isMysql(trx)) q.forUpdate();
  const row = (await q) as (Omit<LockedAccount, 'balanceCents' | 'paidToDateCents'> & { balanceCents: number | string; paidToDateCents: number | string }) | undefined;
  if (!row) throw notFound('Account');
  return { ...row, balanceCents: Number(row.balanceCents), paidToDateCents: Number(row.paidToDateCents) };
}

export interface NewActivity {
  accountId: number;
  type: string;
  visibility: 'client' | 'internal';
  body: string;
}

/** Appends a timeline entry by the caller and marks the account as recently active. */
export async function recordActivity(trx: Trx, caller: Caller, a: NewActivity, at: Date = dbNow()): Promise<string> {
  const publicId = newId('act');
  await trx('activity').insert({
    publicId, accountId: a.accountId, type: a.type, visibility: a.visibility, body: a.body.slice(0, 10_000),
    actorUserId: caller.userId, actorName: caller.displayName, occurredAt: at,
  });
  await trx('accounts').where({ id: a.accountId }).update({ lastActivityAt: at, updatedAt: at });
  return publicId;
}

/**
 * The `account.status_changed` event clients' widgets listen to: written by every path that moves an
 * account's status (account-status actions, disputes opening and closing), always in this shape.
 * `account.status` is the status it had before the change. The new status is both `status` (what the
 * widgets read) and `to` (what the integration feed documents, and what inbound changes carry).
 */
export async function announceStatusChange(
  trx: Trx, account: { id: number; publicId: string; clientId: number; status: string }, to: string,
  change: { holdUntil: string | null; reason: string | null }, actor: AuditActor,
): Promise<void> {
  await appendEvent(trx, {
    type: 'account.status_changed', clientId: account.clientId, accountId: account.id, visibility: 'client', actor,
    payload: { accountId: account.publicId, from: account.status, to, status: to, holdUntil: change.holdUntil, reason: change.reason },
  });
}

/** Formats cents for timeline text: 12345 → "$123.45". */
export function formatCents(cents: number, currency = 'USD'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
  return currency === 'USD' ? `${sign}$${text}` : `${sign}${text} ${currency}`;
}

/**
 * `checkAccess` for routes under `/accounts/:id`: the account must be the caller's before anything
 * else about the request is looked at (another client's account is a 404 whatever the body).
 */
export const ownAccount = (db: Trx) => async ({ caller, params }: { caller: Caller; params: { id: string } }): Promise<void> => {
  await resolveAccountId(db, caller, params.id);
};
