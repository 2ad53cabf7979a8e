/**
 * The Accounts area: the search grid, and one account's pane at `accounts/<id>` (a deep link; the
 * back button returns to the results, which stay as they were because the search element is kept).
 */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../account-search/account-search.js';
import '../account-pane/account-pane.js';

const TABS = new Set(['activity', 'parties', 'payments', 'messages', 'attachments']);

export const area: Area = {
  title: (ctx) => (ctx.route.segments[1] ? 'Account' : 'Accounts'),
  render(ctx) {
    const accountId = ctx.route.segments[1] ?? '';
    const tab = ctx.route.query.get('tab') ?? '';
    return html`
      <div ?hidden=${!accountId}>
        <p><a href=${ctx.href('accounts')} data-route="accounts" data-action="back-to-results">← All accounts</a></p>
        <ck-account-pane account-id=${accountId} active-tab=${TABS.has(tab) ? tab : 'activity'}></ck-account-pane>
      </div>
      <ck-account-search
        ?hidden=${Boolean(accountId)}
        selected-id=${accountId}
        @ck-account-select=${(e: CustomEvent<{ accountId: string }>) => ctx.go(`accounts/${e.detail.accountId}`)}
      ></ck-account-search>
    `;
  },
};
