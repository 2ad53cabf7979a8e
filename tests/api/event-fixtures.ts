/**
 * A row written straight into the event log, for tests of the log's mechanics (cursors, filters,
 * fan-out, retries) where neither the type nor the payload matters. The product appends only
 * through `appendEvent`, which refuses types and payloads outside api/platform/event-types.ts; rows
 * like these stand for what an older or newer version of the portal might have left in the log.
 */
import type { Trx } from '../../api/platform/db.js';
import { now } from '../../api/platform/db.js';
import { newId } from '../../api/platform/ids.js';

export interface RawEvent {
  type: string;
  clientId: number | null;
  accountId: number | null;
  visibility: 'client' | 'internal';
  payload: Record<string, unknown>;
  actor: { type: string; id?: string | null };
}

export async function insertRawEvent(trx: Trx, e: RawEvent): Promise<string> {
  const publicId = newId('evt');
  await trx('events').insert({
    publicId, type: e.type, clientId: e.clientId, accountId: e.accountId, visibility: e.visibility, payloadJson: JSON.stringify(e.payload),
    actorType: e.actor.type, actorId: e.actor.id ?? null, occurredAt: now(),
  });
  return publicId;
}
