/** The Place accounts area: one account by the form, or many from a spreadsheet. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../new-account/new-account.js';
import '../bulk-placement/bulk-placement.js';

export const area: Area = {
  title: () => 'Place accounts',
  render: () => html`
    <section aria-labelledby="place-one"><h2 id="place-one">One account</h2><ck-new-account></ck-new-account></section>
    <section aria-labelledby="place-many"><h2 id="place-many">Many accounts from a spreadsheet</h2><ck-bulk-placement></ck-bulk-placement></section>
  `,
};
