/**
 * The Place accounts area: one account by the form, or many from a spreadsheet (`place`); a
 * spreadsheet's run at `place/batches/<id>`, so its progress survives a reload; and "My placements"
 * at `place/mine`, every spreadsheet and account placed, with the agency's decisions.
 */
import { html } from 'lit';
import type { Area, AreaContext } from '../internal/shell.js';
import '../new-account/new-account.js';
import '../bulk-placement/bulk-placement.js';
import '../my-placements/my-placements.js';

const view = (ctx: AreaContext) => {
  const [, sub = '', id = ''] = ctx.route.segments;
  return sub === 'mine' ? { mine: true, batchId: '' } : { mine: false, batchId: sub === 'batches' ? id : '' };
};

export const area: Area = {
  title: (ctx) => {
    const v = view(ctx);
    return v.mine ? 'My placements' : v.batchId ? 'Spreadsheet placement' : 'Place accounts';
  },
  render(ctx) {
    const { mine, batchId } = view(ctx);
    const link = (path: string, label: string, current: boolean) =>
      html`<a href=${ctx.href(path)} data-route=${path} aria-current=${current ? 'page' : 'false'}>${label}</a>`;
    return html`
      <nav class="subnav" aria-label="Placements">
        ${link('place', 'Place accounts', !mine && !batchId)} ${link('place/mine', 'My placements', mine)}
      </nav>
      ${mine
        ? html`<ck-my-placements
            @ck-account-select=${(e: CustomEvent<{ accountId: string }>) => ctx.go(`accounts/${e.detail.accountId}`)}
            @ck-batch-select=${(e: CustomEvent<{ batchId: string }>) => ctx.go(`place/batches/${e.detail.batchId}`)}
          ></ck-my-placements>`
        : html`
            <section aria-labelledby="place-one" ?hidden=${Boolean(batchId)}>
              <h2 id="place-one">One account</h2><ck-new-account placements-href=${ctx.href('place/mine')}></ck-new-account>
            </section>
            <section aria-labelledby="place-many">
              <h2 id="place-many">${batchId ? 'Spreadsheet' : 'Many accounts from a spreadsheet'}</h2>
              <ck-bulk-placement
                batch-id=${batchId}
                @ck-batch-change=${(e: CustomEvent<{ batchId: string }>) => {
                  const path = e.detail.batchId ? `place/batches/${e.detail.batchId}` : 'place';
                  if (path !== ctx.route.path) ctx.go(path, { quiet: true });
                }}
              ></ck-bulk-placement>
              ${batchId ? html`<p><a href=${ctx.href('place/mine')} data-route="place/mine">All my placements</a></p>` : ''}
            </section>
          `}
    `;
  },
};
