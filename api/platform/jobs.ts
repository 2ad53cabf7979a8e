/**
 * The job runner. Features register handlers (`defineJob`) and tickers (`defineTicker`) in
 * `api/<feature>/<feature>.jobs.ts`, imported by `api/jobs-registry.ts`. A job is a row in `jobs`
 * written in the caller's transaction (`enqueueJob`), so it exists exactly when the change does.
 *
 * A worker tick: every ticker looks for due work (plan instalments, report snapshots) and enqueues
 * it with a `dedupeKey` — unique, so two runners produce it once — then due jobs are claimed
 * (claim.ts) and run, then the outbox is delivered. Failures retry with exponential backoff.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AppDeps } from './http/context.js';
import type { Trx } from './db.js';
import { isMysql, now as clockNow } from './db.js';
import { newId } from './ids.js';
import { backoffMs, claimDueRows, rowsInClaimOrder } from './claim.js';
import { deliverOutbox } from './outbox.js';
import { isUniqueViolation } from './unique-violation.js';
import { eventListeners, localWorkers, wakeLocalWorkersAfterCommit } from './worker-wake.js';

export interface JobInfo {
  id: string;
  /** 1 on the first run */
  attempt: number;
}

export interface JobDefinition<P> {
  handler: (deps: AppDeps, payload: P, job: JobInfo) => Promise<void>;
  /** delay before retry number `attempt` (default: 30 s doubling, capped at 6 h) */
  backoff?: (attempt: number) => number;
}

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
  wakeLocalWorkersAfterCommit(trx);
  if (!input.dedupeKey) {
    await trx('jobs').insert(row);
    return row.publicId;
  }
  const existing = await trx('jobs').where({ dedupeKey: input.dedupeKey }).first('publicId');
  if (existing) return (existing as { publicId: string }).publicId;
  try {
    // a savepoint, so that losing the race does not abort the caller's transaction
    await trx.transaction(async (sp) => {
      await sp('jobs').insert(row);
    });
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

/** Claims and runs due jobs; returns how many ran (successfully or not). */
export async function runDueJobs(deps: AppDeps, opts: { limit?: number; workerId?: string; types?: string[] } = {}): Promise<number> {
  const at = clockNow();
  const ids = await claimDueRows(deps.db, {
    table: 'jobs', waiting: 'queued', working: 'running', dueColumn: 'runAt',
    now: at, limit: opts.limit ?? 20, workerId: opts.workerId ?? defaultWorkerId(), leaseMs: 5 * 60_000, types: opts.types,
  });
  const claimed = await rowsInClaimOrder<JobRow>(deps, 'jobs', ids);
  for (const job of claimed) {
    const id = job.id;
    const definition = jobTypes.get(job.type);
    try {
      if (!definition) throw new Error(`No handler is registered for job type ${job.type}.`);
      await definition.handler(deps, JSON.parse(job.payloadJson), { id: job.publicId, attempt: job.attempts });
      await deps.db('jobs').where({ id }).update({ status: 'done', finishedAt: clockNow(), lockedBy: null, lockedUntil: null, lastError: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = job.attempts >= job.maxAttempts;
      const delay = (definition?.backoff ?? backoffMs)(job.attempts);
      await deps.db('jobs').where({ id }).update({
        status: dead ? 'dead' : 'queued',
        runAt: new Date(at.getTime() + delay),
        lockedBy: null,
        lockedUntil: null,
        lastError: message.slice(0, 2000),
        finishedAt: dead ? clockNow() : null,
      });
    }
  }
  return ids.length;
}

/** One worker tick: tickers, due jobs, the outbox, at the app clock's now (tests move that clock, api/platform/clock.ts). */
export async function runWorkerOnce(deps: AppDeps, workerId = defaultWorkerId()): Promise<void> {
  const now = clockNow();
  for (const [name, fn] of tickers) {
    try {
      await fn(deps, now);
    } catch (err) {
      console.error(`[worker] ticker ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  while ((await runDueJobs(deps, { workerId })) > 0) {
    /* drain what is due now */
  }
  await deliverOutbox(deps, { workerId });
}

/** The background worker `serve` starts. Several may run (one per API node); claims keep them apart. */
export function startWorker(deps: AppDeps, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const workerId = defaultWorkerId();
  let stopped = false;
  let ticking = false;
  let wokenDuringTick = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    ticking = true;
    wokenDuringTick = false;
    running = runWorkerOnce(deps, workerId).catch((err: unknown) => {
      console.error(`[worker] tick failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    await running;
    ticking = false;
    if (!stopped) timer = setTimeout(() => void tick(), wokenDuringTick ? 0 : (opts.intervalMs ?? 2000));
  };
  // A wake-up during a tick (e.g. a job enqueuing its continuation) means one more tick right after it.
  const wake = () => {
    if (stopped) return;
    if (ticking) {
      wokenDuringTick = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), 0);
  };
  localWorkers.add(wake);
  // The fast path for an event appended in this process: only the event tickers (webhook fan-out)
  // and the jobs they enqueue, not a whole tick of every ticker (which can take a second or more).
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
        const at = clockNow();
        for (const [name, fn] of eventTickers) {
          try {
            await fn(deps, at);
          } catch (err) {
            console.error(`[worker] ticker ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        try {
          while ((await runDueJobs(deps, { workerId, types: [...eventJobTypes] })) > 0) {
            /* deliver what the fan-out enqueued */
          }
        } catch (err) {
          console.error(`[worker] event jobs failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (eventAgain && !stopped);
    })().finally(() => {
      eventRun = null;
    });
  };
  eventListeners.add(onEvent);
  let timer = setTimeout(() => void tick(), 0);
  return {
    async stop() {
      stopped = true;
      localWorkers.delete(wake);
      eventListeners.delete(onEvent);
      await eventRun;
      clearTimeout(timer);
      await running;
    },
  };
}
