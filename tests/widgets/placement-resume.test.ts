/**
 * An upload left at the mapping step is picked up again: ck-bulk-placement saves the mapping as it
 * is edited and, given the batch id again (a reload, "Continue"), opens the mapping step with it,
 * its heading focused; ck-my-placements offers Continue and Discard (confirmed in a dialog) for a
 * spreadsheet not started.
 */
import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkBulkPlacement } from '../../widgets/bulk-placement/bulk-placement.js';
import type { CkMyPlacements } from '../../widgets/my-placements/my-placements.js';
import { API, DEMO, chooseSpreadsheet, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

/**
 * A "Memo" column no other test's file has: the mapping these tests place with is remembered for the
 * client (the API is shared by every widget test), and a remembered mapping naming a column a file
 * lacks is not offered for that file — so other tests keep their suggested mapping.
 */
function csv(prefix: string, good: number): string {
  const rows = ['Account Number,First Name,Last Name,Address,City,State,ZIP,Phone,Balance,Memo'];
  for (let i = 1; i <= good; i++) rows.push(`${prefix}-${i},Ann,Lee,${i} Elm St,Portland,OR,97205,503-555-01${String(i % 100).padStart(2, '0')},$${i}.50,Widget test`);
  return rows.join('\n') + '\n';
}

/** Uploads through the element; resolves to the batch id the element announced. */
async function uploadSheet(el: CkBulkPlacement, text: string, name: string): Promise<string> {
  const changed = oneEvent(el, 'ck-batch-change');
  await chooseSpreadsheet(el, text, name);
  return (await changed).detail.batchId;
}

const select = (el: Element, field: string) => shadow(el).querySelector<HTMLSelectElement>(`select[data-field=${field}]`)!;

async function mountBulk(batchId = ''): Promise<CkBulkPlacement> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-bulk-placement poll-interval="150" batch-id=${batchId}></ck-bulk-placement></ck-portal>`);
  return portal.querySelector('ck-bulk-placement')!;
}

describe('continuing a spreadsheet left at the mapping step', () => {
  afterEach(signOut);

  it('ck-bulk-placement saves the mapping as it changes; opened again by batch id it is at the mapping step with that mapping, its heading focused, and places', async function () {
    this.timeout(45_000); // an upload, a reload and a whole run on a shared, busy machine
    await signIn(DEMO.client);
    const el = await mountBulk();
    const prefix = `RS${Date.now()}`;
    const batchId = await uploadSheet(el, csv(prefix, 3), `${prefix}.csv`);
    expect(batchId).to.match(/^plb_/);
    expect(select(el, 'phone').value).to.equal('Phone');
    // the person says the Phone column is not to be used, and the Memo column holds comments
    select(el, 'phone').value = '';
    select(el, 'phone').dispatchEvent(new Event('change'));
    select(el, 'comments').value = 'Memo';
    select(el, 'comments').dispatchEvent(new Event('change'));
    await waitUntil(() => shadow(el).querySelector('[data-field=draft][data-state=saved]'), 'the mapping saved');
    expect(shadow(el).querySelector('[data-field=draft]')!.textContent).to.contain('continue it later from My placements');

    // "reload": a fresh element given only the batch id
    const fresh = await mountBulk(batchId);
    await find(fresh, '[part~=mapping]', 'the mapping step again');
    expect(select(fresh, 'phone').value).to.equal('');
    expect(select(fresh, 'comments').value).to.equal('Memo');
    expect(select(fresh, 'clientAccountNumber').value).to.equal('Account Number');
    expect(select(fresh, 'zip').value).to.equal('ZIP');
    expect(shadow(fresh).querySelector('#map-title')!.closest('section')!.textContent).to.contain('The mapping you saved for this file is filled in.');
    await waitUntil(() => shadow(fresh).activeElement?.id === 'map-title', 'the step’s heading focused');
    await expectAccessible(fresh);

    shadow(fresh).querySelector<HTMLButtonElement>('[data-action=place]')!.click();
    await waitUntil(() => shadow(fresh).querySelector('[data-field=outcome]'), 'the run to finish', { timeout: 15000 });
    expect(shadow(fresh).querySelector('[data-count=placed]')!.textContent!.trim()).to.equal('3');
    // placed without the Phone column: the batch's mapping is the one saved
    const client = await signIn(DEMO.client);
    const batch = await client.get<{ mapping: Record<string, string> }>(`/placements/batches/${batchId}`);
    expect(batch.mapping.phone).to.equal(undefined);
    expect(batch.mapping.comments).to.equal('Memo');
    expect(batch.mapping.clientAccountNumber).to.equal('Account Number');
    // tidy up: the agency rejects what was placed
    const agency = await signIn(DEMO.agency);
    const { data } = await agency.get<{ data: { id: string }[] }>('/placements', { batchId, status: 'pending_review' });
    if (data.length) await agency.request('POST', '/agency/placements/review', { body: { placementIds: data.map((p) => p.id), decision: 'reject', reason: 'Test data' } });
  });

  it('ck-my-placements: a spreadsheet not started offers Continue (ck-batch-select) and Discard, which asks first and then deletes it', async function () {
    this.timeout(30_000);
    const client = await signIn(DEMO.client);
    const prefix = `DS${Date.now()}`;
    const batchId = await uploadSheet(await mountBulk(), csv(prefix, 2), `${prefix}.csv`);
    const wrap = await fixture(html`<ck-portal api=${API}><ck-my-placements></ck-my-placements></ck-portal>`);
    const el = wrap.querySelector<CkMyPlacements>('ck-my-placements')!;
    const row = await find(el, `tr[data-batch=${batchId}]`, 'the upload in the list');
    expect(row.querySelector('[part~=status]')!.textContent).to.equal('Not started');
    const cont = row.querySelector<HTMLButtonElement>('[data-action=continue]')!;
    expect(cont.textContent!.trim()).to.equal('Continue');
    const selected = oneEvent(el, 'ck-batch-select');
    cont.click();
    expect((await selected).detail.batchId).to.equal(batchId);
    await expectAccessible(el);

    // Discard asks first; "Keep it" (focused) keeps it and gives focus back
    const discard = row.querySelector<HTMLButtonElement>('[data-action=discard]')!;
    discard.click();
    const dialog = await find<HTMLDialogElement>(el, 'dialog[open]', 'the confirmation');
    expect(dialog.textContent).to.contain(`Discard ${prefix}.csv?`);
    await waitUntil(() => shadow(el).activeElement?.getAttribute('data-action') === 'cancel-discard', '“Keep it” focused');
    await expectAccessible(el);
    dialog.querySelector<HTMLButtonElement>('[data-action=cancel-discard]')!.click();
    await waitUntil(() => !dialog.open && shadow(el).activeElement === discard, 'closed, focus back on Discard');
    expect((await client.get<{ status: string }>(`/placements/batches/${batchId}`)).status).to.equal('uploaded');

    discard.click();
    const again = await find<HTMLDialogElement>(el, 'dialog[open]');
    again.querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!.click();
    await waitUntil(() => !shadow(el).querySelector(`tr[data-batch=${batchId}]`), 'the row gone');
    expect(shadow(el).querySelector('[data-field=notice]')!.textContent).to.equal(`${prefix}.csv was discarded.`);
    expect(shadow(el).activeElement?.id).to.equal('sheets-title');
    let status = 0;
    try {
      await client.get(`/placements/batches/${batchId}`);
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).to.equal(404);
  });
});
