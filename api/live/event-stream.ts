/**
 * The live stream behind `GET events`: server-sent events read from the one event log, so it works
 * the same with one API node or many (any node can serve any caller; the database is the meeting
 * point). The node's one poller (event-hub.ts) reads the log and hands new events to every stream,
 * which keeps what its caller may see: a client user gets client-visible events of their own
 * clients only; agency staff get everything.
 *
 * The SSE `id:` is the log's sequence number, so a reconnecting browser (or our widget, which reads
 * the stream with fetch to keep the token in a header) resumes with `Last-Event-ID` and misses nothing:
 * what it missed up to the hub's position is read once for it (catch-up), the rest comes from the hub.
 * The session is re-checked periodically (by the hub): logging out or disabling the user ends the stream.
 */
import { PassThrough } from 'node:stream';
import type { AppDeps, Caller } from '../platform/http/context.js';
import { readEvents, type StoredEvent } from '../platform/events.js';
import { DB_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../platform/db-unavailable.js';
import { hubFor, type Subscriber } from './event-hub.js';

export interface StreamOptions {
  /** deliver events after this sequence number; null: from now (the hub's position) */
  after: number | null;
  /** only this account's events (internal id), after the caller's access to it was checked */
  accountId: number | null;
  types: string[] | undefined;
  authorization: string;
  heartbeatMs?: number;
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

/** The caller's scope: a client user sees client-visible events of their own clients; agency staff everything. */
function visibleTo(caller: Caller, opts: Pick<StreamOptions, 'accountId' | 'types'>, e: StoredEvent): boolean {
  if (caller.kind !== 'agency' && e.visibility !== 'client') return false;
  if (caller.clientIds !== 'all' && (e.clientId === null || !caller.clientIds.includes(Number(e.clientId)))) return false;
  if (opts.types?.length && !opts.types.includes(e.type)) return false;
  return opts.accountId === null || Number(e.accountId) === opts.accountId;
}

const toLive = (e: StoredEvent): LiveEvent => ({
  id: e.id, seq: e.seq, type: e.type, accountId: e.accountPublicId ?? null, payload: e.payload, occurredAt: e.occurredAt,
});

export function openEventStream(deps: AppDeps, caller: Caller, opts: StreamOptions): { stream: PassThrough; close: () => void } {
  const stream = new PassThrough();
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const hub = hubFor(deps);
  let closed = false;
  let lastWrite = performance.now();
  /** hub batches that arrive while the catch-up read runs */
  let buffered: StoredEvent[] | null = [];

  const write = (text: string) => {
    if (closed) return;
    stream.write(text);
    lastWrite = performance.now();
  };
  const send = (events: StoredEvent[]) => {
    for (const e of events) {
      if (e.seq <= sub.after) continue;
      sub.after = e.seq;
      if (visibleTo(caller, opts, e)) write(`id: ${e.seq}\ndata: ${JSON.stringify(toLive(e))}\n\n`);
    }
  };
  const close = () => {
    if (closed) return;
    closed = true;
    hub.unsubscribe(sub);
    stream.end();
  };
  const sub: Subscriber = {
    caller,
    authorization: opts.authorization,
    after: opts.after ?? Number.MAX_SAFE_INTEGER,
    deliver: (events) => (buffered ? buffered.push(...events) : send(events)),
    idle: () => {
      if (performance.now() - lastWrite >= heartbeatMs) write(': keep-alive\n\n');
    },
    end: (reason, err) => {
      if (reason === 'database_unavailable') {
        // A database hiccup ends the stream; the browser reconnects with Last-Event-ID. The retry
        // hint asks it to give a restarting database a few seconds rather than hammer it.
        console.error('[events] stream ended', err instanceof Error ? err.message : err);
        const wait = isDatabaseUnavailable(err) ? DB_RETRY_AFTER_SECONDS * 1000 : 3000;
        write(`retry: ${wait}\nevent: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      } else {
        write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      }
      close();
    },
  };

  write(`retry: 3000\n: connected\n\n`);
  void (async () => {
    try {
      const hubAt = await hub.subscribe(sub);
      if (opts.after === null) sub.after = hubAt;
      // Catch-up: what the caller missed up to the hub's position, read once, in its scope.
      while (!closed && sub.after < hubAt) {
        const page = await readEvents(deps.db, {
          after: sub.after, through: hubAt, limit: 200, clientIds: caller.clientIds, clientVisibleOnly: caller.kind !== 'agency',
          types: opts.types, withAccountPublicId: true,
        });
        send(page);
        if (page.length < 200) sub.after = hubAt;
      }
      const pending = buffered ?? [];
      buffered = null;
      send(pending);
    } catch (err) {
      sub.end('database_unavailable', err);
    }
  })();
  stream.on('close', close);
  return { stream, close };
}
