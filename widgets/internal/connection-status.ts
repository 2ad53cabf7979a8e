/**
 * The composite elements' "Can't reach the server — retrying in 4 s · Retry now" line: it follows
 * the API client's `connection` (api-client.ts retries GETs with back-off), counts down each second
 * while a retry waits, and disappears when a request gets through. "Retry now" wakes the waiting
 * retries; once they were used up it asks the host to load the view again (`onReload`).
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { ApiClient, Connection } from './api-client.js';

export class ConnectionStatus implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #client: () => ApiClient;
  readonly #onReload: () => void;
  #watched: ApiClient | null = null;
  #tick: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, client: () => ApiClient, onReload: () => void) {
    this.#host = host;
    this.#client = client;
    this.#onReload = onReload;
    host.addController(this);
  }

  #onChange = () => {
    const c = this.#watched?.connection;
    clearInterval(this.#tick);
    if (c?.state === 'retrying') this.#tick = setInterval(() => this.#host.requestUpdate(), 1000);
    this.#host.requestUpdate();
  };

  #watch(): ApiClient {
    const client = this.#client();
    if (client !== this.#watched) {
      this.#watched?.removeEventListener('connection-change', this.#onChange);
      this.#watched = client;
      client.addEventListener('connection-change', this.#onChange);
    }
    return client;
  }

  hostConnected(): void {
    this.#watch();
  }

  hostDisconnected(): void {
    this.#watched?.removeEventListener('connection-change', this.#onChange);
    this.#watched = null;
    clearInterval(this.#tick);
  }

  #retry(c: Connection): void {
    if (c.state === 'retrying') this.#watched?.retryNow();
    else this.#onReload();
  }

  render() {
    const client = this.#watch();
    const c = client.connection;
    if (c.state === 'online') return nothing;
    const text =
      c.state === 'retrying'
        ? `Can't reach the server — retrying in ${Math.max(1, Math.ceil((c.retryAt - Date.now()) / 1000))} s.`
        : "Can't reach the server. Check your connection.";
    return html`<div class="connection" part="connection" role="status" data-connection=${c.state}>
      <span>${text}</span>
      <button type="button" data-action="retry-now" @click=${() => this.#retry(c)}>Retry now</button>
    </div>`;
  }
}
