/**
 * "My placements" (issue 19): the spreadsheets placed for the caller's clients, newest first, each
 * with its run (status, counts, progress) and what the agency decided about the rows it placed.
 * Tenancy as everywhere for batches: only the caller's clients (every client for the agency).
 */
import type { Db } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import type { BatchRow } from './batches.service.js';
import type { BatchListQueryT } from './batches.schema.js';

type ListRow = BatchRow & { createdByFirst: string | null; createdByLast: string | null };

export async function listBatches(db: Db, caller: Caller, f: BatchListQueryT) {
  const q = db('placement_batches').join('clients', 'clients.id', 'placement_batches.client_id');
  if (caller.clientIds !== 'all') q.whereIn('placement_batches.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  if (f.clientId) q.where('placement_batches.client_id', await resolveClientId(db, caller, f.clientId));
  if (f.mine === 'true') q.where('placement_batches.created_by_user_id', caller.userId);
  const count = q.clone().count({ n: '*' });
  const rows = (await q
    .leftJoin('users', 'users.id', 'placement_batches.created_by_user_id')
    .select('placement_batches.*', 'clients.public_id as client_public_id', 'clients.name as client_name', 'clients.kind as client_kind',
      'users.first_name as created_by_first', 'users.last_name as created_by_last')
    .orderBy('placement_batches.created_at', 'desc').orderBy('placement_batches.id', 'desc')
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize)) as ListRow[];
  const [{ n }] = (await count) as { n: number | string }[];

  const reviews = new Map<number, { pending: number; accepted: number; rejected: number }>();
  if (rows.length) {
    const counts = (await db('placements').whereIn('batch_id', rows.map((r) => r.id)).groupBy('batch_id', 'status')
      .select('batch_id', 'status').count({ n: '*' })) as { batchId: number; status: string; n: number | string }[];
    for (const c of counts) {
      const r = reviews.get(Number(c.batchId)) ?? { pending: 0, accepted: 0, rejected: 0 };
      const key = c.status === 'pending_review' ? 'pending' : c.status === 'accepted' ? 'accepted' : 'rejected';
      r[key] += Number(c.n);
      reviews.set(Number(c.batchId), r);
    }
  }

  const data = rows.map((b) => {
    const total = b.rowsTotal === null ? null : Number(b.rowsTotal);
    return {
      id: b.publicId, status: b.status as never, mode: b.mode, client: { id: b.clientPublicId, name: b.clientName },
      fileName: b.fileName, format: b.format,
      rowsTotal: total, rowsDone: total === null ? Number(b.rowsDone) : Math.min(total, Number(b.rowsDone)),
      rowsPlaced: Number(b.rowsPlaced), rowsInvalid: Number(b.rowsInvalid), rowsDuplicate: Number(b.rowsDuplicate),
      progress: total ? Math.min(1, Number(b.rowsDone) / total) : ['completed', 'validated'].includes(b.status) ? 1 : 0,
      failure: b.failure, createdAt: toIso(b.createdAt)!, finishedAt: toIso(b.finishedAt),
      errorReportUrl: `/api/v1/placements/batches/${b.publicId}/errors.csv`,
      createdBy: b.createdByFirst ? `${b.createdByFirst} ${b.createdByLast ?? ''}`.trim() : null,
      review: reviews.get(b.id) ?? { pending: 0, accepted: 0, rejected: 0 },
    };
  });
  return { data, total: Number(n), page: f.page, pageSize: f.pageSize };
}
