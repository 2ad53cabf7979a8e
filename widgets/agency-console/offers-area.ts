/** Offers and pay settings: settlement and plan offers per account, and the debtor-payment settings. */
import { html, nothing } from 'lit';
import type { Area } from '../internal/shell.js';
import './offer-manager.js';
import './pay-settings.js';

export const area: Area = {
  title: () => 'Offers and pay settings',
  render: (ctx) => html`
    <ck-offer-manager account-id=${ctx.route.query.get('account') ?? ''}></ck-offer-manager>
    ${ctx.user.permissions.includes('agency.settings') ? html`<ck-pay-settings></ck-pay-settings>` : nothing}
  `,
};
