import { html, css, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { CkElement } from '../internal/ck-element.js';
import { apiClientContext, sessionContext } from '../internal/context.js';
import { clientFor, defaultApiBase, toProblem, type ApiClient, type Problem, type User } from '../internal/api-client.js';

/** Detail of `ck-session-change`. */
export interface SessionChangeDetail {
  /** the signed-in user, or null after sign-out or when the session ended */
  user: User | null;
}

/** Detail of `ck-sso-error`. */
export interface SsoErrorDetail {
  problem: Problem;
}

/**
 * The provider every other CollectKit element looks for: it creates the API client for its `api`
 * base URL and gives it, with the signed-in user, to the elements inside it. A session kept in
 * this tab's sessionStorage is resumed on connect, so a page reload stays signed in.
 *
 * SSO for intranets: the client's backend signs a short-lived token for its signed-in user and puts
 * it in `sso-token` (or calls `signInWithToken()`); the portal exchanges it once for a session, so
 * the user never types a portal password.
 *
 * @summary Connects the CollectKit elements inside it to one portal API and one session.
 * @tag ck-portal
 *
 * @slot - The CollectKit elements (and any other content) of the page.
 *
 * @fires {CustomEvent<SessionChangeDetail>} ck-session-change - Someone signed in or out, the
 *   session was resumed or ended, or the user's profile changed.
 * @fires {CustomEvent<SsoErrorDetail>} ck-sso-error - The SSO token was refused (expired, used, wrong key…).
 */
export class CkPortal extends CkElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** Base URL of the portal API, e.g. `https://portal.agency.example`; defaults to the script tag's `data-api`, else this page's origin. */
  @property({ reflect: true }) api = '';

  /** A single-use SSO token from the client's intranet backend; exchanged for a session, then cleared. */
  @property({ attribute: 'sso-token' }) ssoToken = '';

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

  /** Exchanges an SSO token signed by the client's backend for a session; resolves to the user. */
  signInWithToken(token: string): Promise<User> {
    return this.client.exchangeEmbedToken(token);
  }

  #exchangeAttributeToken(): void {
    const token = this.ssoToken;
    // Single use: clear it at once so a re-render or reconnect never sends it again.
    this.ssoToken = '';
    this.removeAttribute('sso-token');
    this.signInWithToken(token).catch((error: unknown) => {
      this.emit<SsoErrorDetail>('ck-sso-error', { problem: toProblem(error) });
    });
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
    if (changed.has('ssoToken') && this.ssoToken && this.isConnected) this.#exchangeAttributeToken();
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
