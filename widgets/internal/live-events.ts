/**
 * Live updates for an element: reads the API's server-sent event stream (`GET events`) with fetch,
 * so the access token stays in the Authorization header (EventSource cannot send one), and calls
 * `onEvent` for each event. A dropped stream reconnects after a pause, resuming after the last
 * event seen, so nothing is missed. Connections end when the element leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient, Query } from './api-client.js';

/** One event as the stream delivers it (public ids only). */
export interface LiveEvent {
  id: string;
  seq: number;
  type: string;
  accountId: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

export interface LiveTarget {
  client: ApiClient;
  /** a string that changes when the subscription must change (user, account) */
  key: string;
  query: Query;
}

const RETRY_MS = 2000;

export class LiveEvents implements ReactiveController {
  #target: () => LiveTarget | null;
  #onEvent: (event: LiveEvent) => void;
  #key: string | null = null;
  #abort: AbortController | null = null;
  #lastSeq: number | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** true while a stream is open: tests and hosts can wait for it */
  connected = false;

  constructor(host: ReactiveControllerHost, target: () => LiveTarget | null, onEvent: (event: LiveEvent) => void) {
    this.#target = target;
    this.#onEvent = onEvent;
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.#target();
    const key = target ? `${target.client.base}|${target.key}` : null;
    if (key === this.#key) return;
    this.#stop();
    this.#key = key;
    this.#lastSeq = null;
    if (target) void this.#run(target);
  }

  hostDisconnected(): void {
    this.#stop();
    this.#key = null;
  }

  #stop(): void {
    clearTimeout(this.#retry);
    this.#abort?.abort();
    this.#abort = null;
    this.connected = false;
  }

  async #run(target: LiveTarget): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const query = { ...target.query, ...(this.#lastSeq !== null ? { after: this.#lastSeq } : {}) };
      const response = await target.client.openStream('/events', query, abort.signal);
      this.connected = true;
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.#dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted, network gone or session ended: retry below unless stopped
    }
    this.connected = false;
    if (this.#abort === abort && !abort.signal.aborted) {
      this.#retry = setTimeout(() => {
        if (this.#abort === abort) void this.#run(target);
      }, RETRY_MS);
    }
  }

  #dispatch(block: string): void {
    let data = '';
    let id: string | null = null;
    for (const line of block.split('\n')) {
      if (line.startsWith('data:')) data += line.slice(5).trimStart();
      else if (line.startsWith('id:')) id = line.slice(3).trim();
    }
    if (!data || id === null) return;
    try {
      const event = JSON.parse(data) as LiveEvent;
      this.#lastSeq = event.seq;
      this.#onEvent(event);
    } catch {
      // a malformed event is skipped; the next one carries on
    }
  }
}
