/** Background work of placements: running bulk batches (batch-runner.ts). */
import { defineJob } from '../platform/jobs.js';
import { BATCH_JOB } from './batches.service.js';
import { runBatchJob } from './batch-runner.js';

defineJob<{ batchId: string }>(BATCH_JOB, (deps, payload, job) => runBatchJob(deps, payload.batchId, job.attempt));
