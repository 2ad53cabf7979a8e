/**
 * Client-side routes for the composite elements (`ck-client-portal`, `ck-agency-console`): real
 * URLs, so a route can be bookmarked, shared and reached with the back button.
 *
 * - `hash` (the default) keeps the route in the fragment, `#/accounts/acct_…`: it works on any host
 *   page without server configuration. Fragments that are not routes (`#reset-password=…`, an
 *   in-page anchor) are left alone and read as the default route.
 * - `history` uses real paths below `base` (`/portal/accounts/acct_…`): the host page's server must
 *   answer every path below `base` with the same page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type RoutingMode = 'hash' | 'history';

export interface RouteOptions {
  mode: () => RoutingMode;
  /** path prefix of history routing, e.g. `/portal/` */
  base: () => string;
}

/** A route path without leading or trailing slashes (`accounts/acct_1`), and its query. */
export interface Route {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

const trim = (s: string) => s.replace(/^\/+|\/+$/g, '');

export class RouteController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: RouteOptions;
  #route: Route = { path: '', segments: [], query: new URLSearchParams() };
  /** called after the route changed by navigation (not on first read); `quiet` for `go(…, { quiet })` */
  onChange: ((route: Route, quiet: boolean) => void) | null = null;
  /** the next change comes from a quiet `go` */
  #quiet = false;

  constructor(host: ReactiveControllerHost, options: RouteOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get route(): Route {
    return this.#route;
  }

  #base(): string {
    const base = this.#options.base() || '/';
    return `/${trim(base)}${trim(base) ? '/' : ''}`;
  }

  /** The URL of a route path, for `href` (so links open in a new tab too). */
  href(path: string): string {
    const clean = trim(path);
    return this.#options.mode() === 'history' ? `${this.#base()}${clean}` : `#/${clean}`;
  }

  #read(): Route {
    let raw = '';
    if (this.#options.mode() === 'history') {
      const base = this.#base();
      raw = location.pathname.startsWith(base) ? location.pathname.slice(base.length) + location.search : '';
    } else if (location.hash.startsWith('#/')) {
      raw = location.hash.slice(2);
    }
    const [path = '', search = ''] = raw.split('?');
    const clean = trim(decodeURI(path));
    return { path: clean, segments: clean ? clean.split('/') : [], query: new URLSearchParams(search) };
  }

  /**
   * Goes to `path` (a new history entry unless `replace`). `quiet`: the URL follows what the view
   * already shows (a run that started, a page size): the host is told so and keeps focus where it is.
   */
  go(path: string, { replace = false, quiet = false } = {}): void {
    const url = this.href(path);
    this.#quiet = quiet;
    if (this.#options.mode() === 'history') {
      if (replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    } else if (replace) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}${url}`);
    } else {
      location.hash = url.slice(1);
      return; // hashchange follows
    }
    this.#update();
  }

  /** Makes a plain left click on one of our route links navigate without a reload (history mode). */
  readonly onLinkClick = (event: MouseEvent): void => {
    if (this.#options.mode() !== 'history' || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    const route = link?.dataset.route;
    if (route === undefined) return;
    event.preventDefault();
    this.go(route);
  };

  #update = () => {
    const next = this.#read();
    const changed = next.path !== this.#route.path || next.query.toString() !== this.#route.query.toString();
    this.#route = next;
    const quiet = this.#quiet;
    this.#quiet = false;
    if (changed) {
      this.#host.requestUpdate();
      this.onChange?.(next, quiet);
    }
  };

  hostConnected(): void {
    this.#route = this.#read();
    window.addEventListener('hashchange', this.#update);
    window.addEventListener('popstate', this.#update);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.#update);
    window.removeEventListener('popstate', this.#update);
  }
}
