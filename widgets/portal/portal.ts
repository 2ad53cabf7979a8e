import { html, css, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { CkElement } from '../internal/ck-element.js';
import { apiClientContext, sessionContext } from '../internal/context.js';
import { clientFor, defaultApiBase, type ApiClient, type User } from '../internal/api-client.js';

/** Detail of `ck-session-change`. */
export interface SessionChangeDetail {
  /** the signed-in user, or null after sign-out or when the session ended */
  user: User | null;
}

/**
 * The provider every other CollectKit element looks for: it creates the API client for its `api`
 * base URL and gives it, with the signed-in user, to the elements inside it. A session kept in
 * this tab's sessionStorage is resumed on connect, so a page reload stays signed in.
 *
 * @summary Connects the CollectKit elements inside it to one portal API and one session.
 * @tag ck-portal
 *
 * @slot - The CollectKit elements (and any other content) of the page.
 *
 * @fires {CustomEvent<SessionChangeDetail>} ck-session-change - Someone signed in or out, the
 *   session was resumed or ended, or the user's profile changed.
 */
export class CkPortal extends CkElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** Base URL of the portal API, e.g. `https://portal.agency.example`; defaults to the script tag's `data-api`, else this page's origin. */
  @property({ reflect: true }) api = '';

  #clientProvider = new ContextProvider(this, { context: apiClientContext });
  #sessionProvider = new ContextProvider(this, { context: sessionContext, initialValue: null });
  #client: ApiClient | null = null;

  /** The API client shared by the elements inside this portal. */
  get client(): ApiClient {
    return this.#connectClient();
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.#client?.user ?? null;
  }

  /** Resolves when a stored session has been resumed (or found missing or ended); to the user or null. */
  restore(): Promise<User | null> {
    return this.client.restore();
  }

  #onSessionChange = () => {
    const user = this.#client?.user ?? null;
    this.#sessionProvider.setValue(user);
    this.emit<SessionChangeDetail>('ck-session-change', { user });
  };

  #connectClient(): ApiClient {
    const client = clientFor(this.api || defaultApiBase());
    if (client === this.#client) return client;
    this.#client?.removeEventListener('session-change', this.#onSessionChange);
    this.#client = client;
    client.addEventListener('session-change', this.#onSessionChange);
    this.#clientProvider.setValue(client);
    this.#sessionProvider.setValue(client.user);
    if (!client.user && client.hasStoredSession) void client.restore();
    return client;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Provide before the children connect and ask for the client.
    this.#connectClient();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#client?.removeEventListener('session-change', this.#onSessionChange);
    this.#client = null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.isConnected) this.#connectClient();
  }

  override render() {
    return html`<slot></slot>`;
  }
}

CkPortal.define('ck-portal');

declare global {
  interface HTMLElementTagNameMap {
    'ck-portal': CkPortal;
  }
  interface GlobalEventHandlersEventMap {
    'ck-session-change': CustomEvent<SessionChangeDetail>;
  }
}
