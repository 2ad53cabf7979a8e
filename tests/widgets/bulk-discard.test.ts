/**
 * An upload not started is discarded from inside ck-bulk-placement: "Discard this spreadsheet" asks
 * in a modal dialog (focus on "Keep it"; Escape gives focus back to the button), confirming deletes
 * the upload through the API and brings the element back to its first step, its heading focused and
 * the discard said in the polite live region. A discard the API refuses (the batch was started
 * meanwhile) is said inside the dialog and leaves the mapping step as it was. At 390 px wide.
 */
import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widgets/all.js';
import type { CkBulkPlacement } from '../../widgets/bulk-placement/bulk-placement.js';
import { clientFor, type ApiClient } from '../../widgets/internal/api-client.js';
import { API, API_FLAKY, DEMO, chooseSpreadsheet, expectAccessible, find, outage, shadow, signIn, signOut } from './helpers.js';

function csv(prefix: string, rows: number): string {
  const lines = ['Account Number,First Name,Last Name,Address,City,State,ZIP,Phone,Balance'];
  for (let i = 1; i <= rows; i++) lines.push(`${prefix}-${i},Ann,Lee,${i} Elm St,Portland,OR,97205,503-555-01${String(i % 100).padStart(2, '0')},$${i}.50`);
  return lines.join('\n') + '\n';
}

async function mount(api = API): Promise<CkBulkPlacement> {
  const portal = await fixture(html`<ck-portal api=${api}><ck-bulk-placement poll-interval="150"></ck-bulk-placement></ck-portal>`);
  return portal.querySelector('ck-bulk-placement')!;
}

/** Uploads through the element; resolves to the batch id it announced. */
async function upload(el: CkBulkPlacement, name: string): Promise<string> {
  const changed = oneEvent(el, 'ck-batch-change');
  await chooseSpreadsheet(el, csv(name.replace(/\W/g, ''), 2), name);
  return (await changed).detail.batchId;
}

/** The HTTP status the API answers for the batch (200, or the error's status). */
async function statusOf(client: ApiClient, batchId: string): Promise<number> {
  try {
    await client.get(`/placements/batches/${batchId}`);
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

const active = (el: Element) => shadow(el).activeElement as HTMLElement | null;
const dialogOf = (el: Element) => shadow(el).querySelector<HTMLDialogElement>('dialog[data-dialog=discard]')!;

describe('ck-bulk-placement: discarding an upload not started', () => {
  afterEach(async () => {
    await outage(0);
    await setViewport({ width: 800, height: 600 });
    const flaky = clientFor(API_FLAKY);
    if (flaky.user) await flaky.logout();
    await signOut();
  });

  it('asks in a dialog (Escape keeps it), then deletes the upload and is back at the first step, its heading focused, the discard announced', async function () {
    this.timeout(30_000);
    await setViewport({ width: 390, height: 844 });
    const client = await signIn(DEMO.client);
    const el = await mount();
    const name = `Discard me ${Date.now()}.csv`;
    const batchId = await upload(el, name);

    // by the keyboard: the button in the mapping step's actions opens the dialog, "Keep it" focused
    const opener = await find<HTMLButtonElement>(el, '[part~=base] > section [data-action=discard]', 'Discard in the mapping step');
    expect(opener.textContent!.trim()).to.equal('Discard this spreadsheet');
    opener.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(el).open, 'the confirmation open');
    const dialog = dialogOf(el);
    expect(dialog.querySelector('h3')!.textContent).to.equal(`Discard ${name}?`);
    await waitUntil(() => active(el)?.dataset.action === 'cancel-discard', '“Keep it” focused');
    // the dialog and its buttons fit a phone's width
    for (const box of [dialog, ...dialog.querySelectorAll('button')]) {
      const r = box.getBoundingClientRect();
      expect(r.left, `${box.localName} starts on screen`).to.be.at.least(0);
      expect(r.right, `${box.localName} ends on screen`).to.be.at.most(innerWidth);
    }
    await expectAccessible(el);

    // Escape keeps it: closed, focus back on the button, the upload still there
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open && active(el) === opener, 'closed, focus back on Discard');
    expect(await statusOf(client, batchId)).to.equal(200);
    expect(shadow(el).querySelector('[part~=mapping]')).to.exist;

    // again, and this time Tab to the confirm button, which says what it does, and Enter
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.open && active(el)?.dataset.action === 'cancel-discard', 'open again');
    await sendKeys({ press: 'Tab' });
    const confirm = active(el)!;
    expect(confirm.dataset.action).to.equal('confirm-discard');
    expect(confirm.textContent!.trim()).to.equal('Discard the spreadsheet');
    const back = oneEvent(el, 'ck-batch-change');
    await sendKeys({ press: 'Enter' });
    expect((await back).detail.batchId, 'the host page is told: the first step').to.equal('');

    await find(el, 'input[type=file]', 'the first step');
    await waitUntil(() => active(el)?.id === 'upload-title', 'the first step’s heading focused');
    expect(dialog.open).to.equal(false);
    expect(shadow(el).querySelector('[part~=mapping]')).to.equal(null);
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal(`${name} was discarded.`);
    expect(shadow(el).querySelector('[part~=base] > [part~=error]')!.textContent).to.equal('');

    // gone on the server too
    expect(await statusOf(client, batchId)).to.equal(404);
    const list = await client.get<{ data: { id: string }[] }>('/placements/batches', { pageSize: 100 });
    expect(list.data.map((b) => b.id)).not.to.include(batchId);
    await expectAccessible(el);
  });

  it('a file only checked (a dry run) can be discarded from its outcome too', async function () {
    this.timeout(30_000);
    const client = await signIn(DEMO.client);
    const el = await mount();
    const name = `Checked only ${Date.now()}.csv`;
    const batchId = await upload(el, name);
    shadow(el).querySelector<HTMLButtonElement>('[data-action=validate]')!.click();
    await waitUntil(() => shadow(el).querySelector('#run-title')?.textContent === 'File checked', 'the dry run', { timeout: 15000 });
    shadow(el).querySelector<HTMLButtonElement>('[part~=run] [data-action=discard]')!.click();
    await waitUntil(() => dialogOf(el).open, 'the confirmation open');
    dialogOf(el).querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!.click();
    await waitUntil(() => active(el)?.id === 'upload-title', 'the first step’s heading focused');
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal(`${name} was discarded.`);
    expect(await statusOf(client, batchId)).to.equal(404);
  });

  it('a discard refused because the batch was started meanwhile is said in the dialog; the mapping step stays, and the batch', async function () {
    this.timeout(30_000);
    const client = await signIn(DEMO.client);
    const el = await mount();
    const name = `Started meanwhile ${Date.now()}.csv`;
    const batchId = await upload(el, name);

    // another tab (here: the API) places the file while this one still shows its mapping step
    const step = await client.get<{ suggestedMapping: Record<string, string> }>(`/placements/batches/${batchId}/mapping`);
    await client.request('POST', `/placements/batches/${batchId}/start`, {
      body: { mapping: step.suggestedMapping, mode: 'place', remember: false },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });

    const opener = shadow(el).querySelector<HTMLButtonElement>('[data-action=discard]')!;
    opener.click();
    await waitUntil(() => dialogOf(el).open, 'the confirmation open');
    const dialog = dialogOf(el);
    dialog.querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!.click();
    const problem = await find(el, 'dialog[open] [data-field=discard-problem]:not(:empty)', 'the refusal in the dialog');
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(problem.textContent).to.contain('Nothing was discarded.');
    expect(problem.textContent).to.match(/This batch is (running|completed): only an upload not placed can be discarded\./);
    // no half state: the dialog stays open with its buttons, the mapping step is as it was, nothing announced
    expect(dialog.open).to.equal(true);
    expect(dialog.querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!.textContent!.trim()).to.equal('Discard the spreadsheet');
    expect(shadow(el).querySelector('[part~=mapping]')).to.exist;
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal('');
    await expectAccessible(el);

    dialog.querySelector<HTMLButtonElement>('[data-action=cancel-discard]')!.click();
    await waitUntil(() => !dialog.open && active(el) === opener, 'closed, focus back on Discard');
    expect(await statusOf(client, batchId)).to.equal(200);

    // tidy up: the run ends, and the agency rejects what was placed
    await waitUntil(async () => (await client.get<{ status: string }>(`/placements/batches/${batchId}`)).status === 'completed', 'the run to end', { timeout: 15000 });
    const agency = await signIn(DEMO.agency);
    const { data } = await agency.get<{ data: { id: string }[] }>('/placements', { batchId, status: 'pending_review' });
    if (data.length) await agency.request('POST', '/agency/placements/review', { body: { placementIds: data.map((p) => p.id), decision: 'reject', reason: 'Test data' } });
  });

  it('a discard that cannot reach the server says so in the dialog, keeps everything, and can be confirmed again', async function () {
    this.timeout(30_000);
    const flaky = clientFor(API_FLAKY);
    await flaky.login(DEMO.client.username, DEMO.client.password);
    const el = await mount(API_FLAKY);
    const name = `No connection ${Date.now()}.csv`;
    const batchId = await upload(el, name);
    shadow(el).querySelector<HTMLButtonElement>('[data-action=discard]')!.click();
    await waitUntil(() => dialogOf(el).open, 'the confirmation open');
    const confirm = dialogOf(el).querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!;

    await outage(60_000);
    confirm.click();
    const problem = await find(el, 'dialog[open] [data-field=discard-problem]:not(:empty)', 'the failure in the dialog');
    expect(problem.textContent).to.equal('Nothing was discarded. The portal could not be reached. Check your connection and try again.');
    expect(shadow(el).querySelector('[part~=mapping]')).to.exist;
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal('');

    // the connection is back: the same button again does it
    await outage(0);
    confirm.click();
    await waitUntil(() => !dialogOf(el).open && shadow(el).activeElement?.id === 'upload-title', 'back at the first step, its heading focused');
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal(`${name} was discarded.`);
    expect(await statusOf(flaky, batchId)).to.equal(404);
  });

  it('a discard of an upload already gone (discarded in another tab) says so in the dialog', async function () {
    this.timeout(30_000);
    const client = await signIn(DEMO.client);
    const el = await mount();
    const batchId = await upload(el, `Gone already ${Date.now()}.csv`);
    await client.request('DELETE', `/placements/batches/${batchId}`); // "another tab"
    shadow(el).querySelector<HTMLButtonElement>('[data-action=discard]')!.click();
    await waitUntil(() => dialogOf(el).open, 'the confirmation open');
    dialogOf(el).querySelector<HTMLButtonElement>('[data-action=confirm-discard]')!.click();
    const problem = await find(el, 'dialog[open] [data-field=discard-problem]:not(:empty)', 'the refusal in the dialog');
    expect(problem.textContent).to.contain('This upload is no longer there: it may have been discarded already');
    expect(shadow(el).querySelector('[data-field=announcement]')!.textContent).to.equal('');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialogOf(el).open && shadow(el).activeElement?.getAttribute('data-action') === 'discard', 'closed, focus back on Discard');
  });
});
