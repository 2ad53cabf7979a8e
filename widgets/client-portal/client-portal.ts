import { CkShell, type AreaEntry } from '../internal/shell.js';
import type { User } from '../internal/api-client.js';

/**
 * A whole client portal in one element: sign-in (with first-login onboarding), then a menu bar of
 * Accounts, Messages, Reports, Collaboration Center and Place accounts, and a user menu (Edit my
 * info, Change password, Two-step sign-in, Sign out). Each area has a real URL — `#/accounts/acct_…`
 * by default, or paths below `base` with `routing="history"` — so deep links and the back button
 * work. Each area's code is loaded the first time it is opened; signed out, only the sign-in form
 * is loaded. The single elements (`ck-account-search`, `ck-report-viewer` …) keep working alone.
 *
 * @summary A complete client portal: menu, routes, every client area.
 * @tag ck-client-portal
 *
 * @csspart bar - The menu bar.
 * @csspart menu - The navigation of the areas.
 * @csspart menu-item - A link in the menu bar (`aria-current="page"` on the current one).
 * @csspart user-button - The button opening the user menu.
 * @csspart user-menu - The user menu.
 * @csspart view - The current area under its heading.
 * @csspart signin - The signed-out view.
 *
 * @cssprop --ck-color-primary - Background of the current menu item.
 * @cssprop --ck-shell-bar-background - Background of the menu bar.
 */
export class CkClientPortal extends CkShell {
  protected readonly brand = 'Client portal';
  protected readonly signInTitle = 'Sign in to your client portal';
  protected readonly signInIntro = 'Check the status of the accounts you have placed with us, 24 hours a day.';

  protected readonly areas: AreaEntry[] = [
    { path: 'accounts', label: 'Accounts', permission: 'accounts.read', load: () => import('./accounts-area.js') },
    { path: 'messages', label: 'Messages', permission: 'accounts.read', load: () => import('./messages-area.js') },
    { path: 'reports', label: 'Reports', permission: 'reports.run', load: () => import('./reports-area.js') },
    { path: 'collab', label: 'Collaboration Center', permission: 'collab.use', load: () => import('./collab-area.js') },
    { path: 'place', label: 'Place accounts', permission: 'accounts.place', load: () => import('./place-area.js') },
    { path: 'me', label: 'My settings', hidden: true, load: () => import('../internal/me-area.js') },
  ];

  protected allowed(user: User): boolean {
    return user.permissions.includes('accounts.read');
  }
}

CkClientPortal.define('ck-client-portal');

declare global {
  interface HTMLElementTagNameMap {
    'ck-client-portal': CkClientPortal;
  }
}
