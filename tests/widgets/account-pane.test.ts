import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAccountPane } from '../../widgets/account-pane/account-pane.js';
import type { CkAccountSearch } from '../../widgets/account-search/account-search.js';
import type { Account, AccountPage, ActivityPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

const usd = (cents: number) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(cents / 100);

async function mount(accountId: string, extra = ''): Promise<CkAccountPane> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-account-pane account-id=${accountId} activity-page-size=${extra || '10'}></ck-account-pane></ck-portal>`);
  const el = portal.querySelector('ck-account-pane')!;
  await find(el, '[part~=header], [part~=error]', 'the account to load');
  return el;
}

/** An account with at least `minActivity` client-visible entries, as the API reports them. */
async function pickAccount(status: string, minActivity: number): Promise<{ account: Account; activity: ActivityPage }> {
  const client = await signIn(DEMO.client);
  const page = await client.get<AccountPage>('/accounts', { status, pageSize: 50 });
  for (const row of page.data) {
    const activity = await client.get<ActivityPage>(`/accounts/${row.id}/activity`, { pageSize: 100 });
    if (activity.total >= minActivity) return { account: await client.get<Account>(`/accounts/${row.id}`), activity };
  }
  throw new Error(`no ${status} account with ${minActivity} activity entries`);
}

describe('ck-account-pane', () => {
  afterEach(signOut);

  it('is accessible', async () => {
    const { account } = await pickAccount('active', 1);
    const el = await mount(account.id);
    await find(el, '[part~=timeline]');
    await expectAccessible(el);
  });

  it('on a phone, from the keyboard: a pasted link wraps in the timeline and in its bubble, and opening a thread puts the focus on it', async () => {
    const client = await signIn(DEMO.client);
    const page = await client.get<AccountPage>('/accounts', { status: 'active', sort: 'name', order: 'desc', pageSize: 5 });
    const account = page.data[4]!;
    const link = 'https://billing.example.com/statements/2026/11/customer/00012345/invoice-0987654321-details-and-payments';
    const thread = await client.request<{ id: string }>('POST', `/accounts/${account.id}/messages`, {
      body: { subject: 'Statement link', body: `The debtor sent this: ${link}` }, headers: { 'Idempotency-Key': `pane-${Math.random()}` },
    });
    await client.request('POST', `/accounts/${account.id}/notes`, { body: { body: `Statement: ${link}` }, headers: { 'Idempotency-Key': `pane-${Math.random()}` } });
    // as wide as the pane is on a 390 px phone
    const portal = await fixture(html`<div style="width: 343px"><ck-portal api=${API}><ck-account-pane account-id=${account.id}></ck-account-pane></ck-portal></div>`);
    const el = portal.querySelector('ck-account-pane')!;
    await find(el, '[part~=header]');
    await waitUntil(() => [...shadow(el).querySelectorAll('[part~=timeline] li')].some((li) => li.textContent!.includes(link)), 'the note in the timeline', { timeout: 10000 });
    const note = [...shadow(el).querySelectorAll('[part~=timeline] li')].find((li) => li.textContent!.includes(link))!;
    expect(note.scrollWidth, 'the note does not overflow the timeline').to.be.at.most(note.clientWidth);
    shadow(el).querySelector<HTMLButtonElement>('#tab-messages')!.click();
    const open = await find<HTMLButtonElement>(el, `[data-thread="${thread.id}"]`);
    open.focus();
    open.click();
    await find(el, '[part~=thread] ol.messages li');
    // the button pressed went away while the conversation loaded: the focus went to the page
    await waitUntil(() => shadow(el).activeElement?.id === 'thread-title', 'the focus on the thread heading', { timeout: 5000 });
    const bubble = shadow(el).querySelector('[part~=thread] ol.messages li')!;
    const pane = el.getBoundingClientRect();
    expect(bubble.scrollWidth, 'the bubble does not overflow').to.be.at.most(bubble.clientWidth);
    expect(bubble.getBoundingClientRect().right).to.be.at.most(pane.right);
    await expectAccessible(el);
  });

  it('renders the header band, account data and the balance total of a real account', async () => {
    const { account } = await pickAccount('active', 1);
    const el = await mount(account.id);
    const header = shadow(el).querySelector('[part~=header]')!;
    expect(header.querySelector('h2')!.textContent).to.equal(account.debtorName);
    expect(header.textContent).to.contain(account.clientAccountNumber);
    expect(header.querySelector('[data-field=status]')!.textContent).to.equal('Active');
    expect(getComputedStyle(header).backgroundColor).to.equal('rgb(20, 108, 46)');
    expect(shadow(el).querySelector('[part~=details]')!.textContent).to.contain(account.agencyAccountNumber);
    expect(shadow(el).querySelector('[data-field=total]')!.textContent).to.equal(usd(account.balanceDetail.totalCents));
    const components = [...shadow(el).querySelectorAll('[part~=balance] tbody th')].map((th) => th.textContent);
    expect(components).to.include('Principal');
  });

  it('colours the band by status', async () => {
    const { account } = await pickAccount('paid', 1);
    const el = await mount(account.id);
    const header = shadow(el).querySelector('[part~=header]')!;
    expect(header.querySelector('[data-field=status]')!.textContent).to.equal('Paid in full');
    expect(getComputedStyle(header).backgroundColor).to.equal('rgb(29, 78, 216)');
  });

  it('loads the activity timeline and more with "Load more"', async () => {
    const { account, activity } = await pickAccount('active', 3);
    const el = await mount(account.id, '2');
    const timeline = await find(el, '[part~=timeline]');
    expect(timeline.querySelectorAll('li')).to.have.length(2);
    expect(timeline.querySelector('li')!.textContent).to.contain(activity.data[0]!.body);
    shadow(el).querySelector<HTMLButtonElement>('[data-action=load-more]')!.click();
    await waitUntil(() => shadow(el).querySelectorAll('[part~=timeline] li').length === Math.min(4, activity.total), 'the next page', { timeout: 10000 });
    const bodies = [...shadow(el).querySelectorAll('[part~=timeline] li')].map((li) => li.textContent!);
    activity.data.slice(0, bodies.length).forEach((a, i) => expect(bodies[i]).to.contain(a.body));
  });

  it('moves between tabs with the arrow keys', async () => {
    const { account } = await pickAccount('active', 1);
    const el = await mount(account.id);
    const activityTab = shadow(el).querySelector<HTMLElement>('#tab-activity')!;
    expect(activityTab.getAttribute('aria-selected')).to.equal('true');
    activityTab.focus();
    activityTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await el.updateComplete;
    const partiesTab = shadow(el).querySelector<HTMLElement>('#tab-parties')!;
    await waitUntil(() => shadow(el).activeElement === partiesTab, 'focus on the Parties tab');
    expect(partiesTab.getAttribute('aria-selected')).to.equal('true');
    expect(activityTab.getAttribute('tabindex')).to.equal('-1');
    const panel = shadow(el).querySelector('#panel-parties')!;
    expect(panel.hasAttribute('hidden')).to.equal(false);
    expect(panel.textContent).to.contain(account.parties[0]!.lastName);
    await expectAccessible(el);
    partiesTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await el.updateComplete;
    expect(shadow(el).querySelector('#tab-payments')!.getAttribute('aria-selected')).to.equal('true');
    // End goes to the last tab; ArrowRight from there wraps to the first
    partiesTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await el.updateComplete;
    const lastTab = shadow(el).querySelector<HTMLElement>('#tab-attachments')!;
    expect(lastTab.getAttribute('aria-selected')).to.equal('true');
    lastTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await el.updateComplete;
    expect(activityTab.getAttribute('aria-selected')).to.equal('true');
  });

  it('loads again when account-id changes', async () => {
    const client = await signIn(DEMO.client);
    const [a, b] = (await client.get<AccountPage>('/accounts', { pageSize: 2 })).data;
    const el = await mount(a!.id);
    expect(shadow(el).querySelector('h2')!.textContent).to.equal(a!.debtorName);
    el.accountId = b!.id;
    await waitUntil(() => shadow(el).querySelector('h2')?.textContent === b!.debtorName, 'the second account', { timeout: 10000 });
  });

  it('answers "not found" for another client’s account', async () => {
    const agency = await signIn(DEMO.agency);
    const clients = await agency.get<AccountPage>('/accounts', { pageSize: 100, sort: 'client' });
    const foreign = clients.data.find((r) => r.client.name !== 'Cascade Power & Light')!;
    await signIn(DEMO.client);
    const el = await mount(foreign.id);
    expect(shadow(el).querySelector('[part~=error]')!.textContent).to.equal('Account not found.');
  });

  it('works with ck-account-search: selecting a row opens the account', async () => {
    await signIn(DEMO.client);
    const root = await fixture<HTMLElement>(html`<ck-portal api=${API}><ck-account-search></ck-account-search><ck-account-pane></ck-account-pane></ck-portal>`);
    const search = root.querySelector('ck-account-search') as CkAccountSearch;
    const pane = root.querySelector('ck-account-pane') as CkAccountPane;
    root.addEventListener('ck-account-select', (e) => (pane.accountId = e.detail.accountId));
    const row = await find<HTMLTableRowElement>(search, 'tbody tr');
    row.focus();
    row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await find(pane, '[part~=header]');
    expect(pane.accountId).to.equal(row.dataset.id);
    expect(shadow(pane).querySelector('h2')!.textContent).to.equal(row.querySelector('[data-field=name]')!.textContent!.trim());
  });
});
