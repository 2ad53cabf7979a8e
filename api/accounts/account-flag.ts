/**
 * The account flag follows the inbox: set when a task that needs agency attention opens on the
 * account, cleared when the last open one closes.
 */
import type { Trx } from '../platform/db.js';

export async function flagAccount(trx: Trx, accountId: number, at: Date): Promise<void> {
  await trx('accounts').where({ id: accountId }).whereNull('flagged_at').update({ flaggedAt: at });
}

export async function unflagIfClear(trx: Trx, accountId: number): Promise<boolean> {
  const open = await trx('tasks').where({ accountId, status: 'open' }).first('id');
  if (open) return false;
  await trx('accounts').where({ id: accountId }).update({ flaggedAt: null });
  return true;
}
