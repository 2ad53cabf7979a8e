/**
 * Issue 19: "My placements" (spreadsheets and single accounts with their review status), a
 * spreadsheet's progress that survives a reload (`batch-id`, `#/place/batches/<id>`), announced
 * politely and brought into view.
 */
import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkBulkPlacement } from '../../widgets/bulk-placement/bulk-placement.js';
import type { CkMyPlacements } from '../../widgets/my-placements/my-placements.js';
import type { CkClientPortal } from '../../widgets/client-portal/client-portal.js';
import { API, DEMO, chooseSpreadsheet, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

const START = location.href;

/** The agency rejects what a test left pending (other tests read the oldest page of the review queue). */
async function clearPending(batchIds: string[]): Promise<void> {
  const agency = await signIn(DEMO.agency);
  for (const batchId of batchIds) {
    const { data } = await agency.get<{ data: { id: string; status: string }[] }>('/placements', { batchId, status: 'pending_review', pageSize: 100 });
    if (data.length) await agency.request('POST', '/agency/placements/review', { body: { placementIds: data.map((p) => p.id), decision: 'reject', reason: 'Test data' } });
  }
}
const placedBatches: string[] = [];

function csv(prefix: string, good: number): string {
  const rows = ['Account Number,First Name,Last Name,Address,City,State,ZIP,Phone,Balance'];
  for (let i = 1; i <= good; i++) rows.push(`${prefix}-${i},Ann,Lee,${i} Elm St,Portland,OR,97205,503-555-01${String(i % 100).padStart(2, '0')},$${i}.50`);
  rows.push(`${prefix}-BAD,Bob,Stone,1 Elm St,Portland,OR,97205,555-0100,$10.00`);
  return rows.join('\n') + '\n';
}

/** Places a spreadsheet with `good` valid rows through the element; resolves to its batch id once done. */
async function placeSheet(el: CkBulkPlacement, prefix: string, good: number): Promise<string> {
  await chooseSpreadsheet(el, csv(prefix, good), `${prefix}.csv`);
  const change = oneEvent(el, 'ck-batch-change');
  shadow(el).querySelector<HTMLButtonElement>('[data-action=place]')!.click();
  const { detail } = await change;
  placedBatches.push(detail.batchId);
  await waitUntil(() => shadow(el).querySelector('[data-field=outcome]'), 'the run to finish', { timeout: 15000 });
  return detail.batchId;
}

describe('bulk placement after a reload, and My placements', () => {
  afterEach(async () => {
    await clearPending(placedBatches.splice(0));
    await signOut();
    history.replaceState(null, '', START);
  });

  it('ck-bulk-placement batch-id: a new element (a reload) shows the batch’s progress and counts; the run’s heading takes focus in view; the live region says how it ended', async () => {
    await signIn(DEMO.client);
    const portal = await fixture(html`<ck-portal api=${API}><ck-bulk-placement poll-interval="150"></ck-bulk-placement></ck-portal>`);
    const el = portal.querySelector('ck-bulk-placement')!;
    const batchId = await placeSheet(el, `RL${Date.now()}`, 3);
    expect(batchId).to.match(/^plb_/);
    // the run's heading was focused (and so brought into view) when it started
    expect(shadow(el).activeElement?.id).to.equal('run-title');
    const live = shadow(el).querySelector('[data-field=announcement]')!;
    expect(live.getAttribute('aria-live')).to.equal('polite');
    await waitUntil(() => live.textContent!.includes('3 accounts placed'), 'the end announced');

    // "reload": a fresh element given only the batch id
    const again = await fixture(html`<ck-portal api=${API}><ck-bulk-placement batch-id=${batchId}></ck-bulk-placement></ck-portal>`);
    const fresh = again.querySelector('ck-bulk-placement')!;
    const outcome = await find(fresh, '[data-field=outcome]');
    expect(outcome.textContent).to.contain('3 accounts placed');
    expect(shadow(fresh).querySelector('[data-count=placed]')!.textContent!.trim()).to.equal('3');
    expect(shadow(fresh).querySelector('[data-count=invalid]')!.textContent!.trim()).to.equal('1');
    expect(shadow(fresh).querySelector('[part~=mapping]')).to.equal(null);
    await expectAccessible(fresh);
  });

  it('ck-my-placements lists spreadsheets and single accounts with status, counts and date; an accepted account opens; a spreadsheet’s accounts unfold', async () => {
    const client = await signIn(DEMO.client);
    const portal = await fixture(html`<ck-portal api=${API}><ck-bulk-placement poll-interval="150"></ck-bulk-placement></ck-portal>`);
    const prefix = `MP${Date.now()}`;
    const batchId = await placeSheet(portal.querySelector('ck-bulk-placement')!, prefix, 2);
    const single = await client.request<{ placement: { id: string } }>('POST', '/placements', {
      body: {
        clientAccountNumber: `${prefix}-ONE`, accountType: 'utility', balance: { principalCents: 5000 },
        responsible: { firstName: 'Uma', lastName: 'Single', address: { address1: '1 Elm St', city: 'Portland', state: 'OR', zip: '97205' } },
      },
    });
    const rows = await client.get<{ data: { id: string }[] }>('/placements', { batchId });
    // the agency accepts one row of the sheet and rejects the single account
    const agency = await signIn(DEMO.agency);
    await agency.request('POST', '/agency/placements/review', { body: { placementIds: [rows.data[0]!.id], decision: 'accept' } });
    await agency.request('POST', '/agency/placements/review', { body: { placementIds: [single.placement.id], decision: 'reject', reason: 'Already paid' } });
    await signIn(DEMO.client);

    const wrap = await fixture(html`<ck-portal api=${API}><ck-my-placements></ck-my-placements></ck-portal>`);
    const el = wrap.querySelector<CkMyPlacements>('ck-my-placements')!;
    const batchRow = await find(el, `tr[data-batch=${batchId}]`, 'the spreadsheet in the list');
    expect(batchRow.textContent).to.contain(`${prefix}.csv`);
    expect(batchRow.querySelector('[part~=status]')!.textContent).to.equal('Pending review');
    expect(batchRow.querySelector('[data-field=counts]')!.textContent).to.match(/2 placed · 1 with errors · 0 duplicates\s+1 accepted · 0 rejected · 1 pending review/);
    const singleRow = await find(el, `tr[data-placement=${single.placement.id}]`);
    expect(singleRow.querySelector('[part~=status]')!.textContent).to.equal('Rejected');
    expect(singleRow.querySelector('[data-field=reason]')!.textContent).to.equal('Reason: Already paid');
    await expectAccessible(el);

    batchRow.querySelector<HTMLButtonElement>('[data-action=accounts]')!.click();
    const accepted = await find<HTMLButtonElement>(el, `#rows-${batchId} button[data-account]`, 'the accepted account of the sheet');
    expect(batchRow.querySelector('[data-action=accounts]')!.getAttribute('aria-expanded')).to.equal('true');
    const select = oneEvent(el, 'ck-account-select');
    accepted.click();
    expect((await select).detail.accountId).to.match(/^acct_/);
    await expectAccessible(el);
  });

  it('client portal: Place accounts links to My placements; a started run puts its batch in the URL; that URL (a reload) shows its progress; "your placements" links there', async () => {
    await signIn(DEMO.client);
    history.replaceState(null, '', `${location.pathname}#/place`);
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    const bulk = await find(el, 'ck-bulk-placement');
    bulk.setAttribute('poll-interval', '150');
    const mine = await find<HTMLAnchorElement>(el, '.subnav a[data-route="place/mine"]');
    expect(mine.getAttribute('href')).to.equal('#/place/mine');
    expect(shadow(el).querySelector<HTMLElement>('ck-new-account')!.getAttribute('placements-href')).to.equal('#/place/mine');

    const batchId = await placeSheet(bulk as CkBulkPlacement, `PR${Date.now()}`, 2);
    await waitUntil(() => location.hash === `#/place/batches/${batchId}`, 'the batch in the URL');
    // focus stayed on the run (the URL followed the view quietly)
    expect(shadow(bulk).activeElement?.id).to.equal('run-title');
    expect(shadow(el).querySelector<HTMLElement>('section[aria-labelledby=place-one]')!.hidden).to.equal(true);

    // a reload at that URL
    el.remove();
    const reloaded = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    await find(reloaded, 'h1[data-view=place]');
    expect(shadow(reloaded).querySelector('h1')!.textContent).to.equal('Spreadsheet placement');
    const fresh = await find(reloaded, 'ck-bulk-placement');
    expect(fresh.getAttribute('batch-id')).to.equal(batchId);
    expect((await find(fresh, '[data-field=outcome]')).textContent).to.contain('2 accounts placed');

    shadow(reloaded).querySelector<HTMLAnchorElement>('.subnav a[data-route="place/mine"]')!.click();
    await waitUntil(() => shadow(reloaded).querySelector('h1')?.textContent === 'My placements', 'My placements');
    const list = await find(reloaded, 'ck-my-placements');
    await find(list, `tr[data-batch=${batchId}]`);
    await expectAccessible(reloaded);
  });
});
