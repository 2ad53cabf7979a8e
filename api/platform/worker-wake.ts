/**
 * Waking this process's workers once a transaction commits: a job enqueued by a request, a long
 * job's continuation, or an event a webhook waits for starts without waiting up to a whole worker
 * interval (2 s). Other processes' workers still find the work on their next tick.
 */
import type { Knex } from 'knex';
import type { Trx } from './db.js';

/** The wake-up calls of the workers running in this process (startWorker). */
export const localWorkers = new Set<() => void>();

/** Once the caller's (outermost) transaction commits, this process's workers tick at once. */
export function wakeLocalWorkersAfterCommit(trx: Trx): void {
  if (!localWorkers.size) return;
  const wake = () => localWorkers.forEach((w) => w());
  let t = trx as Knex.Transaction & { parentTransaction?: Knex.Transaction };
  if (!t.isTransaction) return wake();
  while (t.parentTransaction) t = t.parentTransaction;
  t.executionPromise.then(wake, () => {});
}

/** Listeners for "an event was appended here" (startWorker: the webhook fan-out's fast path). */
export const eventListeners = new Set<() => void>();

/** Once the caller's transaction commits, this process's event listeners run. */
export function announceEventAfterCommit(trx: Trx): void {
  if (!eventListeners.size) return;
  const fire = () => eventListeners.forEach((l) => l());
  let t = trx as Knex.Transaction & { parentTransaction?: Knex.Transaction };
  if (!t.isTransaction) return fire();
  while (t.parentTransaction) t = t.parentTransaction;
  t.executionPromise.then(fire, () => {});
}
