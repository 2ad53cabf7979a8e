import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkBulkPlacement } from '../../widgets/bulk-placement/bulk-placement.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

async function mount(): Promise<CkBulkPlacement> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-bulk-placement poll-interval="200"></ck-bulk-placement></ck-portal>`);
  const el = portal.querySelector('ck-bulk-placement')!;
  await find(el, 'input[type=file]');
  return el;
}

function csv(prefix: string, good: number): string {
  const rows = ['Account Number,First Name,Last Name,Address,City,State,ZIP,Phone,Balance'];
  for (let i = 1; i <= good; i++) rows.push(`${prefix}-${i},Ann,Lee ${i % 2 ? 'Jr' : ''},${i} Elm St,Portland,OR,97205,503-555-01${String(i % 100).padStart(2, '0')},$${i}.50`);
  rows.push(`${prefix}-BAD,Bob,Stone,1 Elm St,Portland,OR,97205,555-0100,$10.00`);
  rows.push(`${prefix}-1,Ann,Again,1 Elm St,Portland,OR,97205,503-555-0100,$1.00`);
  return rows.join('\n') + '\n';
}

async function choose(el: CkBulkPlacement, text: string, name: string): Promise<void> {
  const input = shadow(el).querySelector<HTMLInputElement>('input[type=file]')!;
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type: 'text/csv' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await find(el, '[part~=mapping]', 'the mapping step');
}

const click = (el: Element, action: string) => shadow(el).querySelector<HTMLButtonElement>(`[data-action=${action}]`)!.click();
const count = (el: Element, name: string) => shadow(el).querySelector(`[data-count=${name}]`)?.textContent?.trim();

describe('ck-bulk-placement', () => {
  afterEach(signOut);

  it('is accessible at the file step and the mapping step', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    await expectAccessible(el);
    await choose(el, csv(`AX${Date.now()}`, 2), 'a.csv');
    await expectAccessible(el);
  });

  it('shows each suggestion\'s confidence and values, highlights the ones to check, and splits a full-name column (issue 22)', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    const n = Date.now();
    await choose(el, `Acct,Name,Street,Town,Code,Region,Owed\nSG${n}-1,"DOE, JANE M",1 Main St,Boston,02134,MA,10.00\nSG${n}-2,Rob Roe Jr,2 Main St,Salem,01970,MA,20.00\n`, 'weak.csv');
    const row = (field: string) => shadow(el).querySelector<HTMLTableRowElement>(`tr[data-field=${field}]`)!;
    // the ZIP was recognised from its values only: highlighted, and the select says why
    expect(shadow(el).querySelector<HTMLSelectElement>('select[data-field=zip]')!.value).to.equal('Code');
    expect(row('zip').hasAttribute('data-review')).to.equal(true);
    expect(row('zip').textContent).to.contain('Check this column');
    expect(row('zip').textContent).to.contain('02134 · 01970');
    expect(shadow(el).querySelector('select[data-field=zip]')!.getAttribute('aria-describedby')).to.contain('map-zip-basis');
    expect(shadow(el).querySelector('[data-review-count]')!.textContent).to.contain('need a check');
    // a sure one is not highlighted
    expect(row('city').hasAttribute('data-review')).to.equal(false);
    expect(row('city').textContent).to.match(/\d+ % sure, from the column name/);
    // the full name as it will be stored
    expect(row('fullName').textContent).to.contain('DOE, JANE M → DOE, JANE M');
    expect(row('fullName').textContent).to.contain('Rob Roe Jr → ROE, ROB JR');
    await expectAccessible(el);
    // confirming the column takes the highlight away
    const zip = shadow(el).querySelector<HTMLSelectElement>('select[data-field=zip]')!;
    zip.value = 'Code';
    zip.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(row('zip').hasAttribute('data-review')).to.equal(false);
  });

  it('suggests the mapping, checks the file, then places the valid rows with progress and an error report', async () => {
    const client = await signIn(DEMO.client);
    const el = await mount();
    const prefix = `WB${Date.now()}`;
    await choose(el, csv(prefix, 12), 'march.csv');
    const select = (field: string) => shadow(el).querySelector<HTMLSelectElement>(`select[data-field=${field}]`)!.value;
    expect(select('clientAccountNumber')).to.equal('Account Number');
    expect(select('zip')).to.equal('ZIP');
    expect(select('principal')).to.equal('Balance');

    click(el, 'validate');
    await waitUntil(() => count(el, 'placed') === '12' && shadow(el).textContent!.includes('File checked'), 'the dry run', { timeout: 15000 });
    expect(count(el, 'invalid')).to.equal('1');
    expect(count(el, 'duplicate')).to.equal('1');
    const before = await client.get<{ data: { clientAccountNumber: string }[] }>('/placements', { pageSize: 100 });
    expect(before.data.filter((p) => p.clientAccountNumber.startsWith(prefix))).to.have.length(0);

    setTimeout(() => click(el, 'place'));
    const done = await oneEvent(el, 'ck-batch-complete');
    expect(done.detail).to.deep.include({ placed: 12, invalid: 1, duplicate: 1 });
    await waitUntil(() => shadow(el).textContent!.includes('12 accounts placed'), 'the result');
    expect(shadow(el).querySelector('[role=status]')!.textContent).to.contain('12 accounts placed');
    const list = await client.get<{ total: number; data: { status: string }[] }>('/placements', { batchId: done.detail.batchId });
    expect(list.total).to.equal(12);
    expect(list.data[0]!.status).to.equal('pending_review');
    // the report the button downloads
    const report = await (await client.download('GET', `/placements/batches/${done.detail.batchId}/errors.csv`)).blob.text();
    expect(report).to.contain(`${prefix}-BAD,invalid`);
    expect(report).to.contain('duplicate,Same client account number as row 2 of this file.');
    expect(shadow(el).querySelector('[data-action=report]')!.textContent).to.contain('2 rows');
    await expectAccessible(el);
  });

  it('shows progress while a larger file is placed', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    await choose(el, csv(`WP${Date.now()}`, 1500), 'big.csv');
    click(el, 'place');
    const progress = await find<HTMLProgressElement>(el, 'progress', 'the progress bar');
    expect(progress.getAttribute('aria-label')).to.equal('Rows processed');
    await waitUntil(() => count(el, 'placed') === '1,500', 'the run to finish', { timeout: 30000 });
  });

  it('refuses a file that is not a spreadsheet, saying why', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    const input = shadow(el).querySelector<HTMLInputElement>('input[type=file]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array([0, 1, 2, 0])], 'x.bin'));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => shadow(el).querySelector('[part~=error]')!.textContent!.includes('CSV or an XLSX'), 'the problem');
  });
});
