/**
 * The Accounts area: the search grid, and one account's pane at `accounts/<id>` (a deep link; the
 * back button returns to the results, which stay as they were because the search element is kept).
 * A page size other than 10 is kept in the URL (`accounts?size=25`), across the account pages too.
 */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../account-search/account-search.js';
import '../account-pane/account-pane.js';

const TABS = new Set(['activity', 'parties', 'payments', 'messages', 'attachments']);
const SIZES = new Set([10, 25, 50, 100]);

export const area: Area = {
  title: (ctx) => (ctx.route.segments[1] ? 'Account' : 'Accounts'),
  render(ctx) {
    const accountId = ctx.route.segments[1] ?? '';
    const tab = ctx.route.query.get('tab') ?? '';
    const asked = Number(ctx.route.query.get('size'));
    const size = SIZES.has(asked) ? asked : 10;
    const keep = size === 10 ? '' : `?size=${size}`;
    return html`
      <div ?hidden=${!accountId}>
        <p><a href=${ctx.href(`accounts${keep}`)} data-route="accounts${keep}" data-action="back-to-results">← All accounts</a></p>
        <ck-account-pane account-id=${accountId} active-tab=${TABS.has(tab) ? tab : 'activity'}></ck-account-pane>
      </div>
      <ck-account-search
        ?hidden=${Boolean(accountId)}
        selected-id=${accountId}
        page-size=${size}
        @ck-account-select=${(e: CustomEvent<{ accountId: string }>) => ctx.go(`accounts/${e.detail.accountId}${keep}`)}
        @ck-page-size-change=${(e: CustomEvent<{ pageSize: number }>) =>
          ctx.go(e.detail.pageSize === 10 ? 'accounts' : `accounts?size=${e.detail.pageSize}`, { replace: true, quiet: true })}
      ></ck-account-search>
    `;
  },
};
