/**
 * What `ck-portal` provides to the elements inside it (@lit/context), and the controller through
 * which an element reaches the API: the nearest portal's client and session, or — for an element
 * placed on a page without a portal — the shared client of its own `api` attribute (else the
 * script tag's `data-api`, else the page origin).
 */
import { ContextConsumer, createContext } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clientFor, defaultApiBase, type ApiClient, type User } from './api-client.js';

/** The API client of the nearest `ck-portal`. */
export const apiClientContext = createContext<ApiClient>(Symbol.for('collectkit.api-client'));

/** The signed-in user of the nearest `ck-portal` (null when signed out). */
export const sessionContext = createContext<User | null>(Symbol.for('collectkit.session'));

type Host = ReactiveControllerHost & HTMLElement & { api?: string };

export class PortalConnection implements ReactiveController {
  readonly #host: Host;
  readonly #clientConsumer: ContextConsumer<typeof apiClientContext, Host>;
  readonly #sessionConsumer: ContextConsumer<typeof sessionContext, Host>;
  #fallback: ApiClient | null = null;
  readonly #onSession = () => this.#host.requestUpdate();

  constructor(host: Host) {
    this.#host = host;
    // Consumers are added before this controller, so their requests run first on connect.
    this.#clientConsumer = new ContextConsumer(host, { context: apiClientContext, subscribe: true, callback: () => host.requestUpdate() });
    this.#sessionConsumer = new ContextConsumer(host, { context: sessionContext, subscribe: true, callback: () => host.requestUpdate() });
    host.addController(this);
  }

  /** The client to use: the portal's, else the shared client of `api` / `data-api` / the page origin. */
  get client(): ApiClient {
    if (this.#clientConsumer.value) return this.#clientConsumer.value;
    const client = clientFor(this.#host.api || defaultApiBase());
    if (client !== this.#fallback) {
      this.#fallback?.removeEventListener('session-change', this.#onSession);
      this.#fallback = client;
      if (this.#host.isConnected) client.addEventListener('session-change', this.#onSession);
    }
    return client;
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    if (this.#clientConsumer.value) return this.#sessionConsumer.value ?? null;
    return this.client.user;
  }

  hostConnected(): void {
    if (!this.#clientConsumer.value) {
      const client = this.client;
      client.addEventListener('session-change', this.#onSession);
      if (!client.user && client.hasStoredSession) void client.restore();
    }
  }

  hostDisconnected(): void {
    this.#fallback?.removeEventListener('session-change', this.#onSession);
  }
}
