/**
 * What `ck-client-portal` and `ck-agency-console` share: a whole portal in one element.
 *
 * Signed out it shows `ck-login` (which also leads a first-login user through onboarding). Signed in
 * it shows a menu bar of areas, a user menu (edit my info, change password, two-step sign-in, sign
 * out) and the current area under its heading. Each area is its own module, imported the first time
 * its route is visited (rollup makes it a chunk), so the signed-out first paint loads only the shell
 * and the sign-in form. After sign-in and after each navigation focus moves to the view's heading,
 * so a screen reader user hears where they are. The route lives in the URL (internal/router.ts).
 *
 * Everything inside is wrapped in a `ck-portal` for the same API client as the shell's, so the
 * elements of the areas share one session with the shell (and with a `ck-portal` around it).
 */
import { html, css, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CkElement } from './ck-element.js';
import { PortalConnection } from './context.js';
import { toProblem, type User } from './api-client.js';
import { RouteController, type Route, type RoutingMode } from './router.js';
import { ConnectionStatus } from './connection-status.js';
import { keyed } from 'lit/directives/keyed.js';
import { baseStyles, formStyles } from './styles.js';
import '../login/login.js';
import '../portal/portal.js';

/** What an area module gets to render itself with. */
export interface AreaContext {
  route: Route;
  user: User;
  /** route path → link URL */
  href(path: string): string;
  /** `quiet`: the URL follows what the view already shows; focus stays where it is */
  go(path: string, options?: { replace?: boolean; quiet?: boolean }): void;
}

/** An area module's export: its heading and its content. */
export interface Area {
  title(ctx: AreaContext): string;
  render(ctx: AreaContext): TemplateResult;
}

export interface AreaEntry {
  /** first route segment, e.g. `accounts` */
  path: string;
  /** menu label */
  label: string;
  /** shown only to users with this permission */
  permission?: string;
  /** not in the menu bar (the user menu's pages) */
  hidden?: boolean;
  load: () => Promise<{ area: Area }>;
}

export const USER_MENU: { path: string; label: string }[] = [
  { path: 'me/profile', label: 'Edit my info' },
  { path: 'me/password', label: 'Change password' },
  { path: 'me/two-step', label: 'Two-step sign-in' },
];

export const shellStyles = css`
  :host {
    display: block;
    min-height: 20rem;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem) var(--ck-space-4, 1rem);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    background: var(--ck-shell-bar-background, var(--ck-color-surface, #ffffff));
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: var(--ck-radius, 6px);
    margin-bottom: var(--ck-space-4, 1rem);
    position: relative;
  }
  .brand {
    font-weight: 700;
  }
  /* On a wide screen a long menu wraps inside its own space, the user menu staying on the first row. */
  @media (min-width: 721px) {
    nav {
      flex: 1 1 0;
      min-width: 0;
    }
  }
  /* On a narrow screen the brand and the user menu share the first row, the areas wrap below. */
  @media (max-width: 720px) {
    nav {
      order: 3;
      flex-basis: 100%;
    }
    nav a {
      padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem);
    }
  }
  nav ul {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--ck-space-1, 0.25rem);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  nav a {
    display: inline-flex;
    align-items: center;
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    border-radius: var(--ck-radius, 6px);
    color: var(--ck-color-text, #1f2328);
    text-decoration: none;
    min-height: 2.5rem;
  }
  nav a:hover {
    background: var(--ck-color-surface-muted, #f6f8fa);
  }
  nav a[aria-current='page'] {
    background: var(--ck-color-primary, #1d4ed8);
    color: var(--ck-color-on-primary, #ffffff);
  }
  .user {
    margin-left: auto;
    position: relative;
  }
  .user-menu {
    position: absolute;
    right: 0;
    top: calc(100% + 4px);
    z-index: 10;
    min-width: 14rem;
    max-width: calc(100vw - 2rem);
    margin: 0;
    padding: var(--ck-space-1, 0.25rem);
    list-style: none;
    background: var(--ck-color-surface, #ffffff);
    border: 1px solid var(--ck-color-border, #8c959f);
    border-radius: var(--ck-radius, 6px);
    box-shadow: 0 4px 12px rgb(0 0 0 / 0.15);
  }
  .user-menu a,
  .user-menu button {
    display: block;
    width: 100%;
    text-align: left;
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    border: 0;
    border-radius: var(--ck-radius, 6px);
    background: none;
    color: inherit;
    text-decoration: none;
    font: inherit;
    min-height: 2.5rem;
  }
  .user-menu a:hover,
  .user-menu button:hover {
    background: var(--ck-color-surface-muted, #f6f8fa);
  }
  h1 {
    font-size: var(--ck-font-size-h1, 1.5rem);
    margin: 0 0 var(--ck-space-3, 0.75rem);
  }
  h1:focus {
    outline: none;
  }
  h1:focus-visible {
    outline: 2px solid var(--ck-color-focus, #1d4ed8);
  }
  .connection {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    padding: var(--ck-space-2, 0.5rem) var(--ck-space-3, 0.75rem);
    margin-bottom: var(--ck-space-3, 0.75rem);
    border: 1px solid var(--ck-color-warning, #b45309);
    border-radius: var(--ck-radius, 6px);
    background: var(--ck-color-warning-bg, #fff4d6);
    color: var(--ck-color-warning-text, #7a3b00);
  }
  .signin {
    max-width: 32rem;
    margin: 0 auto;
  }
  .area {
    display: block;
  }
  /* an area's own links (Place accounts | My placements) */
  .subnav {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ck-space-2, 0.5rem);
    margin-bottom: var(--ck-space-3, 0.75rem);
  }
  .subnav a {
    padding: var(--ck-space-1, 0.25rem) var(--ck-space-3, 0.75rem);
    border: 1px solid var(--ck-color-border-subtle, #d0d7de);
    border-radius: 999px;
    color: var(--ck-color-text, #1f2328);
    text-decoration: none;
    min-height: 2.25rem;
    display: inline-flex;
    align-items: center;
  }
  .subnav a[aria-current='page'] {
    border-color: var(--ck-color-primary, #1d4ed8);
    box-shadow: inset 0 0 0 1px var(--ck-color-primary, #1d4ed8);
    font-weight: 600;
  }
`;

/** Base of the composite elements; subclasses list their areas and sign-in texts. */
export abstract class CkShell extends CkElement {
  static override styles = [baseStyles, formStyles, shellStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** `hash` (default: `#/accounts`) or `history` (real paths below `base`; the server must serve the page for them). */
  @property({ reflect: true }) routing: RoutingMode = 'hash';

  /** Path prefix of `history` routing, e.g. `/portal/`. */
  @property() base = '/';

  @state() private menuOpen = false;
  @state() private loadError = '';

  protected portal = new PortalConnection(this);
  protected router = new RouteController(this, { mode: () => this.routing, base: () => this.base });
  /** bumped by "Retry now" after the retries were used up: the area's elements are made anew and load again */
  @state() private generation = 0;
  #connection = new ConnectionStatus(this, () => this.portal.client, () => this.generation++);
  #areas = new Map<string, Area>();
  #focusPending = false;
  #wasSignedIn = false;

  /** the areas, first one is the default route */
  protected abstract readonly areas: AreaEntry[];
  /** brand text in the menu bar */
  protected abstract readonly brand: string;
  protected abstract readonly signInTitle: string;
  protected abstract readonly signInIntro: string;
  /** who may use this element (others are told so after sign-in) */
  protected abstract allowed(user: User): boolean;

  constructor() {
    super();
    this.router.onChange = (_route, quiet) => {
      this.menuOpen = false;
      if (!quiet) this.#focusPending = true;
    };
  }

  /** The signed-in user who finished onboarding, or null. */
  get user(): User | null {
    const user = this.portal.user;
    return user && !user.onboarding.required ? user : null;
  }

  /** Goes to a route path, e.g. `accounts/acct_123`. */
  navigate(path: string, options?: { replace?: boolean }): void {
    this.router.go(path, options);
  }

  /**
   * Signs out and shows the sign-in form at the portal's home: the next person to sign in on this
   * screen does not land on the last user's page (a deep link opened while signed out still works).
   */
  async signOut(): Promise<void> {
    this.menuOpen = false;
    await this.portal.client.logout();
    this.router.go('', { replace: true });
    this.#focusPending = true;
  }

  #visible(user: User): AreaEntry[] {
    return this.areas.filter((a) => !a.permission || user.permissions.includes(a.permission));
  }

  #entryFor(user: User): AreaEntry {
    const visible = this.#visible(user);
    const first = this.router.route.segments[0] ?? '';
    const path = first === 'me' ? 'me' : first;
    return visible.find((a) => a.path === path) ?? visible[0]!;
  }

  #load(entry: AreaEntry): void {
    if (this.#areas.has(entry.path)) return;
    this.loadError = '';
    entry.load().then(
      (m) => {
        this.#areas.set(entry.path, m.area);
        this.requestUpdate();
      },
      (error: unknown) => {
        console.warn(`CollectKit could not load the ${entry.label} area:`, error);
        this.loadError = `${entry.label} could not be loaded. Check your connection and try again.`;
      },
    );
  }

  #context(user: User): AreaContext {
    return { route: this.router.route, user, href: (p) => this.router.href(p), go: (p, o) => this.router.go(p, o) };
  }

  #onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && this.menuOpen) {
      this.menuOpen = false;
      this.renderRoot.querySelector<HTMLButtonElement>('#user-button')?.focus();
    }
  };

  #onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    const user = this.renderRoot.querySelector('.user');
    if (this.menuOpen && next && user && !user.contains(next)) this.menuOpen = false;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.#onKeydown);
    this.addEventListener('click', this.router.onLinkClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKeydown);
    this.removeEventListener('click', this.router.onLinkClick);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const signedIn = Boolean(this.user);
    // Sign-in or sign-out: the new view's heading takes focus.
    if (signedIn !== this.#wasSignedIn) {
      if (this.hasUpdated) this.#focusPending = true;
      this.#wasSignedIn = signedIn;
    }
    const user = this.user;
    if (user && this.allowed(user)) this.#load(this.#entryFor(user));
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.#focusPending) return;
    const heading = this.renderRoot.querySelector<HTMLElement>('h1[data-view]');
    if (heading && heading.dataset.view !== 'loading') {
      this.#focusPending = false;
      heading.focus();
    }
  }

  #renderSignIn() {
    return html`
      <section class="signin" part="signin" aria-labelledby="view-title">
        <h1 id="view-title" tabindex="-1" data-view="signin">${this.signInTitle}</h1>
        <p class="hint">${this.signInIntro}</p>
        <ck-login part="login"></ck-login>
      </section>
    `;
  }

  #renderBar(user: User, current: AreaEntry) {
    return html`
      <div class="bar" part="bar">
        <span class="brand">${this.brand}</span>
        <nav aria-label=${this.brand} part="menu">
          <ul>
            ${this.#visible(user)
              .filter((a) => !a.hidden)
              .map(
                (a) => html`<li><a part="menu-item" href=${this.router.href(a.path)} data-route=${a.path} aria-current=${a === current ? 'page' : nothing}>${a.label}</a></li>`,
              )}
          </ul>
        </nav>
        <div class="user" @focusout=${this.#onFocusOut}>
          <button id="user-button" type="button" part="user-button" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="user-menu" @click=${() => (this.menuOpen = !this.menuOpen)}>
            ${user.firstName} ${user.lastName} <span aria-hidden="true">▾</span>
          </button>
          <ul id="user-menu" class="user-menu" part="user-menu" ?hidden=${!this.menuOpen} aria-label="Your account">
            ${USER_MENU.map((m) => html`<li><a href=${this.router.href(m.path)} data-route=${m.path}>${m.label}</a></li>`)}
            <li><button type="button" data-action="sign-out" @click=${() => void this.signOut()}>Sign out</button></li>
          </ul>
        </div>
      </div>
    `;
  }

  #renderArea(user: User, entry: AreaEntry) {
    if (!this.allowed(user)) {
      return html`<h1 id="view-title" tabindex="-1" data-view="denied">Not available</h1>
        <p class="hint">Your sign-in (${user.username}) cannot use this portal. <button type="button" @click=${() => void this.signOut()}>Sign out</button></p>`;
    }
    const area = this.#areas.get(entry.path);
    if (!area) {
      return this.loadError
        ? html`<h1 id="view-title" tabindex="-1" data-view="error">${entry.label}</h1>
            <p class="alert" role="alert">${this.loadError}</p>
            <button type="button" data-action="retry" @click=${() => this.#load(entry)}>Try again</button>`
        : html`<h1 id="view-title" tabindex="-1" data-view="loading">${entry.label}</h1><p class="hint" role="status">Loading…</p>`;
    }
    const ctx = this.#context(user);
    return html`
      <h1 id="view-title" tabindex="-1" data-view=${entry.path}>${area.title(ctx)}</h1>
      <div class="area" part="area">${keyed(this.generation, area.render(ctx))}</div>
    `;
  }

  override render() {
    const user = this.user;
    let body;
    try {
      if (!user) body = this.#renderSignIn();
      else {
        const entry = this.#entryFor(user);
        body = html`${this.#renderBar(user, entry)}<div class="view" part="view">${this.#renderArea(user, entry)}</div>`;
      }
    } catch (error) {
      body = html`<p class="alert" role="alert">${toProblem(error).detail}</p>`;
    }
    return html`<ck-portal api=${this.portal.client.base}>${this.#connection.render()}${body}</ck-portal>`;
  }
}
