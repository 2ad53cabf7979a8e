/**
 * The job runner. Features register handlers (`defineJob`) and tickers (`defineTicker`) in
 * `api/<feature>/<feature>.jobs.ts`, imported by `api/jobs-registry.ts`. A job is a row in `jobs`
 * written in the caller's transaction (`enqueueJob`), so it exists exactly when the change does.
 *
 * A worker tick: every ticker looks for due work (plan instalments, report snapshots) and enqueues
 * it with a `dedupeKey` — unique, so two runners produce it once — then due jobs are claimed
 * (claim.ts) and started, then the outbox is delivered. Failures retry with exponential backoff.
 *
 * Leases (issue 20, item 8): a claim holds a job for `leaseMs` (30 s), renewed by a heartbeat every
 * third of that while the job runs, so the job of a worker that died is claimed again by another
 * within about 30 s. Finishing a job is conditional on still holding it (same worker, same attempt):
 * a worker that lost its lease (stalled past it, cut off from the database) records no outcome, and
 * its handler sees `job.signal` aborted.
 *
 * Concurrency (startWorker): each node runs up to `concurrency` jobs at once (4), and webhook
 * deliveries in a lane of their own (`webhookConcurrency`, 8), so a slow receiver fills only its
 * lane's slots while payments and placements go on in theirs. A failed job's retry is claimed first
 * by another worker: the one it failed on takes it only `retryElsewhereMs` (30 s) after it is due.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AppDeps } from './http/context.js';
import type { JobSettings } from '../config.js';
import type { Trx } from './db.js';
import { isMysql, now as clockNow } from './db.js';
import { nowMs } from './clock.js';
import { isDatabaseUnavailable } from './db-unavailable.js';
import { newId } from './ids.js';
import { backoffMs, claimDueRows, heldBy, holdLease, jobSettings, rowsInClaimOrder, type LeaseSpec } from './claim.js';
import { deliverOutbox } from './outbox.js';
import { isUniqueViolation } from './unique-violation.js';
import { eventListeners, localWorkers, wakeLocalWorkersAfterCommit } from './worker-wake.js';

export interface JobInfo {
  id: string;
  /** 1 on the first run */
  attempt: number;
  /**
   * Aborted when this worker no longer holds the job (its lease ran out and another worker took it
   * over): whatever the handler still does is not recorded as the job's outcome; a long handler
   * should stop at its next step. Absent when a handler is called directly.
   */
  signal?: AbortSignal;
}

/** Where a job type's runs queue on a node: each lane has its own slots (JobSettings). */
export type JobLane = 'default' | 'webhooks';

export interface JobDefinition<P> {
  handler: (deps: AppDeps, payload: P, job: JobInfo) => Promise<void>;
  /** delay before retry number `attempt` (default: 30 s doubling, capped at 6 h) */
  backoff?: (attempt: number) => number;
  /** `webhooks`: deliveries that wait on other people's servers, kept apart from everything else */
  lane?: JobLane;
}

// the settings live beside the claims, which the outbox shares (claim.ts)
export { JOB_DEFAULTS, jobSettings } from './claim.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jobTypes = new Map<string, JobDefinition<any>>();
const tickers = new Map<string, (deps: AppDeps, now: Date) => Promise<void>>();
/** Tickers that also run as soon as an event is appended in this process (the webhook fan-out). */
const eventTickers = new Map<string, (deps: AppDeps, now: Date) => Promise<void>>();

export function defineJob<P>(type: string, handler: JobDefinition<P>['handler'], options: Omit<JobDefinition<P>, 'handler'> = {}): void {
  jobTypes.set(type, { handler, ...options });
}

export function defineTicker(name: string, fn: (deps: AppDeps, now: Date) => Promise<void>, options: { onEvent?: boolean } = {}): void {
  tickers.set(name, fn);
  if (options.onEvent) eventTickers.set(name, fn);
}

/** Job types the event fast path runs (the webhook deliveries the fan-out enqueues). */
const eventJobTypes = new Set<string>();
export function runJobOnEvent(type: string): void {
  eventJobTypes.add(type);
}

/**
 * Adds a job in the caller's transaction. With a `dedupeKey` that exists already, nothing is added
 * and the existing job's id is returned. (On MySQL the insert is `INSERT IGNORE`-like via a savepoint.)
 */
export async function enqueueJob(
  trx: Trx,
  input: { type: string; payload: unknown; runAt?: Date; dedupeKey?: string; maxAttempts?: number },
): Promise<string> {
  const row = {
    publicId: newId('job'),
    type: input.type,
    payloadJson: JSON.stringify(input.payload ?? null),
    status: 'queued',
    attempts: 0,
    maxAttempts: input.maxAttempts ?? 8,
    runAt: input.runAt ?? clockNow(),
    dedupeKey: input.dedupeKey ?? null,
    createdAt: clockNow(),
  };
  if (!input.dedupeKey) {
    await trx('jobs').insert(row);
    wakeLocalWorkersAfterCommit(trx); // (outside a transaction: now, the row being there)
    return row.publicId;
  }
  const existing = await trx('jobs').where({ dedupeKey: input.dedupeKey }).first('publicId');
  if (existing) return (existing as { publicId: string }).publicId;
  try {
    // a savepoint, so that losing the race does not abort the caller's transaction
    await trx.transaction(async (sp) => {
      await sp('jobs').insert(row);
    });
    wakeLocalWorkersAfterCommit(trx);
    return row.publicId;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // The winner committed after this transaction's snapshot was taken: only a locking read sees it.
    const q = trx('jobs').where({ dedupeKey: input.dedupeKey }).first('publicId');
    if (isMysql(trx)) q.forShare();
    const winner = (await q) as { publicId: string } | undefined;
    if (!winner) throw err;
    return winner.publicId;
  }
}

interface JobRow {
  id: number;
  publicId: string;
  type: string;
  payloadJson: string;
  attempts: number;
  maxAttempts: number;
}

const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The job types a lane claims: those this process has a handler for (in a rolling deploy, a node
 * leaves a type it does not know yet to the nodes that do, instead of failing it).
 */
function laneTypes(lane: JobLane): string[] {
  return [...jobTypes].filter(([, d]) => (d.lane ?? 'default') === lane).map(([t]) => t);
}

/** The row's claim: this worker and this attempt (claim.ts). */
const jobLease = (workerId: string, leaseMs: number): LeaseSpec => ({ table: 'jobs', working: 'running', workerId, leaseMs });

/** Records a run's outcome if the job is still this worker's; a database outage is waited out for a while. */
async function finishJob(deps: AppDeps, job: JobRow, workerId: string, outcome: Record<string, unknown>, patienceMs: number): Promise<boolean> {
  const giveUpAt = performance.now() + patienceMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
    try {
      return Number(await deps.db('jobs').where(heldBy('running', job, workerId)).update(outcome)) > 0;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || performance.now() + wait > giveUpAt) throw err;
      await sleep(wait);
    }
  }
}

/** Runs one claimed job under its lease and records the outcome (done, retry later, or dead). */
async function runClaimedJob(deps: AppDeps, job: JobRow, workerId: string, settings: Required<JobSettings>): Promise<void> {
  const definition = jobTypes.get(job.type);
  const lease = holdLease(deps.db, jobLease(workerId, settings.leaseMs), job);
  try {
    let outcome: Record<string, unknown>;
    try {
      if (!definition) throw new Error(`No handler is registered for job type ${job.type}.`);
      await definition.handler(deps, JSON.parse(job.payloadJson), { id: job.publicId, attempt: job.attempts, signal: lease.signal });
      outcome = { status: 'done', finishedAt: clockNow(), lockedBy: null, lockedUntil: null, lastError: null, failedBy: null };
    } catch (err) {
      const dead = job.attempts >= job.maxAttempts;
      const delay = (definition?.backoff ?? backoffMs)(job.attempts);
      outcome = {
        status: dead ? 'dead' : 'queued',
        runAt: new Date(nowMs() + delay),
        lockedBy: null,
        lockedUntil: null,
        lastError: message(err).slice(0, 2000),
        // the retry goes to another worker first
        failedBy: workerId,
        finishedAt: dead ? clockNow() : null,
      };
    }
    if (!(await finishJob(deps, job, workerId, outcome, settings.leaseMs / 2))) {
      console.warn(`[worker] job ${job.publicId} (${job.type}) attempt ${job.attempts}: another worker took it over when this one's lease ran out; this run's outcome (${String(outcome.status)}) is not recorded`);
    }
  } finally {
    lease.stop();
  }
}

/** Claims and runs due jobs, one after another; returns how many ran (successfully or not). */
export async function runDueJobs(deps: AppDeps, opts: { limit?: number; workerId?: string; types?: string[]; excludeTypes?: string[] } = {}): Promise<number> {
  const settings = jobSettings(deps.config);
  const workerId = opts.workerId ?? defaultWorkerId();
  const ids = await claimDueRows(deps.db, {
    table: 'jobs', waiting: 'queued', working: 'running', dueColumn: 'runAt',
    now: clockNow(), limit: opts.limit ?? 20, workerId, leaseMs: settings.leaseMs, types: opts.types, excludeTypes: opts.excludeTypes,
    retryElsewhereMs: settings.retryElsewhereMs,
  });
  const claimed = await rowsInClaimOrder<JobRow>(deps, 'jobs', ids);
  for (const job of claimed) await runClaimedJob(deps, job, workerId, settings);
  return ids.length;
}

async function runTickers(deps: AppDeps, now: Date, which: Map<string, (deps: AppDeps, now: Date) => Promise<void>> = tickers): Promise<void> {
  for (const [name, fn] of which) {
    try {
      await fn(deps, now);
    } catch (err) {
      console.error(`[worker] ticker ${name} failed: ${message(err)}`);
    }
  }
}

/**
 * One worker tick, all of it awaited: tickers, every due job (one after another), the outbox, at the
 * app clock's now (tests move that clock, api/platform/clock.ts). startWorker runs jobs concurrently.
 */
export async function runWorkerOnce(deps: AppDeps, workerId = defaultWorkerId()): Promise<void> {
  await runTickers(deps, clockNow());
  while ((await runDueJobs(deps, { workerId })) > 0) {
    /* drain what is due now */
  }
  await deliverOutbox(deps, { workerId });
}

/** One lane's slots on this node: claims as many due jobs as it has free slots, and starts them. */
interface Lane {
  name: JobLane;
  capacity: number;
  running: number;
  pumping: boolean;
  again: boolean;
}

/**
 * The background worker `serve` starts. Several may run (one per API node); claims keep them apart.
 * Jobs run concurrently, up to each lane's slots; a tick does not wait for them.
 */
export function startWorker(deps: AppDeps, opts: { intervalMs?: number; workerId?: string } = {}): { stop(): Promise<void> } {
  const workerId = opts.workerId ?? defaultWorkerId();
  const settings = jobSettings(deps.config);
  const lanes = new Map<JobLane, Lane>([
    ['default', { name: 'default', capacity: settings.concurrency, running: 0, pumping: false, again: false }],
    ['webhooks', { name: 'webhooks', capacity: settings.webhookConcurrency, running: 0, pumping: false, again: false }],
  ]);
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let ticking = false;
  let wokenDuringTick = false;
  let running: Promise<void> = Promise.resolve();

  // One claim at a time on this node: two lanes claiming at once lock the same index range, and
  // SKIP LOCKED then makes one lane pass over a due row the other lane only scanned (a continuation
  // then waited a whole interval; CI saw it on MariaDB).
  let claims: Promise<unknown> = Promise.resolve();
  const claimInTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = claims.then(fn, fn);
    claims = next.catch(() => undefined);
    return next;
  };

  const pump = async (lane: Lane): Promise<void> => {
    if (lane.pumping) {
      lane.again = true; // a slot freed or work arrived during a claim: claim once more after it
      return;
    }
    lane.pumping = true;
    try {
      do {
        lane.again = false;
        while (!stopped && lane.running < lane.capacity) {
          const ids = await claimInTurn(() => claimDueRows(deps.db, {
            table: 'jobs', waiting: 'queued', working: 'running', dueColumn: 'runAt', now: clockNow(),
            limit: lane.capacity - lane.running, workerId, leaseMs: settings.leaseMs, retryElsewhereMs: settings.retryElsewhereMs,
            types: laneTypes(lane.name),
          }));
          if (!ids.length) break;
          for (const job of await rowsInClaimOrder<JobRow>(deps, 'jobs', ids)) {
            lane.running++;
            const run: Promise<void> = runClaimedJob(deps, job, workerId, settings)
              .catch((err: unknown) => console.error(`[worker] job ${job.publicId} (${job.type}): ${message(err)}`))
              .finally(() => {
                lane.running--;
                inFlight.delete(run);
                if (!stopped) void pump(lane);
              });
            inFlight.add(run);
          }
        }
      } while (lane.again && !stopped);
    } catch (err) {
      console.error(`[worker] claiming ${lane.name} jobs failed: ${message(err)}`);
    } finally {
      lane.pumping = false;
    }
  };
  const pumpAll = () => Promise.all([...lanes.values()].map(pump)).then(() => undefined);

  const tick = async () => {
    if (stopped) return;
    ticking = true;
    wokenDuringTick = false;
    running = (async () => {
      await pumpAll(); // what is due already does not wait for the tickers
      await runTickers(deps, clockNow());
      await pumpAll();
      await deliverOutbox(deps, { workerId });
    })().catch((err: unknown) => {
      console.error(`[worker] tick failed: ${message(err)}`);
    });
    await running;
    ticking = false;
    if (!stopped) timer = setTimeout(() => void tick(), wokenDuringTick ? 0 : (opts.intervalMs ?? 2000));
  };
  // A wake-up (a job enqueued here, e.g. a continuation) starts due jobs at once, and one more
  // tick right after the current one (or now).
  const wake = () => {
    if (stopped) return;
    void pumpAll();
    if (ticking) {
      wokenDuringTick = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), 0);
  };
  localWorkers.add(wake);
  // The fast path for an event appended in this process: only the event tickers (webhook fan-out),
  // then the lanes of the jobs they enqueue, not a whole tick of every ticker (which can take a second or more).
  let eventRun: Promise<void> | null = null;
  let eventAgain = false;
  const onEvent = () => {
    if (stopped || !eventTickers.size) return;
    if (eventRun) {
      eventAgain = true;
      return;
    }
    eventRun = (async () => {
      do {
        eventAgain = false;
        await runTickers(deps, clockNow(), eventTickers);
        const eventLanes = new Set([...eventJobTypes].map((t) => jobTypes.get(t)?.lane ?? 'default'));
        await Promise.all([...eventLanes].map((l) => pump(lanes.get(l)!)));
      } while (eventAgain && !stopped);
    })().finally(() => {
      eventRun = null;
    });
  };
  eventListeners.add(onEvent);
  let timer = setTimeout(() => void tick(), 0);
  return {
    /** Stops claiming, and waits for the jobs in flight to finish (a clean stop of the node). */
    async stop() {
      stopped = true;
      localWorkers.delete(wake);
      eventListeners.delete(onEvent);
      await eventRun;
      clearTimeout(timer);
      await running;
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}
