/**
 * One poller per node for every live stream it serves. Each open `GET events` used to poll the
 * database itself every 500 ms: 200 streams took MariaDB from 22 to 404 queries/s and filled the
 * request pool. Here one loop reads the log (the settled read, with the accounts' public ids joined
 * in: one query per tick) and hands each new batch to every subscriber, which keeps what its caller
 * may see. The cost is per node — about 1.7 queries/s idle, whatever the number of streams.
 *
 * Subscribers are checked centrally too: every SESSION_CHECK_MS each distinct token is looked up
 * once (through the caller cache), and a stream whose session ended is told so and closed.
 * The hub runs while it has subscribers; the last one leaving stops it.
 */
import type { AppDeps, Caller } from '../platform/http/context.js';
import type { Db } from '../platform/db.js';
import type { StoredEvent } from '../platform/events.js';
import { readSettledEvents } from '../platform/settled-read.js';
import { now as clockNow } from '../platform/clock.js';
import { loadCaller } from '../platform/auth/caller.js';

export const POLL_MS = 600;
const SESSION_CHECK_MS = 30_000;
const PAGE = 500;
/** On start, the settled point is looked for this far below the newest event (an open transaction may hold one). */
const START_WINDOW = 200;

export interface Subscriber {
  caller: Caller;
  authorization: string;
  /** deliver events after this sequence number (moved on by the subscriber as it writes) */
  after: number;
  /** a batch of new events, in order, not yet filtered for this caller */
  deliver(events: StoredEvent[]): void;
  /** every POLL_MS, for heartbeats */
  idle(): void;
  /** the stream must end: its session ended, or the database failed */
  end(reason: 'session_ended' | 'database_unavailable', err?: unknown): void;
}

export class EventHub {
  readonly #deps: AppDeps;
  readonly #subs = new Set<Subscriber>();
  #cursor: number | null = null;
  #starting: Promise<number> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #lastSessionCheck = performance.now();
  /** database round trips this hub made (for tests and the benchmark) */
  queries = 0;

  constructor(deps: AppDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#subs.size;
  }

  /**
   * Adds a subscriber; resolves with the hub's cursor at that moment: every event after it reaches
   * the subscriber through `deliver`, and everything up to it is settled (a catch-up read may serve it).
   */
  async subscribe(sub: Subscriber): Promise<number> {
    this.#subs.add(sub);
    if (this.#cursor === null) {
      this.#starting ??= this.#start().finally(() => {
        this.#starting = null;
      });
      try {
        await this.#starting;
      } catch (err) {
        this.#subs.delete(sub);
        throw err;
      }
    }
    return this.#cursor!;
  }

  unsubscribe(sub: Subscriber): void {
    this.#subs.delete(sub);
    if (!this.#subs.size) this.#stop();
  }

  async #start(): Promise<number> {
    const { db } = this.#deps;
    this.queries++;
    const top = Number(((await db('events').max({ m: 'id' }).first()) as { m: number | string | null } | undefined)?.m ?? 0);
    let cursor = Math.max(0, top - START_WINDOW);
    for (;;) {
      this.queries++;
      const { events, more } = await readSettledEvents(db, cursor, PAGE, clockNow());
      if (events.length) cursor = events[events.length - 1]!.seq;
      if (!more) break;
    }
    this.#cursor = cursor;
    this.#lastSessionCheck = performance.now();
    this.#schedule();
    return cursor;
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#cursor = null;
  }

  #schedule(delay = POLL_MS): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delay);
  }

  async #tick(): Promise<void> {
    if (this.#cursor === null || !this.#subs.size) return this.#stop();
    let more = false;
    try {
      this.queries++;
      const page = await readSettledEvents(this.#deps.db, this.#cursor, PAGE, clockNow(), { withAccountPublicId: true });
      more = page.more;
      if (this.#cursor === null) return; // stopped meanwhile
      if (page.events.length) {
        this.#cursor = page.events[page.events.length - 1]!.seq;
        for (const sub of [...this.#subs]) sub.deliver(page.events);
      }
      for (const sub of [...this.#subs]) sub.idle();
      if (performance.now() - this.#lastSessionCheck >= SESSION_CHECK_MS) {
        this.#lastSessionCheck = performance.now();
        await this.#checkSessions();
      }
    } catch (err) {
      // The database failed: every stream ends with a retry hint and reconnects (Last-Event-ID).
      for (const sub of [...this.#subs]) sub.end('database_unavailable', err);
      this.#subs.clear();
      return this.#stop();
    }
    if (this.#cursor !== null && this.#subs.size) this.#schedule(more ? 0 : POLL_MS);
    else this.#stop();
  }

  async #checkSessions(): Promise<void> {
    const byToken = new Map<string, Subscriber[]>();
    for (const sub of this.#subs) byToken.set(sub.authorization, [...(byToken.get(sub.authorization) ?? []), sub]);
    for (const [authorization, subs] of byToken) {
      if (await loadCaller(this.#deps, authorization)) continue;
      for (const sub of subs) sub.end('session_ended');
    }
  }
}

const hubs = new WeakMap<Db, EventHub>();

/** The node's hub for this database (tests run several apps, each on its own database). */
export function hubFor(deps: AppDeps): EventHub {
  let hub = hubs.get(deps.db);
  if (!hub) hubs.set(deps.db, (hub = new EventHub(deps)));
  return hub;
}
