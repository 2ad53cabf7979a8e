/** The payment links area (`payment-links?account=acct_…` prefills the account). */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import './payment-link.js';

export const area: Area = {
  title: () => 'Payment links',
  render: (ctx) => html`<ck-payment-link account-id=${ctx.route.query.get('account') ?? ''}></ck-payment-link>`,
};
