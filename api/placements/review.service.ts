/**
 * The agency's review queue (F-PLACE 3): accept or reject pending placements, one or many at once.
 * A decision is all-or-nothing: if any of the placements is unknown or was already decided, nothing
 * changes (409/404), so two reviewers clicking at once cannot half-apply a batch decision.
 * Accepted accounts enter the client's search and get their first activity entry.
 */
import type { Db } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, forbidden, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { newId } from '../platform/ids.js';
import { getPlacement } from './placements.service.js';
import { completeTasksFor } from '../inbox/tasks.service.js';

export interface Decision { placementIds: string[]; decision: 'accept' | 'reject'; reason?: string }

export async function reviewPlacements(db: Db, caller: Caller, meta: RequestMeta, d: Decision, now: Date) {
  if (caller.kind !== 'agency') throw forbidden('Only the agency reviews placements.');
  const ids = [...new Set(d.placementIds)];
  return db.transaction(async (trx) => {
    const rows = (await trx('placements')
      .join('clients', 'clients.id', 'placements.client_id')
      .whereIn('placements.public_id', ids)
      .select('placements.id', 'placements.public_id', 'placements.status', 'placements.account_id', 'placements.client_id', 'clients.name as client_name')) as {
      id: number; publicId: string; status: string; accountId: number; clientId: number; clientName: string;
    }[];
    if (rows.length !== ids.length) throw notFound('Placement');
    const decided = rows.filter((r) => r.status !== 'pending_review');
    if (decided.length) {
      throw new AppError(409, 'placement_already_reviewed', `Already reviewed: ${decided.map((r) => r.publicId).join(', ')}. Nothing was changed.`);
    }
    const status = d.decision === 'accept' ? 'accepted' : 'rejected';
    const patch: Record<string, unknown> = { status, reviewedByUserId: caller.userId, reviewedAt: now };
    // A rejected number may be placed again: it gives up its dedupe slot.
    if (status === 'rejected') Object.assign(patch, { rejectReason: d.reason ?? null, dedupeKey: null });
    const changed = await trx('placements').whereIn('id', rows.map((r) => r.id)).where('status', 'pending_review').update(patch);
    if (changed !== rows.length) throw new AppError(409, 'placement_already_reviewed', 'Another reviewer decided some of these at the same moment. Nothing was changed.');
    await trx('accounts').whereIn('id', rows.map((r) => r.accountId)).update({ reviewStatus: status, updatedAt: now, ...(status === 'accepted' ? { lastActivityAt: now } : {}) });

    if (status === 'accepted') {
      await trx('activity').insert(rows.map((r) => ({
        publicId: newId('act'), accountId: r.accountId, type: 'placement', visibility: 'client',
        body: `Account placed by ${r.clientName}; accepted by the agency.`, actorUserId: caller.userId, actorName: caller.displayName, occurredAt: now,
      })));
    }
    for (const r of rows) {
      await writeAudit(trx, {
        ...meta, action: `placement.${d.decision}`, target: { type: 'placement', id: r.publicId },
        before: { status: 'pending_review' }, after: { status, ...(d.reason ? { reason: d.reason } : {}) },
      });
      await appendEvent(trx, {
        type: `placement.${status}`, clientId: r.clientId, accountId: r.accountId, visibility: 'client', actor: meta.actor,
        payload: { placementId: r.publicId, ...(status === 'rejected' ? { reason: d.reason ?? null } : {}) },
      });
    }
    // The inbox tasks these placements opened are done once nothing of theirs waits for review.
    const resolution = `Placement ${status}${status === 'rejected' && d.reason ? `: ${d.reason}` : '.'}`;
    const close = { resolution, byUserId: caller.userId, now };
    await completeTasksFor(trx, { type: 'placement', ids }, meta, close);
    const batchIds = (await trx('placements').whereIn('placements.id', rows.map((r) => r.id)).whereNotNull('batch_id')
      .join('placement_batches', 'placement_batches.id', 'placements.batch_id').distinct('placement_batches.id', 'placement_batches.public_id')) as { id: number; publicId: string }[];
    for (const batch of batchIds) {
      const waiting = await trx('placements').where({ batchId: batch.id, status: 'pending_review' }).first('id');
      if (!waiting) await completeTasksFor(trx, { type: 'placement_batch', ids: [batch.publicId] }, meta, { ...close, resolution: 'Every placement of the batch was reviewed.' });
    }
    const data = [];
    for (const id of ids) data.push(await getPlacement(trx, caller, id));
    return { decision: d.decision, data };
  });
}
