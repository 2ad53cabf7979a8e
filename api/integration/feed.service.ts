/**
 * The integration feed: every event of the log in order (client-visible and internal alike: the
 * integration is the agency), with the integer ids of clients and accounts replaced by public ids.
 * The cursor is the event's sequence number, so a consumer that stores the last `nextCursor` it
 * processed can resume after any outage and miss nothing.
 *
 * Why the gap rule: on MySQL two transactions can take ids 41 and 42 and commit 42 first. A reader
 * that served 42 and moved its cursor past 41 would never see 41. So a page stops before a missing
 * id while the event after it is younger than GAP_WAIT_MS (an open transaction will fill it); older
 * gaps are rolled-back transactions and are skipped. SQLite has one writer: ids commit in order.
 */
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { readEvents, type StoredEvent } from '../platform/events.js';
import type { FeedEventOut } from './feed.schema.js';

export const GAP_WAIT_MS = 60_000;

async function publicIds(trx: Trx, table: 'clients' | 'accounts', ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null).map(Number))];
  if (!wanted.length) return new Map();
  const rows = (await trx(table).whereIn('id', wanted).select('id', 'public_id')) as { id: number; publicId: string }[];
  return new Map(rows.map((r) => [Number(r.id), r.publicId]));
}

/** Events in the public shape (shared with webhook deliveries). */
export async function toFeedEvents(trx: Trx, events: StoredEvent[]): Promise<FeedEventOut[]> {
  const clients = await publicIds(trx, 'clients', events.map((e) => e.clientId));
  const accounts = await publicIds(trx, 'accounts', events.map((e) => e.accountId));
  return events.map((e) => ({
    id: e.id,
    seq: String(e.seq),
    type: e.type,
    occurredAt: e.occurredAt,
    clientId: e.clientId === null ? null : (clients.get(Number(e.clientId)) ?? null),
    accountId: e.accountId === null ? null : (accounts.get(Number(e.accountId)) ?? null),
    visibility: e.visibility,
    actor: { type: e.actor.type, id: e.actor.id ?? null },
    data: e.payload,
  }));
}

/**
 * The next settled events after `after` (all types, in order): at most `limit`, `more` when
 * another batch is ready now. Type filters are applied by callers on this scan, so the cursor
 * always advances over the whole log.
 */
export async function scanEvents(trx: Trx, after: number, limit: number, now: Date): Promise<{ events: StoredEvent[]; more: boolean }> {
  const rows = await readEvents(trx, { after, limit: limit + 1, clientIds: 'all', clientVisibleOnly: false });
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

export async function readFeed(trx: Trx, query: { after: string; limit: number; types?: string[] }, now: Date) {
  const { events, more } = await scanEvents(trx, Number(query.after), query.limit, now);
  const wanted = query.types ? new Set(query.types) : null;
  return {
    data: await toFeedEvents(trx, wanted ? events.filter((e) => wanted.has(e.type)) : events),
    nextCursor: events.length ? String(events[events.length - 1]!.seq) : query.after,
    hasMore: more,
  };
}
