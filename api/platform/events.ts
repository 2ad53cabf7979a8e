/**
 * Appending to and reading the ordered event log (see migrations/…_create_events.ts).
 * `appendEvent` takes the caller's transaction: the event exists exactly when the change does.
 * Readers page by the numeric id (strictly increasing), which is the cursor for SSE and the feed.
 */
import type { Trx } from './db.js';
import { now, toIso } from './db.js';
import { newId } from './ids.js';
import type { AuditActor } from './audit.js';
import { checkEvent, type EventType } from './event-types.js';
import { announceEventAfterCommit } from './worker-wake.js';

export interface NewEvent {
  /** one of the catalogued types (event-types.ts): anything else is refused */
  type: EventType;
  clientId: number | null;
  accountId: number | null;
  visibility: 'client' | 'internal';
  payload: Record<string, unknown>;
  actor: AuditActor;
}

export interface StoredEvent {
  /** the cursor: strictly increasing */
  seq: number;
  id: string;
  type: string;
  clientId: number | null;
  accountId: number | null;
  visibility: 'client' | 'internal';
  payload: Record<string, unknown>;
  actor: { type: string; id: string | null };
  occurredAt: string;
  /** only when read with `withAccountPublicId` */
  accountPublicId?: string | null;
}

export async function appendEvent(trx: Trx, event: NewEvent): Promise<string> {
  // The type system keeps unknown types out of our code; this keeps them (and payloads that break the
  // documented schema) out of the log when a type arrives as a plain string at runtime.
  checkEvent(event.type, event.payload);
  const publicId = newId('evt');
  await trx('events').insert({
    publicId,
    type: event.type,
    clientId: event.clientId,
    accountId: event.accountId,
    visibility: event.visibility,
    payloadJson: JSON.stringify(event.payload),
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    occurredAt: now(),
  });
  // Webhooks fan out from the worker: this node's worker looks at once, not at its next tick.
  announceEventAfterCommit(trx);
  return publicId;
}

interface EventRow {
  id: number | string;
  publicId: string;
  type: string;
  clientId: number | null;
  accountId: number | null;
  visibility: 'client' | 'internal';
  payloadJson: string;
  actorType: string;
  actorId: string | null;
  occurredAt: unknown;
  accountPublicId?: string | null;
}

export interface ReadEventsOptions {
  after: number;
  /** up to and including this sequence number */
  through?: number;
  limit: number;
  clientIds: readonly number[] | 'all';
  clientVisibleOnly: boolean;
  types?: string[];
  /** also read each event's account public id (one join instead of a second query) */
  withAccountPublicId?: boolean;
}

/**
 * Events after a cursor, oldest first. `clientIds` limits to those clients ('all' for the agency);
 * `clientVisibleOnly` drops internal events (for client users).
 */
export async function readEvents(trx: Trx, options: ReadEventsOptions): Promise<StoredEvent[]> {
  const q = trx('events').where('events.id', '>', options.after).orderBy('events.id', 'asc').limit(options.limit);
  if (options.through !== undefined) q.where('events.id', '<=', options.through);
  if (options.clientIds !== 'all') q.whereIn('events.client_id', options.clientIds.length ? [...options.clientIds] : [-1]);
  if (options.clientVisibleOnly) q.where('events.visibility', 'client');
  if (options.types?.length) q.whereIn('events.type', options.types);
  if (options.withAccountPublicId) q.leftJoin('accounts', 'accounts.id', 'events.account_id').select('events.*', 'accounts.public_id as account_public_id');
  else q.select();
  const rows = (await q) as EventRow[];
  return rows.map((r) => ({
    seq: Number(r.id),
    id: r.publicId,
    type: r.type,
    clientId: r.clientId,
    accountId: r.accountId,
    visibility: r.visibility,
    payload: JSON.parse(r.payloadJson) as Record<string, unknown>,
    actor: { type: r.actorType, id: r.actorId },
    occurredAt: toIso(r.occurredAt)!,
    ...(options.withAccountPublicId ? { accountPublicId: r.accountPublicId ?? null } : {}),
  }));
}
