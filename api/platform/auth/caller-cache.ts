/**
 * A short-lived, per-process memory of callers, so that an authenticated request does not pay a
 * database round trip just to learn who is calling.
 *
 * Correctness does not rest on a timeout. Every change to what a caller is read from (a session
 * revoked or expiring, a user disabled or edited, a role's permissions, client links, MFA factors)
 * leaves a row in `auth_changes`, written by database triggers (migration 20261125200000), so no code
 * path can forget. Before serving from memory, a process reads the rows added since it last looked —
 * at most once per `SYNC_INTERVAL_MS` — and forgets the users named there (a role change, with no
 * user, forgets everyone). After a request that may have changed something (any method other than
 * GET/HEAD/OPTIONS) the next request syncs first, so within one process a logout or a disabled user
 * takes effect on the very next request; other processes (more API nodes, the CLI) are heard within
 * SYNC_INTERVAL_MS. When the log cannot be read, nothing is served from memory.
 */
import type Koa from 'koa';
import type { Db } from '../db.js';
import type { Caller } from '../http/context.js';
import { nowMs } from '../clock.js';

const SYNC_INTERVAL_MS = 250;
/** A safety net only: even an unchanged caller is read afresh this often. */
const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 10_000;
/**
 * Log ids are handed out at insert and become visible at commit, so a lower id can appear after a
 * higher one. A missing id is looked for again until it has been missing this long; then it is taken
 * for a rolled-back transaction's.
 */
const GAP_PATIENCE_MS = 60_000;

interface Entry {
  caller: Caller;
  sessionExpiresAt: number;
  storedAt: number;
}

export class CallerCache {
  readonly #db: Db;
  readonly #entries = new Map<string, Entry>();
  /** every log id up to here has been applied (or given up on); null until the first sync */
  #floor: number | null = null;
  /** ids above the floor already applied */
  readonly #applied = new Set<number>();
  /** ids above the floor still missing, and since when */
  readonly #missingSince = new Map<number, number>();
  /** bumped on every applied change, so a read that raced one is not remembered */
  #generation = 0;
  #syncedAt = 0;
  /** markStale() calls so far, and how many of them the last finished sync began after */
  #marks = 0;
  #syncedMarks = 0;
  #syncing: Promise<void> | null = null;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The cached caller for a token's session, or undefined (then load it and `put` it). */
  async get(key: string, now = nowMs()): Promise<Caller | undefined> {
    if (!(await this.#fresh(now))) return undefined;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now >= entry.sessionExpiresAt || now - entry.storedAt > MAX_AGE_MS) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.caller;
  }

  /** Taken before reading a caller from the database, and handed back to `put`. */
  generation(): number {
    return this.#generation;
  }

  /** Remembers a caller read from the database, unless a change was applied while it was read. */
  put(key: string, caller: Caller, sessionExpiresAt: number, generationBeforeRead: number, now = nowMs()): void {
    if (this.#floor === null || generationBeforeRead !== this.#generation) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { caller, sessionExpiresAt, storedAt: now });
  }

  /** Something may have changed in this process: read the change log before the next cached answer. */
  markStale(): void {
    this.#marks++;
  }

  async #fresh(now: number): Promise<boolean> {
    // A sync that began before the latest markStale() may have missed that write: wait for a later
    // one. Under a steady stream of writes, give up after a few rounds and read from the database.
    for (let round = 0; round < 3; round++) {
      if (this.#floor !== null && now - this.#syncedAt < SYNC_INTERVAL_MS && this.#syncedMarks === this.#marks) return true;
      this.#syncing ??= this.#sync(now, this.#marks).finally(() => {
        this.#syncing = null;
      });
      await this.#syncing;
      if (this.#floor === null) return false;
    }
    return this.#syncedMarks === this.#marks;
  }

  async #sync(now: number, marks: number): Promise<void> {
    try {
      if (this.#floor === null) {
        // First look: start from the newest change; nothing is cached yet, so nothing is stale.
        const row = (await this.#db('auth_changes').max({ id: 'id' }).first()) as { id: number | string | null } | undefined;
        this.#floor = Number(row?.id ?? 0);
      } else {
        const rows = (await this.#db('auth_changes').where('id', '>', this.#floor).orderBy('id').select('id', 'user_id')) as { id: number | string; userId: number | string | null }[];
        for (const r of rows) this.#apply(Number(r.id), r.userId === null ? null : Number(r.userId));
        this.#advanceFloor(now);
      }
      this.#syncedAt = now;
      this.#syncedMarks = marks;
    } catch {
      // Fail closed: with no view of the change log, serve nothing from memory until it is back.
      this.#entries.clear();
      this.#applied.clear();
      this.#missingSince.clear();
      this.#floor = null;
    }
  }

  #apply(id: number, userId: number | null): void {
    if (this.#applied.has(id)) return;
    this.#applied.add(id);
    this.#missingSince.delete(id);
    this.#generation++;
    if (userId === null) this.#entries.clear();
    else for (const [key, entry] of this.#entries) if (entry.caller.userId === userId) this.#entries.delete(key);
  }

  #advanceFloor(now: number): void {
    let top = this.#floor!;
    for (const id of this.#applied) top = Math.max(top, id);
    for (let id = this.#floor! + 1; id < top; id++) if (!this.#applied.has(id) && !this.#missingSince.has(id)) this.#missingSince.set(id, now);
    while (this.#floor! < top) {
      const next = this.#floor! + 1;
      if (this.#applied.delete(next)) this.#floor = next;
      else if (now - (this.#missingSince.get(next) ?? now) >= GAP_PATIENCE_MS) {
        this.#missingSince.delete(next);
        this.#floor = next;
      } else break;
    }
  }
}

const caches = new WeakMap<Db, CallerCache>();

/** One cache per database handle (tests run several apps, each on its own database). */
export function callerCacheFor(db: Db): CallerCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new CallerCache(db)));
  return cache;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After any request that may have written (whatever its outcome), the next request in this process
 * reads the change log first. Runs before the response is sent, so a client that waits for its
 * logout's answer never sees its old session accepted by this process.
 */
export function callerCacheStaleAfterWrites(cache: CallerCache): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (!SAFE_METHODS.has(ctx.method)) cache.markStale();
    }
  };
}
