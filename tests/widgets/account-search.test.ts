import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAccountSearch } from '../../widgets/account-search/account-search.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

async function mount(): Promise<CkAccountSearch> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-account-search></ck-account-search></ck-portal>`);
  const el = portal.querySelector('ck-account-search')!;
  await settle(el);
  return el;
}

/** Waits until no search is in flight and results (or an empty/error state) are on screen. */
async function settle(el: CkAccountSearch): Promise<void> {
  await el.updateComplete;
  await waitUntil(
    () => shadow(el).querySelector('.results')?.getAttribute('aria-busy') === 'false' && shadow(el).querySelector('table, [part~=empty], [part~=error]'),
    'the search to finish',
    { timeout: 10000 },
  );
}

const rows = (el: Element) => [...shadow(el).querySelectorAll<HTMLTableRowElement>('tbody tr')];
const cells = (el: Element, field: string) => rows(el).map((r) => r.querySelector(`[data-field=${field}]`)!.textContent!.trim());
const summary = (el: Element) => shadow(el).querySelector('[part~=summary]')?.textContent?.trim() ?? '';
const search = async (el: CkAccountSearch) => {
  shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  await settle(el);
};
const balanceCents = (text: string) => Math.round(Number(text.replace(/[$,]/g, '')) * 100);

describe('ck-account-search', () => {
  afterEach(signOut);

  it('is accessible (signed in, with results)', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    await find(el, 'tbody tr');
    await expectAccessible(el);
  });

  it('asks to sign in when nobody is signed in', async () => {
    const portal = await fixture(html`<ck-portal api=${API}><ck-account-search></ck-account-search></ck-portal>`);
    const el = portal.querySelector('ck-account-search')!;
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('Sign in to search accounts.');
  });

  it('finds accounts by name prefix, every row matching', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    const first = cells(el, 'name')[0]!;
    const prefix = first.slice(0, 3);
    type(el, 'name', prefix.toLowerCase());
    await search(el);
    const names = cells(el, 'name');
    expect(names.length).to.be.greaterThan(0);
    for (const name of names) expect(name.startsWith(prefix), `${name} starts with ${prefix}`).to.equal(true);
  });

  it('pages through results with totals, Previous and Next', async () => {
    const client = await signIn(DEMO.agency);
    const { total } = await client.get<{ total: number }>('/accounts');
    expect(total).to.be.greaterThan(20);
    const el = await mount();
    expect(rows(el)).to.have.length(10);
    const match = /^Showing 1–10 of ([\d,]+)$/.exec(summary(el));
    expect(match, summary(el)).to.not.equal(null);
    expect(match![1]).to.equal(total.toLocaleString('en-US'));
    const previous = shadow(el).querySelector<HTMLButtonElement>('[data-page=previous]')!;
    expect(previous.disabled).to.equal(true);
    const firstPage = cells(el, 'name');
    shadow(el).querySelector<HTMLButtonElement>('[data-page=next]')!.click();
    await el.updateComplete;
    // Loading: the previous page stays on screen under aria-busy and the :state(loading) custom state.
    expect(shadow(el).querySelector('.results')!.getAttribute('aria-busy')).to.equal('true');
    expect(el.matches(':state(loading)')).to.equal(true);
    await settle(el);
    expect(el.matches(':state(loading)')).to.equal(false);
    expect(summary(el)).to.equal(`Showing 11–20 of ${total.toLocaleString('en-US')}`);
    expect(cells(el, 'name')).to.not.deep.equal(firstPage);
    expect(shadow(el).querySelector<HTMLButtonElement>('[data-page=previous]')!.disabled).to.equal(false);
    await expectAccessible(el);
  });

  it('page size: 10, 25, 50 or 100 rows from a labelled select; choosing one goes back to page 1 and fires ck-page-size-change', async () => {
    const client = await signIn(DEMO.agency);
    const { total } = await client.get<{ total: number }>('/accounts');
    const el = await mount();
    const select = shadow(el).querySelector<HTMLSelectElement>('select#page-size')!;
    expect(shadow(el).querySelector('label[for=page-size]')!.textContent).to.equal('Rows per page');
    expect([...select.options].map((o) => o.value)).to.deep.equal(['10', '25', '50', '100']);
    expect(select.value).to.equal('10');
    shadow(el).querySelector<HTMLButtonElement>('[data-page=next]')!.click();
    await settle(el);
    expect(summary(el)).to.match(/^Showing 11–20 of /);
    const changed = oneEvent(el, 'ck-page-size-change');
    const now = shadow(el).querySelector<HTMLSelectElement>('select#page-size')!;
    now.value = '25';
    now.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await changed).detail.pageSize).to.equal(25);
    await settle(el);
    expect(rows(el)).to.have.length(25);
    expect(summary(el)).to.equal(`Showing 1–25 of ${total.toLocaleString('en-US')}`);
    // the host sets it (the client portal, from the URL)
    el.pageSize = 50;
    await settle(el);
    expect(rows(el)).to.have.length(50);
    expect(shadow(el).querySelector<HTMLSelectElement>('select#page-size')!.value).to.equal('50');
    await expectAccessible(el);
  });

  it('sorts by a column: aria-sort toggles and the rows reorder', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    const header = () => shadow(el).querySelector('[data-sort=balance]')!.closest('th')!;
    expect(header().getAttribute('aria-sort')).to.equal('none');
    expect(shadow(el).querySelector('[data-sort=name]')!.closest('th')!.getAttribute('aria-sort')).to.equal('ascending');

    shadow(el).querySelector<HTMLButtonElement>('[data-sort=balance]')!.click();
    await settle(el);
    expect(header().getAttribute('aria-sort')).to.equal('ascending');
    const ascending = cells(el, 'balance').map(balanceCents);
    expect(ascending).to.deep.equal([...ascending].sort((a, b) => a - b));

    shadow(el).querySelector<HTMLButtonElement>('[data-sort=balance]')!.click();
    await settle(el);
    expect(header().getAttribute('aria-sort')).to.equal('descending');
    const descending = cells(el, 'balance').map(balanceCents);
    expect(descending).to.deep.equal([...descending].sort((a, b) => b - a));
    expect(descending[0]).to.be.greaterThan(ascending[0]!);
  });

  it('never shows a client user another client’s accounts', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    expect(shadow(el).querySelector('select[name=clientId]')).to.equal(null);
    for (let page = 0; page < 3; page++) {
      const clients = cells(el, 'client');
      expect(clients.length).to.be.greaterThan(0);
      for (const c of clients) expect(c).to.equal('Cascade Power & Light');
      shadow(el).querySelector<HTMLButtonElement>('[data-page=next]')!.click();
      await settle(el);
    }
  });

  it('offers a client select to a user with several clients and filters by it', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    const select = shadow(el).querySelector<HTMLSelectElement>('select[name=clientId]')!;
    expect(select).to.exist;
    const options = [...select.options].map((o) => o.textContent);
    expect(options).to.deep.equal(['All clients', 'Lakeside Family Clinic', 'St. Brigid Regional Hospital']);
    type(el, 'clientId', select.options[1]!.value);
    await search(el);
    for (const c of cells(el, 'client')) expect(c).to.equal('Lakeside Family Clinic');
  });

  it('shows the empty state, and converts a balance range in dollars to cents', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    type(el, 'name', 'zzzzzz');
    await search(el);
    expect(shadow(el).querySelector('[part~=empty]')!.textContent).to.contain('No accounts match');

    type(el, 'name', '');
    type(el, 'balanceMin', '1,000');
    type(el, 'balanceMax', '2000.50');
    await search(el);
    for (const cents of cells(el, 'balance').map(balanceCents)) {
      expect(cents).to.be.within(100000, 200050);
    }
  });

  it('shows the server’s field error for an invalid filter', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    type(el, 'ssnLast4', '12');
    await search(el);
    expect(shadow(el).querySelector('[part~=error]')!.textContent).to.contain('invalid');
    expect(shadow(el).getElementById('ssnLast4-error')!.textContent).to.equal('Enter exactly 4 digits.');
    expect(shadow(el).getElementById('ssnLast4')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('selects a row by click and by keyboard, firing ck-account-select', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    const [first, second] = rows(el);
    const clicked = oneEvent(el, 'ck-account-select');
    first!.click();
    expect((await clicked).detail.accountId).to.equal(first!.dataset.id);
    expect(first!.dataset.id).to.match(/^acct_/);

    first!.focus();
    first!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(shadow(el).activeElement).to.equal(second);
    const keyed = oneEvent(el, 'ck-account-select');
    second!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect((await keyed).detail.accountId).to.equal(second!.dataset.id);
    await el.updateComplete;
    expect(second!.getAttribute('aria-current')).to.equal('true');
    expect(second!.tabIndex).to.equal(0);
  });

  it('collapses the grid into cards in a narrow container', async () => {
    await signIn(DEMO.agency);
    const portal = await fixture(html`<div style="width: 400px"><ck-portal api=${API}><ck-account-search></ck-account-search></ck-portal></div>`);
    const el = portal.querySelector('ck-account-search')!;
    await settle(el);
    const row = rows(el)[0]!;
    expect(getComputedStyle(row).display).to.equal('block');
    expect(getComputedStyle(shadow(el).querySelector('thead')!).position).to.equal('absolute');
  });
});
