/** The Messages area: threads with unread messages; opening one shows its account's Messages tab. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import './unread-messages.js';

export const area: Area = {
  title: () => 'Messages',
  render: (ctx) => html`<ck-unread-messages
    @ck-account-select=${(e: CustomEvent<{ accountId: string }>) => ctx.go(`accounts/${e.detail.accountId}?tab=messages`)}
  ></ck-unread-messages>`,
};
