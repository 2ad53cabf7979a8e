/**
 * The integration feed: every event of the log in order (client-visible and internal alike: the
 * integration is the agency), with the integer ids of clients and accounts replaced by public ids.
 * The cursor is the event's sequence number, so a consumer that stores the last `nextCursor` it
 * processed can resume after any outage and miss nothing.
 *
 * Pages come from the settled read (platform/settled-read.ts), which never moves past an event a
 * transaction still open is about to commit.
 */
import type { Trx } from '../platform/db.js';
import type { StoredEvent } from '../platform/events.js';
import { GAP_WAIT_MS, readSettledEvents } from '../platform/settled-read.js';
import type { FeedEventOut } from './feed.schema.js';

export { GAP_WAIT_MS };

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

/** The settled read (all types, in order); type filters are applied on it so the cursor advances over the whole log. */
export const scanEvents = readSettledEvents;

export async function readFeed(trx: Trx, query: { after: string; limit: number; types?: string[] }, now: Date) {
  const { events, more } = await scanEvents(trx, Number(query.after), query.limit, now);
  const wanted = query.types ? new Set(query.types) : null;
  return {
    data: await toFeedEvents(trx, wanted ? events.filter((e) => wanted.has(e.type)) : events),
    nextCursor: events.length ? String(events[events.length - 1]!.seq) : query.after,
    hasMore: more,
  };
}
