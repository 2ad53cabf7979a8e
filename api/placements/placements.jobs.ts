/** Background work of placements: running bulk batches (batch-runner.ts), expiring abandoned uploads. */
import { defineJob, defineTicker } from '../platform/jobs.js';
import { BATCH_JOB } from './batches.service.js';
import { runBatchJob } from './batch-runner.js';
import { expireAbandonedUploads } from './upload-expiry.js';

defineJob<{ batchId: string }>(BATCH_JOB, (deps, payload, job) => runBatchJob(deps, payload.batchId, job.attempt, job.signal));
defineTicker('placement.upload-expiry', async (deps, now) => {
  await expireAbandonedUploads(deps, now);
});
