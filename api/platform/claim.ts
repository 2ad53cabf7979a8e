/**
 * Claiming due rows from a work table (jobs, outbox) so that several workers — in one process or
 * on several API nodes — never take the same row. On MySQL/MariaDB: `FOR UPDATE SKIP LOCKED` inside a
 * short transaction; on SQLite there is a single writer, so a plain transaction is already exclusive.
 * A claim is a lease: a row whose worker died becomes claimable again when `locked_until` passes.
 * While a worker works on a row (a job runs, a message is handed to SMTP) it renews that row's lease
 * by a heartbeat (`holdLease`), and it writes the outcome only while it still holds the row (`heldBy`):
 * the job runner and the outbox share these pieces, so both move a dead node's work within one lease.
 */
import type { Db } from './db.js';
import type { AppDeps } from './http/context.js';
import type { JobSettings } from '../config.js';
import { isMysql } from './db.js';
import { nowMs } from './clock.js';

export interface ClaimOptions {
  table: 'jobs' | 'outbox';
  /** the status of a row waiting for work */
  waiting: string;
  /** the status while a worker holds it */
  working: string;
  /** the column holding the earliest time to work on it */
  dueColumn: 'runAt' | 'notBefore';
  now: Date;
  limit: number;
  workerId: string;
  leaseMs: number;
  /** only rows of these types (jobs) */
  types?: string[];
  /** no rows of these types (jobs: the lanes of other kinds) */
  excludeTypes?: string[];
  /**
   * Jobs only: a row that last failed on this worker (`failed_by`) is claimed by it only this long
   * after it is due, so another worker, if there is one, takes the retry first.
   */
  retryElsewhereMs?: number;
}

export const JOB_DEFAULTS: Required<Omit<JobSettings, 'outboxLeaseMs'>> = { leaseMs: 30_000, concurrency: 4, webhookConcurrency: 8, retryElsewhereMs: 30_000 };

/** The worker's settings (JOB_*, OUTBOX_LEASE_SECONDS) of a config, defaults filled in (the outbox's lease is the job lease unless set). */
export function jobSettings(config: { jobs?: JobSettings }): Required<JobSettings> {
  const given = Object.fromEntries(Object.entries(config.jobs ?? {}).filter(([, v]) => v !== undefined)) as JobSettings;
  const merged = { ...JOB_DEFAULTS, ...given };
  return { ...merged, outboxLeaseMs: given.outboxLeaseMs ?? merged.leaseMs };
}

const isDeadlock = (err: unknown) => (err as { code?: string }).code === 'ER_LOCK_DEADLOCK' || (err as { code?: string }).code === 'ER_LOCK_WAIT_TIMEOUT';

/**
 * Claims up to `limit` due rows and returns their ids (attempts already incremented). Two claimers
 * on MySQL can still deadlock on index gaps while moving rows to `working`; InnoDB rolls one back,
 * and that one simply tries again (then gives up for this tick: the next tick claims).
 */
export async function claimDueRows(db: Db, o: ClaimOptions): Promise<number[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await claimOnce(db, o);
    } catch (err) {
      if (!isDeadlock(err)) throw err;
      // Concurrent claimers (a node's lanes, other nodes) can deadlock on the same index range; it is
      // transient, so try a few times (under a second in all) before leaving the rows to the next tick.
      if (attempt >= 8) return [];
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

async function claimOnce(db: Db, o: ClaimOptions): Promise<number[]> {
  const leaseUntil = new Date(o.now.getTime() + o.leaseMs);
  return db.transaction(async (trx) => {
    const q = trx(o.table)
      .select('id')
      .where((w) => {
        w.where((a) => {
          a.where('status', o.waiting).where(o.dueColumn, '<=', o.now);
          if (o.retryElsewhereMs) {
            const mineAfter = new Date(o.now.getTime() - o.retryElsewhereMs);
            a.where((f) => f.whereNull('failedBy').orWhere('failedBy', '<>', o.workerId).orWhere(o.dueColumn, '<=', mineAfter));
          }
        });
        // a lease that ran out: its worker died
        w.orWhere((b) => b.where('status', o.working).where('lockedUntil', '<', o.now));
      })
      .orderBy(o.dueColumn, 'asc')
      .orderBy('id', 'asc')
      .limit(o.limit);
    if (o.types) q.whereIn('type', o.types.length ? o.types : ['-']);
    if (o.excludeTypes?.length) q.whereNotIn('type', o.excludeTypes);
    if (isMysql(trx)) q.forUpdate().skipLocked();
    const ids = ((await q) as { id: number | string }[]).map((r) => Number(r.id));
    if (ids.length) {
      await trx(o.table)
        .whereIn('id', ids)
        .update({ status: o.working, lockedBy: o.workerId, lockedUntil: leaseUntil, attempts: trx.raw('attempts + 1') });
    }
    return ids;
  });
}

/** Exponential backoff: 30 s, 1 min, 2 min … capped at `capMs`. */
export function backoffMs(attempt: number, baseMs = 30_000, capMs = 6 * 3600_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The claimed rows, read in one query, in the order they were claimed (due first). */
export async function rowsInClaimOrder<T extends { id: number | string }>(deps: AppDeps, table: 'jobs' | 'outbox', ids: number[]): Promise<T[]> {
  if (!ids.length) return [];
  const rows = (await deps.db(table).whereIn('id', ids)) as T[];
  const position = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => position.get(Number(a.id))! - position.get(Number(b.id))!);
}

/** A claimed row as its worker knows it: `attempts` as the claim left it tells this claim from a later one. */
export interface ClaimedRow {
  id: number;
  attempts: number;
}

/** Where a claimed row is still this worker's claim. Every write of a worker to a claimed row is conditional on it. */
export const heldBy = (working: string, row: ClaimedRow, workerId: string) => ({ id: row.id, status: working, lockedBy: workerId, attempts: row.attempts });

export interface LeaseSpec {
  table: 'jobs' | 'outbox';
  working: string;
  workerId: string;
  leaseMs: number;
}

/**
 * Extends the lease of a claimed row to one `leaseMs` from now (the app clock, as the claim read it);
 * false when the row is no longer this worker's claim (its lease ran out and another worker took it).
 */
export async function renewLease(db: Db, s: LeaseSpec, row: ClaimedRow): Promise<boolean> {
  return Number(await db(s.table).where(heldBy(s.working, row, s.workerId)).update({ lockedUntil: new Date(nowMs() + s.leaseMs) })) > 0;
}

/**
 * The heartbeat of one row being worked on: renews its lease every third of `leaseMs`. When a renewal
 * finds the row no longer ours (taken over after a stall), `signal` aborts and the beats stop. A beat
 * that fails (database away) is simply tried again at the next one; the lease may run out meanwhile.
 */
export function holdLease(db: Db, s: LeaseSpec, row: ClaimedRow & { publicId: string }): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    void renewLease(db, s, row)
      .then((held) => {
        if (!held && !controller.signal.aborted) {
          clearInterval(timer);
          controller.abort(new Error(`the lease of ${row.publicId} was lost`));
        }
      }, () => undefined)
      .finally(() => (beating = false));
  }, Math.max(50, Math.floor(s.leaseMs / 3)));
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
