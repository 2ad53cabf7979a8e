/**
 * The settled read of the event log: what every reader of the log (integration feed, webhooks, the
 * live stream) uses instead of a bare `id > cursor`, so that none of them ever moves its cursor past
 * an event that is still about to appear.
 *
 * Why: on MySQL two transactions can take ids 41 and 42 and commit 42 first. A reader that served
 * 42 and moved its cursor past 41 would never see 41. So a page stops before a missing id while a
 * transaction may still fill it. SQLite has one writer: ids commit in order.
 *
 * Which gaps to wait on: a missing id is either held by a transaction still open or was rolled back
 * (and never fills). Waiting GAP_WAIT_MS on every gap stalled webhooks for a minute after each
 * rolled-back write, so a gap is probed (probeGap): a locking read of the missing ids with NOWAIT.
 * An open transaction's inserted row is locked, so the probe fails at once ("wait"); a row that
 * committed since our read is returned ("read again"); nothing and no lock means rolled back ("skip").
 * The probe waits PROBE_AFTER_MS after the later event, so an id handed out by auto-increment an
 * instant before its row is in the index is not mistaken for a rolled-back one. A gap still held
 * after GAP_WAIT_MS is skipped as before (and logged): one stuck transaction cannot stop every reader.
 */
import type { Trx } from './db.js';
import { isMysql } from './db.js';
import { readEvents, type StoredEvent } from './events.js';

export const GAP_WAIT_MS = 60_000;
/** How old the event after a gap must be before the gap is probed. */
export const PROBE_AFTER_MS = 200;

type GapVerdict = 'rolled_back' | 'open' | 'committed';

/** The missing ids `from`..`to`: held by an open transaction, committed since, or rolled back. */
async function probeGap(trx: Trx, from: number, to: number): Promise<GapVerdict> {
  try {
    const [rows] = (await trx.raw('SELECT id FROM events WHERE id BETWEEN ? AND ? LOCK IN SHARE MODE NOWAIT', [from, to])) as [unknown[]];
    return rows.length ? 'committed' : 'rolled_back';
  } catch (err) {
    const code = (err as { code?: string }).code;
    // MariaDB answers NOWAIT with ER_LOCK_WAIT_TIMEOUT, MySQL 8 with ER_LOCK_NOWAIT.
    if (code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_LOCK_NOWAIT') return 'open';
    // An engine without NOWAIT (or a lost connection): fall back to waiting GAP_WAIT_MS.
    return 'open';
  }
}

/**
 * The next settled events after `after` (all types, all clients, in order): at most `limit`, `more`
 * when another batch is ready now. Scope and type filters are applied by callers on this scan, so
 * the cursor always advances over the whole log.
 */
export async function readSettledEvents(
  trx: Trx, after: number, limit: number, now: Date, opts: { withAccountPublicId?: boolean } = {},
): Promise<{ events: StoredEvent[]; more: boolean }> {
  const rows = await readEvents(trx, { after, limit: limit + 1, clientIds: 'all', clientVisibleOnly: false, ...opts });
  let events = rows.slice(0, limit);
  let more = rows.length > limit;
  if (isMysql(trx)) {
    let expected = after + 1;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.seq !== expected) {
        const age = now.getTime() - Date.parse(e.occurredAt);
        const verdict: GapVerdict = age < PROBE_AFTER_MS ? 'open' : await probeGap(trx, expected, e.seq - 1);
        if (verdict === 'committed' || (verdict === 'open' && age < GAP_WAIT_MS)) {
          events = events.slice(0, i);
          more = verdict === 'committed'; // read again now: the missing events are there
          break;
        }
        if (verdict === 'open') console.error(`[events] ids ${expected}..${e.seq - 1} are still held by a transaction open for over ${GAP_WAIT_MS / 1000} s; readers move past them`);
      }
      expected = e.seq + 1;
    }
  }
  return { events, more };
}
