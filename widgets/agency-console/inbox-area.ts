/** The agency Inbox area: tasks beside the pane of the account chosen (`inbox/<accountId>`). */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../inbox/inbox.js';
import '../account-pane/account-pane.js';

export const area: Area = {
  title: () => 'Inbox',
  render(ctx) {
    const accountId = ctx.route.segments[1] ?? '';
    return html`
      <div class="two-col">
        <ck-inbox
          @ck-account-select=${(e: CustomEvent<{ accountId: string }>) => ctx.go(`inbox/${e.detail.accountId}`)}
          @ck-review-request=${() => ctx.go('placements')}
        ></ck-inbox>
        ${accountId
          ? html`<section aria-label="Account"><ck-account-pane account-id=${accountId}></ck-account-pane></section>`
          : html`<p class="hint">Choose a task's account to see it here.</p>`}
      </div>
    `;
  },
};

