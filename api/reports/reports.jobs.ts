/**
 * Reports on the job runner: background exports (a PDF of up to 20,000 rows, exports.service.ts) and
 * their expiry, and scheduled snapshots.
 *
 * Scheduled snapshots: The ticker turns each due schedule into one job per period
 * (the dedupe key makes a second runner's enqueue a no-op) and moves the schedule to its next
 * boundary; the job renders the snapshot, which is unique per (schedule, period) as a last guard.
 */
import type { AppDeps } from '../platform/http/context.js';
import { defineJob, defineTicker, enqueueJob } from '../platform/jobs.js';
import { nextBoundary, periodKeyOf, type Frequency } from './schedule-periods.js';
import { produceSnapshot, SNAPSHOT_JOB_TYPE } from './snapshots.service.js';
import { EXPORT_JOB, expireExports, runExport } from './exports.service.js';
import { now as clockNow } from '../platform/clock.js';

export const SNAPSHOT_JOB = SNAPSHOT_JOB_TYPE;

interface SnapshotJob {
  scheduleId: string;
  periodKey: string;
}

export async function enqueueDueSnapshots(deps: AppDeps, now: Date): Promise<number> {
  const due = (await deps.db('report_schedules').where('status', 'active').where('next_run_at', '<=', now)
    .select('id', 'public_id', 'frequency', 'next_run_at')) as { id: number; publicId: string; frequency: Frequency; nextRunAt: unknown }[];
  let enqueued = 0;
  for (const s of due) {
    const periodKey = periodKeyOf(new Date(s.nextRunAt as string | number | Date));
    await deps.db.transaction(async (trx) => {
      // Claim the period by moving the schedule on, but only from the value this runner read: a
      // second runner's UPDATE waits for the first's row lock, then matches nothing and stops here.
      // A schedule that missed several periods (the service was down) catches up with one snapshot.
      const moved = await trx('report_schedules').where({ id: s.id, nextRunAt: s.nextRunAt as Date }).update({ nextRunAt: nextBoundary(s.frequency, now) });
      if (!moved) return;
      // The dedupe key stays as a second guard (and the snapshot itself is unique per period).
      await enqueueJob(trx, { type: SNAPSHOT_JOB, payload: { scheduleId: s.publicId, periodKey } satisfies SnapshotJob, dedupeKey: `report-snapshot:${s.publicId}:${periodKey}` });
      enqueued++;
    });
  }
  return enqueued;
}

defineTicker('reports.snapshots', (deps, now) => enqueueDueSnapshots(deps, now).then(() => undefined));

defineJob<SnapshotJob>(SNAPSHOT_JOB, async (deps, payload) => {
  await produceSnapshot(deps, payload.scheduleId, payload.periodKey, clockNow());
});

defineJob<{ exportId: string }>(EXPORT_JOB, async (deps, payload, job) => {
  // (job.signal: aborted when this worker lost the job's lease, with runners that hold leases)
  await runExport(deps, payload.exportId, job as typeof job & { signal?: AbortSignal });
});

defineTicker('reports.export-expiry', (deps, now) => expireExports(deps, now).then(() => undefined));
