import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAccountPane } from '../../widgets/account-pane/account-pane.js';
import type { CkAccountFunctions } from '../../widgets/account-functions/account-functions.js';
import type { Account, AccountPage } from '../../widgets/internal/api-client.js';
import type { LedgerPage } from '../../widgets/internal/action-types.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { otherUser } from './other-user.js';

const usd = (cents: number) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(cents / 100);

/** Active accounts of Cascade Power & Light from page 5 on, one per test, so other tests' picks are untouched. */
let offset = 0;
async function freshAccount(): Promise<Account> {
  const client = await signIn(DEMO.client);
  const page = await client.get<AccountPage>('/accounts', { status: 'active', pageSize: 10, page: 5, sort: 'accountNumber' });
  const row = page.data.filter((r) => r.balance.amountCents > 5000)[offset++];
  if (!row) throw new Error('ran out of fresh accounts');
  return client.get<Account>(`/accounts/${row.id}`);
}

async function mountPane(accountId: string): Promise<{ pane: CkAccountPane; fns: CkAccountFunctions }> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-account-pane account-id=${accountId}></ck-account-pane></ck-portal>`);
  const pane = portal.querySelector('ck-account-pane')!;
  const fns = await find<CkAccountFunctions>(pane, 'ck-account-functions');
  await find(fns, '[part~=trigger]', 'the functions menu');
  return { pane, fns };
}

/** Opens the menu and picks a function; returns its dialog. */
async function choose(fns: CkAccountFunctions, action: string): Promise<HTMLDialogElement> {
  shadow(fns).querySelector<HTMLButtonElement>('[part~=trigger]')!.click();
  const item = await find<HTMLButtonElement>(fns, `[role=menuitem][data-action=${action}]`);
  item.click();
  const dialog = await find<HTMLDialogElement>(fns, 'dialog');
  await waitUntil(() => dialog.open, 'the dialog to open');
  return dialog;
}

function fill(dialog: HTMLDialogElement, name: string, value: string | boolean): void {
  const input = dialog.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!input) throw new Error(`no field ${name}`);
  if (typeof value === 'boolean') {
    input.checked = value;
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  } else {
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true, composed: true }));
  }
}

const submit = (dialog: HTMLDialogElement) => dialog.querySelector<HTMLButtonElement>('button[type=submit]')!.click();

describe('ck-account-functions in ck-account-pane', () => {
  afterEach(signOut);

  it('is accessible: the menu and a dialog', async () => {
    const account = await freshAccount();
    const { pane, fns } = await mountPane(account.id);
    shadow(fns).querySelector<HTMLButtonElement>('[part~=trigger]')!.click();
    await find(fns, '[role=menu]');
    await expectAccessible(pane);
    await expectAccessible(fns);
    shadow(fns).querySelector<HTMLButtonElement>('[data-action=payment]')!.click();
    await find(fns, 'dialog[open]');
    await expectAccessible(fns);
  });

  it('lists only what the user may do in this status; the menu works by keyboard', async () => {
    const account = await freshAccount();
    const { fns } = await mountPane(account.id);
    const trigger = shadow(fns).querySelector<HTMLButtonElement>('[part~=trigger]')!;
    trigger.click();
    await find(fns, '[role=menu]');
    const items = [...shadow(fns).querySelectorAll<HTMLElement>('[role=menuitem]')];
    const ids = items.map((i) => i.dataset.action);
    expect(ids).to.include.members(['payment', 'adjustment', 'note', 'message', 'hold', 'recall', 'status', 'contact']);
    expect(ids).not.to.include('release'); // not on hold
    await waitUntil(() => shadow(fns).activeElement === items[0], 'focus on the first item');
    items[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await waitUntil(() => shadow(fns).activeElement === items[1], 'ArrowDown moves');
    items[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => !shadow(fns).querySelector('[role=menu]'), 'Escape closes');
    await waitUntil(() => shadow(fns).activeElement === trigger, 'focus back on the trigger');
    expect(trigger.getAttribute('aria-expanded')).to.equal('false');
  });

  it('reports a payment: errors in place, then the balance and the Payments tab update', async () => {
    const account = await freshAccount();
    const { pane, fns } = await mountPane(account.id);
    const dialog = await choose(fns, 'payment');
    fill(dialog, 'amount', 'twelve');
    submit(dialog);
    const amount = dialog.querySelector<HTMLInputElement>('[name=amount]')!;
    await waitUntil(() => amount.getAttribute('aria-invalid') === 'true', 'the amount error');
    expect(dialog.querySelector('#f-amount-error')!.textContent).to.contain('like 125.00');
    expect(amount.getAttribute('aria-describedby')).to.contain('f-amount-error');
    // more than the balance: the server's problem appears in the dialog
    fill(dialog, 'amount', String((account.balanceDetail.totalCents + 100) / 100));
    submit(dialog);
    await waitUntil(() => dialog.querySelector('[part~=error]')!.textContent!.includes('more than the balance'), 'the server problem');
    fill(dialog, 'amount', '12.34');
    fill(dialog, 'reference', 'CHK-881');
    submit(dialog);
    await waitUntil(() => !shadow(fns).querySelector('dialog'), 'the dialog to close');
    expect(shadow(fns).querySelector('[part~=status]')!.textContent).to.contain(`Payment of ${usd(1234)} reported`);
    const expected = usd(account.balanceDetail.totalCents - 1234);
    await waitUntil(() => shadow(pane).querySelector('[data-field=total]')?.textContent === expected, 'the new total', { timeout: 10000 });
    shadow(pane).querySelector<HTMLButtonElement>('#tab-payments')!.click();
    const table = await find(pane, '[part~=payments]');
    expect(table.querySelector('tbody tr')!.textContent).to.contain('CHK-881');
    expect(table.querySelector('tbody tr')!.textContent).to.contain(usd(1234));
    await expectAccessible(pane);
    // exactly one ledger row: the dialog sent one request
    const ledger = await (await signIn(DEMO.client)).get<LedgerPage>(`/accounts/${account.id}/transactions`);
    expect(ledger.total).to.equal(1);
  });

  it('a recall asks for confirmation, then the status changes and hold is no longer offered', async () => {
    const account = await freshAccount();
    const { pane, fns } = await mountPane(account.id);
    const dialog = await choose(fns, 'recall');
    fill(dialog, 'reason', 'Client settled directly');
    submit(dialog);
    await waitUntil(() => dialog.querySelector('#f-confirm-error')?.textContent === 'Confirm to continue.', 'the confirmation error');
    fill(dialog, 'confirm', true);
    submit(dialog);
    await waitUntil(() => shadow(pane).querySelector('[data-field=status]')?.textContent === 'Recalled', 'the recalled status', { timeout: 10000 });
    shadow(fns).querySelector<HTMLButtonElement>('[part~=trigger]')?.click();
    await find(fns, '[role=menu]');
    const ids = [...shadow(fns).querySelectorAll<HTMLElement>('[role=menuitem]')].map((i) => i.dataset.action);
    expect(ids).not.to.include.members(['hold']);
    expect(ids).not.to.include('recall');
  });

  it('contact the agency, and the agency\'s reply arrives live with an unread count', async () => {
    const account = await freshAccount();
    const { pane, fns } = await mountPane(account.id);
    const dialog = await choose(fns, 'message');
    fill(dialog, 'subject', 'Payment plan?');
    fill(dialog, 'body', 'Can the debtor pay $50 a month?');
    submit(dialog);
    await waitUntil(() => !shadow(fns).querySelector('dialog'), 'the dialog to close');
    shadow(pane).querySelector<HTMLButtonElement>('#tab-messages')!.click();
    const threadButton = await find<HTMLButtonElement>(pane, '[data-thread]');
    expect(threadButton.textContent).to.contain('Payment plan?');
    expect(threadButton.querySelector('[part~=unread]')).to.equal(null);
    await waitUntil(() => pane.live, 'the live stream', { timeout: 10000 });
    const agency = await otherUser(DEMO.agency);
    await agency.call('POST', `/accounts/${account.id}/messages/${threadButton.dataset.thread}`, { body: 'Yes, $50 a month works.' });
    const badge = await find(pane, '[part~=unread]', 'the unread badge to appear live');
    expect(badge.getAttribute('aria-label')).to.equal('1 unread');
    shadow(pane).querySelector<HTMLButtonElement>('[data-thread]')!.click();
    const thread = await find(pane, '[part~=thread] ol li[data-side=agency]');
    expect(thread.textContent).to.contain('$50 a month works');
    await expectAccessible(pane);
  });
});
