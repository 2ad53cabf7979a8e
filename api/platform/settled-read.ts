/**
 * The settled read of the event log: what every reader of the log (integration feed, webhooks, the
 * live stream) uses instead of a bare `id > cursor`, so that none of them ever moves its cursor past
 * an event that is still about to appear.
 *
 * Why: on MySQL two transactions can take ids 41 and 42 and commit 42 first. A reader that served
 * 42 and moved its cursor past 41 would never see 41. So a page stops before a missing id while the
 * event after it is younger than GAP_WAIT_MS (an open transaction will fill it); older gaps are
 * rolled-back transactions and are skipped. SQLite has one writer: ids commit in order.
 */
import type { Trx } from './db.js';
import { isMysql } from './db.js';
import { readEvents, type StoredEvent } from './events.js';

export const GAP_WAIT_MS = 60_000;

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
      if (e.seq !== expected && now.getTime() - Date.parse(e.occurredAt) < GAP_WAIT_MS) {
        events = events.slice(0, i);
        more = false;
        break;
      }
      expected = e.seq + 1;
    }
  }
  return { events, more };
}
