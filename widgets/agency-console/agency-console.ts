import { css } from 'lit';
import { CkShell, type AreaEntry } from '../internal/shell.js';
import type { User } from '../internal/api-client.js';

/**
 * The agency staff's console in one element: sign-in, then a menu bar of Inbox (tasks beside the
 * account), Placement review (accept / reject, one or a batch), Payment links, Offers (and pay
 * settings), Plans, Users, Audit trail, Reports, report Schedules (with "Run now") and Integrations
 * (API keys, webhooks and their delivery log), each shown only to staff whose role allows it, plus the user menu (Edit my info,
 * Change password, Two-step sign-in, Sign out). Routes are real URLs (`#/placements` by default,
 * paths below `base` with `routing="history"`); each area is loaded on first use.
 *
 * @summary A complete agency console: inbox, placement review, payment links, users, audit trail.
 * @tag ck-agency-console
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
export class CkAgencyConsole extends CkShell {
  static override styles = [
    ...CkShell.styles,
    css`
      .two-col {
        display: grid;
        gap: var(--ck-space-4, 1rem);
      }
      @media (min-width: 1100px) {
        .two-col {
          grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
          align-items: start;
        }
      }
    `,
  ];

  protected readonly brand = 'Agency console';
  protected readonly signInTitle = 'Agency staff sign-in';
  protected readonly signInIntro = 'Client notes, messages, disputes and new placements arrive here as they happen.';

  protected readonly areas: AreaEntry[] = [
    { path: 'inbox', label: 'Inbox', permission: 'agency.inbox', load: () => import('./inbox-area.js') },
    { path: 'placements', label: 'Placement review', permission: 'agency.review', load: () => import('./placements-area.js') },
    { path: 'payment-links', label: 'Payment links', permission: 'payments.links', load: () => import('./links-area.js') },
    { path: 'offers', label: 'Offers', permission: 'payments.offers', load: () => import('./offers-area.js') },
    { path: 'plans', label: 'Plans', permission: 'payments.offers', load: () => import('./plans-area.js') },
    { path: 'users', label: 'Users', permission: 'users.manage', load: () => import('./users-area.js') },
    { path: 'audit', label: 'Audit trail', permission: 'audit.read', load: () => import('./audit-area.js') },
    { path: 'reports', label: 'Reports', permission: 'reports.run', load: () => import('./reports-area.js') },
    { path: 'report-schedules', label: 'Schedules', permission: 'reports.run', load: () => import('./schedules-area.js') },
    { path: 'integrations', label: 'Integrations', permission: 'integration.manage', load: () => import('./integrations-area.js') },
    { path: 'me', label: 'My settings', hidden: true, load: () => import('../internal/me-area.js') },
  ];

  protected allowed(user: User): boolean {
    return user.kind === 'agency';
  }
}

CkAgencyConsole.define('ck-agency-console');

declare global {
  interface HTMLElementTagNameMap {
    'ck-agency-console': CkAgencyConsole;
  }
}
