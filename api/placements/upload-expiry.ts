/**
 * Abandoned placement uploads (issue 17): a spreadsheet uploaded and never placed (still `uploaded`,
 * or only dry-run `validated`) holds personal data for nothing. The worker's ticker expires such
 * batches once they have been left alone for `spreadsheetUploads.expiryHours` and deletes their file.
 * The batch row stays (status `expired`, with a message saying why), audited in the same transaction;
 * the file goes after the commit, so a crash in between leaves at worst a file the next pass cannot
 * see, never a batch that points at nothing while it could still be started.
 */
import type { AppDeps } from '../platform/http/context.js';
import { writeAudit } from '../platform/audit.js';
import { removeBatchFile } from './batches.service.js';

const SYSTEM = { type: 'system' as const, id: 'placement-upload-expiry' };
const ABANDONABLE = ['uploaded', 'validated'];
/** Batches expired per pass (the ticker runs every few seconds; a backlog clears over a few passes). */
const PER_PASS = 100;

export async function expireAbandonedUploads(deps: AppDeps, now: Date): Promise<number> {
  const { db, config } = deps;
  const hours = config.spreadsheetUploads.expiryHours;
  const cutoff = new Date(now.getTime() - hours * 3_600_000);
  const due = (await db('placement_batches').whereIn('status', ABANDONABLE).where('updated_at', '<', cutoff)
    .orderBy('id').limit(PER_PASS).select('id', 'public_id', 'status', 'stored_name', 'file_size')) as { id: number; publicId: string; status: string; storedName: string; fileSize: number | string }[];
  let expired = 0;
  for (const b of due) {
    const done = await db.transaction(async (trx) => {
      // only if nobody started it meanwhile
      const changed = await trx('placement_batches').where({ id: b.id, status: b.status }).where('updated_at', '<', cutoff).update({
        status: 'expired',
        failure: `Not placed within ${hours} hours of its last use, so the file was deleted. Upload it again to place it.`,
        updatedAt: now, finishedAt: now,
      });
      if (!changed) return false;
      await writeAudit(trx, { actor: SYSTEM, action: 'placement.batch.expired', target: { type: 'placement_batch', id: b.publicId }, before: { status: b.status }, after: { status: 'expired', fileDeleted: true, bytes: Number(b.fileSize) } });
      return true;
    });
    if (done) {
      await removeBatchFile(config, b.storedName);
      expired++;
    }
  }
  return expired;
}
