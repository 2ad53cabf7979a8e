/**
 * The live stream behind `GET events`: server-sent events read from the one event log, so it works
 * the same with one API node or many (any node can serve any caller; the database is the meeting
 * point). Each connection polls the log after its cursor, scoped like everything else: a client
 * user gets client-visible events of their own clients only; agency staff get everything.
 *
 * The SSE `id:` is the log's sequence number, so a reconnecting browser (or our widget, which reads
 * the stream with fetch to keep the token in a header) resumes with `Last-Event-ID` and misses nothing.
 * The session is re-checked periodically: logging out or disabling the user ends the stream.
 */
import { PassThrough } from 'node:stream';
import type { AppDeps, Caller } from '../platform/http/context.js';
import type { StoredEvent } from '../platform/events.js';
import { readSettledEvents } from '../platform/settled-read.js';
import { now as clockNow } from '../platform/clock.js';
import { DB_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../platform/db-unavailable.js';
import { loadCaller } from '../platform/auth/caller.js';

export interface StreamOptions {
  /** deliver events after this sequence number */
  after: number;
  /** only this account's events (internal id), after the caller's access to it was checked */
  accountId: number | null;
  types: string[] | undefined;
  authorization: string;
  pollMs?: number;
  heartbeatMs?: number;
  sessionCheckMs?: number;
}

/** What a browser receives for one event: public ids only. */
export interface LiveEvent {
  id: string;
  seq: number;
  type: string;
  accountId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

export async function latestSeq(deps: AppDeps): Promise<number> {
  const row = (await deps.db('events').max({ m: 'id' }).first()) as { m: number | string | null } | undefined;
  return Number(row?.m ?? 0);
}

async function toLive(deps: AppDeps, events: StoredEvent[]): Promise<LiveEvent[]> {
  const ids = [...new Set(events.map((e) => e.accountId).filter((x): x is number => x !== null))];
  const map = new Map<number, string>();
  if (ids.length) {
    for (const r of (await deps.db('accounts').whereIn('id', ids).select('id', 'public_id')) as { id: number; publicId: string }[]) map.set(r.id, r.publicId);
  }
  return events.map((e) => ({
    id: e.id, seq: e.seq, type: e.type, accountId: e.accountId === null ? null : (map.get(e.accountId) ?? null), payload: e.payload, occurredAt: e.occurredAt,
  }));
}

/** The caller's scope: a client user sees client-visible events of their own clients; agency staff everything. */
function visibleTo(caller: Caller, opts: Pick<StreamOptions, 'accountId' | 'types'>, e: StoredEvent): boolean {
  if (caller.kind !== 'agency' && e.visibility !== 'client') return false;
  if (caller.clientIds !== 'all' && (e.clientId === null || !caller.clientIds.includes(Number(e.clientId)))) return false;
  if (opts.types?.length && !opts.types.includes(e.type)) return false;
  return opts.accountId === null || Number(e.accountId) === opts.accountId;
}

export function openEventStream(deps: AppDeps, caller: Caller, opts: StreamOptions): { stream: PassThrough; close: () => void } {
  const stream = new PassThrough();
  const pollMs = opts.pollMs ?? 500;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const sessionCheckMs = opts.sessionCheckMs ?? 30_000;
  let cursor = opts.after;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = performance.now();
  let lastSessionCheck = performance.now();

  const write = (text: string) => {
    if (closed) return;
    stream.write(text);
    lastWrite = performance.now();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    stream.end();
  };

  const tick = async () => {
    try {
      if (performance.now() - lastSessionCheck >= sessionCheckMs) {
        lastSessionCheck = performance.now();
        if (!(await loadCaller(deps, opts.authorization))) {
          write(`event: end\ndata: ${JSON.stringify({ reason: 'session_ended' })}\n\n`);
          return close();
        }
      }
      // Drain what is there, in pages, before sleeping again.
      for (;;) {
        // The settled read, as the integration feed does: never past an id a transaction still
        // holds, so an event that commits after a later one is delivered too.
        const { events: batch, more } = await readSettledEvents(deps.db, cursor, 200, clockNow());
        if (!batch.length) break;
        cursor = batch[batch.length - 1]!.seq;
        const wanted = batch.filter((e) => visibleTo(caller, opts, e));
        for (const e of await toLive(deps, wanted)) write(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
        if (!more) break;
      }
      if (performance.now() - lastWrite >= heartbeatMs) write(': keep-alive\n\n');
    } catch (err) {
      // A database hiccup ends this stream; the browser reconnects with Last-Event-ID. The retry
      // hint asks it to give a restarting database a few seconds rather than hammer it.
      console.error('[events] stream failed', err instanceof Error ? err.message : err);
      if (isDatabaseUnavailable(err)) write(`retry: ${DB_RETRY_AFTER_SECONDS * 1000}\nevent: end\ndata: ${JSON.stringify({ reason: 'database_unavailable' })}\n\n`);
      return close();
    }
    if (!closed) timer = setTimeout(() => void tick(), pollMs);
  };

  write(`retry: 3000\n: connected\n\n`);
  timer = setTimeout(() => void tick(), 0);
  stream.on('close', close);
  return { stream, close };
}
