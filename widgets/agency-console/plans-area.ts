/** The payment plans area (`plans?account=acct_…` shows one account's plans). */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import './plan-list.js';

export const area: Area = {
  title: () => 'Payment plans',
  render: (ctx) => html`<ck-plan-list account-id=${ctx.route.query.get('account') ?? ''}></ck-plan-list>`,
};
