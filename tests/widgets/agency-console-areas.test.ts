/**
 * The console's money and integration areas on the real API: Offers (make, change, withdraw; pay
 * settings), Plans (see the instalments, cancel with a confirmation), Integrations (an API key shown
 * once and revoked; a webhook whose delivery appears in its log, redelivered) and Schedules (Run
 * now, its progress, the snapshot opened) — and what a staff user without those permissions sees.
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAgencyConsole } from '../../widgets/agency-console/agency-console.js';
import { API, DEMO, STAFF, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';
import { otherUser, type OtherUser } from './other-user.js';

const START = location.href;
const DAY = 86_400_000;
const isoDay = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

async function open(route: string, title: string): Promise<CkAgencyConsole> {
  const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
  await find(el, `nav a[data-route="${route}"]`);
  shadow(el).querySelector<HTMLAnchorElement>(`nav a[data-route="${route}"]`)!.click();
  await waitUntil(() => shadow(el).activeElement?.textContent?.trim() === title, `the ${title} heading`, { timeout: 10000 });
  return el;
}

/** Confirms the open confirmation dialog of `host`. */
async function confirm(host: Element, reason?: string): Promise<void> {
  const dialog = await find<HTMLDialogElement>(host, 'dialog.confirm[open]');
  if (reason !== undefined) dialog.querySelector('input')!.value = reason;
  dialog.querySelector<HTMLButtonElement>('[data-action=confirm]')!.click();
}

/** An account with a balance, no plan and no open offer (a fresh one each call). */
async function payableAccount(agency: OtherUser, skip: Set<string>): Promise<{ id: string; agencyAccountNumber: string }> {
  const page = await agency.call<{ data: { id: string; agencyAccountNumber: string; balance: { amountCents: number } }[] }>('GET', '/accounts?status=active&pageSize=100');
  const a = page.data.find((r) => r.balance.amountCents > 20_000 && !skip.has(r.id))!;
  skip.add(a.id);
  return a;
}

/** A debtor takes a 3-instalment plan offer on the account (the way the pay form does). */
async function acceptedPlan(agency: OtherUser, accountId: string): Promise<string> {
  const offer = await agency.call<{ id: string }>('POST', `/agency/accounts/${accountId}/offers`, { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: isoDay(14) });
  const link = await agency.call<{ token: string }>('POST', `/agency/accounts/${accountId}/payment-links`, {});
  const post = async <T>(path: string, token: string | null, body: unknown): Promise<T> => {
    const res = await fetch(`${API}/api/v1${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { token } = await post<{ token: string }>('/pay/session/link', null, { linkToken: link.token });
  const card = await post<{ id: string }>('/pay/methods', token, { kind: 'card', number: '4242 4242 4242 4242', expMonth: 12, expYear: new Date().getUTCFullYear() + 4, cvc: '123' });
  const preview = await post<{ agreement: { textHash: string } }>(`/pay/offers/${offer.id}/preview`, token, { paymentMethodId: card.id });
  const accepted = await post<{ planId: string }>(`/pay/offers/${offer.id}/accept`, token, { paymentMethodId: card.id, agreement: { typedName: 'Pat Debtor', textHash: preview.agreement.textHash } });
  return accepted.planId;
}

describe('ck-agency-console: offers, plans, integrations, schedules', () => {
  const used = new Set<string>();
  afterEach(async () => {
    await signOut();
    history.replaceState(null, '', START);
  });

  it('offers: make a settlement offer, change it, withdraw it after a confirmation; pay settings save the contact-review step', async () => {
    const agency = await otherUser(DEMO.agency);
    const account = await payableAccount(agency, used);
    await signIn(DEMO.agency);
    const el = await open('offers', 'Offers and pay settings');
    const offers = await find(el, 'ck-offer-manager');
    await find(offers, 'form[part=form]');
    await expectAccessible(el);
    // nothing typed: the account is asked for
    shadow(offers).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    await waitUntil(() => shadow(offers).querySelector('#offerAccount-error')!.textContent!.includes('account'), 'the account to be asked for');
    type(offers, 'offerAccount', account.id);
    type(offers, 'percent', '60');
    type(offers, 'payBy', isoDay(10));
    shadow(offers).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    await waitUntil(() => shadow(offers).querySelector('[data-field=message]')!.textContent!.includes('settlement offer'), 'the offer to be made', { timeout: 10000 });
    const row = await find(offers, `tbody tr[data-status=open]`);
    expect(row.textContent).to.contain(account.agencyAccountNumber);
    const id = row.getAttribute('data-id')!;

    row.querySelector<HTMLButtonElement>('[data-action=edit]')!.click();
    await waitUntil(() => shadow(offers).activeElement?.id === 'offer-form-title', 'focus on the edit form');
    type(offers, 'percent', '50');
    shadow(offers).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    await waitUntil(() => shadow(offers).querySelector('[data-field=message]')!.textContent!.includes('changed'), 'the change to be saved', { timeout: 10000 });
    const listed = await agency.call<{ data: { id: string; percent: number }[] }>('GET', `/agency/offers?accountId=${account.id}`);
    expect(listed.data.find((o) => o.id === id)!.percent).to.equal(50);

    (await find(offers, `tr[data-id="${id}"] [data-action=withdraw]`)).click();
    await expectAccessible(el);
    await confirm(offers);
    await waitUntil(() => shadow(offers).querySelector(`tr[data-id="${id}"]`)?.getAttribute('data-status') === 'withdrawn', 'the offer to be withdrawn', { timeout: 10000 });

    const settings = await find(el, 'ck-pay-settings');
    const box = await find<HTMLInputElement>(settings, 'input[name=contactReviewStep]');
    const was = box.checked;
    box.click();
    shadow(settings).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(settings).querySelector('[data-field=saved]')!.textContent === 'Pay settings saved.', 'the settings to be saved', { timeout: 10000 });
    expect((await agency.call<{ contactReviewStep: boolean }>('GET', '/agency/pay-settings')).contactReviewStep).to.equal(!was);
    await agency.call('PUT', '/agency/pay-settings', { contactReviewStep: was });
  });

  it('plans: the instalments with their statuses, filtered by account; pause and resume; cancel after a confirmation with a reason', async () => {
    const agency = await otherUser(DEMO.agency);
    const account = await payableAccount(agency, used);
    const planId = await acceptedPlan(agency, account.id);
    await signIn(DEMO.agency);
    const el = await open('plans', 'Payment plans');
    const plans = await find(el, 'ck-plan-list');
    type(plans, 'accountId', account.id);
    shadow(plans).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    const row = await find(plans, `tr[data-id="${planId}"]`);
    await waitUntil(() => shadow(plans).querySelectorAll('tbody tr').length === 1, 'one plan');
    expect([...row.querySelectorAll('li.inst')].map((li) => li.getAttribute('data-status'))).to.deep.equal(['paid', 'pending', 'pending']);
    await expectAccessible(el);

    // pause, then resume
    row.querySelector<HTMLButtonElement>('[data-action=pause]')!.click();
    await waitUntil(() => shadow(plans).querySelector(`tr[data-id="${planId}"]`)?.getAttribute('data-status') === 'paused', 'the plan to be paused', { timeout: 10000 });
    expect(shadow(plans).querySelector('[data-field=message]')!.textContent).to.contain('paused');
    shadow(plans).querySelector<HTMLButtonElement>(`tr[data-id="${planId}"] [data-action=resume]`)!.click();
    await waitUntil(() => shadow(plans).querySelector(`tr[data-id="${planId}"]`)?.getAttribute('data-status') === 'active', 'the plan to be resumed', { timeout: 10000 });

    row.querySelector<HTMLButtonElement>('[data-action=cancel]')!.click();
    const dialog = await find<HTMLDialogElement>(plans, 'dialog.confirm[open]');
    expect(dialog.textContent).to.contain('stop and the debtor is told');
    await expectAccessible(el);
    // "Keep it" changes nothing
    dialog.querySelector<HTMLButtonElement>('[data-action=confirm-cancel]')!.click();
    expect(dialog.open).to.equal(false);
    row.querySelector<HTMLButtonElement>('[data-action=cancel]')!.click();
    await confirm(plans, 'Debtor asked by phone.');
    await waitUntil(() => shadow(plans).querySelector(`tr[data-id="${planId}"]`)?.getAttribute('data-status') === 'cancelled', 'the plan to be cancelled', { timeout: 10000 });
    expect(shadow(plans).querySelector(`tr[data-id="${planId}"]`)!.textContent).to.contain('Debtor asked by phone.');
  });

  it('integrations: an API key shown once and revoked; a webhook whose delivery appears in its log and is sent again', async () => {
    await signIn(DEMO.agency);
    const el = await open('integrations', 'Integrations');
    const keys = await find(el, 'ck-api-keys');
    await find(keys, 'form[part=form]');
    await expectAccessible(el);
    const name = `Widget test ${Date.now().toString(36)}`;
    type(keys, 'keyName', name);
    shadow(keys).querySelector<HTMLInputElement>('input[value="events:read"]')!.click();
    shadow(keys).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    const secret = await find<HTMLInputElement>(keys, '[data-field=secret]');
    expect(secret.value).to.match(/^ck_int_/);
    await waitUntil(() => shadow(keys).activeElement?.getAttribute('part') === 'secret', 'focus on the new key');
    // other tests may have made keys too: this one's row is the one with its name
    const ownRow = () => [...shadow(keys).querySelectorAll('tbody tr')].find((r) => r.textContent!.includes(name));
    await waitUntil(ownRow, 'the new key in the list');
    const id = ownRow()!.getAttribute('data-id');
    shadow(keys).querySelector<HTMLButtonElement>('[data-action=done]')!.click();
    await waitUntil(() => !shadow(keys).querySelector('[data-field=secret]'), 'the key to be gone from the page');
    ownRow()!.querySelector<HTMLButtonElement>('[data-action=revoke]')!.click();
    await confirm(keys);
    await waitUntil(() => shadow(keys).querySelector(`tr[data-id="${id}"] [data-field=status]`)!.textContent!.startsWith('Revoked'), 'the key to be revoked', { timeout: 10000 });

    // a webhook to this API's own health route (it answers POST with an error code, which the log shows)
    const hooks = await find(el, 'ck-webhooks');
    type(hooks, 'hookUrl', `${API}/api/v1/health?widget-test=${Date.now()}`);
    shadow(hooks).querySelector<HTMLInputElement>('input[value="account.*"]')!.click();
    shadow(hooks).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    expect((await find<HTMLInputElement>(hooks, '[data-field=secret]')).value).to.match(/^whsec_/);
    const hook = await find(hooks, 'tbody tr');
    hook.querySelector<HTMLButtonElement>('[data-action=log]')!.click();
    const log = await find(hooks, 'ck-webhook-deliveries');
    await find(log, '[data-field=empty]');
    await expectAccessible(el);
    // an event: the client adds a note to one of its accounts
    const client = await otherUser(DEMO.client);
    const acct = (await client.call<{ data: { id: string }[] }>('GET', '/accounts?pageSize=1')).data[0]!;
    await client.call('POST', `/accounts/${acct.id}/notes`, { body: 'A note for the webhook test.' });
    const delivery = await find(log, 'tbody tr', 'a delivery in the log');
    await waitUntil(() => Number(shadow(log).querySelector('tbody tr [data-field=attempts]')!.textContent) >= 1, 'an attempt', { timeout: 15000 });
    expect(delivery.querySelector('code')!.textContent).to.equal('account.note_added');
    expect(shadow(log).querySelector('tbody tr [data-field=code]')!.textContent).to.match(/HTTP \d{3}/);
    delivery.querySelector<HTMLButtonElement>('[data-action=redeliver]')!.click();
    await waitUntil(() => Number(shadow(log).querySelector('tbody tr [data-field=attempts]')!.textContent) >= 2, 'a second attempt', { timeout: 15000 });
    await expectAccessible(el);
  });

  it('schedules: create one, Run now shows progress and then opens the snapshot', async () => {
    await signIn(DEMO.agency);
    const el = await open('report-schedules', 'Report schedules');
    const schedules = await find(el, 'ck-report-schedules');
    await find(schedules, '#report option');
    await expectAccessible(el);
    type(schedules, 'report', 'status');
    shadow(schedules).querySelector<HTMLButtonElement>('form[part=form] button[type=submit]')!.click();
    await waitUntil(() => shadow(schedules).querySelector('[data-field=message]')!.textContent!.includes('scheduled'), 'the schedule', { timeout: 10000 });
    const row = await find(schedules, 'tbody tr:last-child');
    row.querySelector<HTMLButtonElement>('[data-action=run-now]')!.click();
    await find(schedules, `tr[data-id="${row.getAttribute('data-id')}"] [data-field=run]`);
    const link = await find<HTMLAnchorElement>(schedules, `tr[data-id="${row.getAttribute('data-id')}"] [data-action=open-snapshot]`);
    await expectAccessible(el);
    link.click();
    await waitUntil(() => shadow(el).activeElement?.textContent?.trim() === 'Snapshot', 'the snapshot view', { timeout: 10000 });
    const view = await find(el, 'ck-snapshot-view');
    await find(view, '[data-field=snapshot-title]');
    expect(shadow(view).querySelector('[data-format=csv]')).to.not.equal(null);
    await expectAccessible(el);
  });

  it('staff: offers and plans, schedules without Run now, no integrations', async () => {
    await signIn(STAFF);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'nav a[data-route=offers]');
    const menu = [...shadow(el).querySelectorAll('nav a')].map((a) => a.getAttribute('data-route'));
    expect(menu).to.include.members(['offers', 'plans', 'report-schedules']);
    expect(menu).to.not.include('integrations');
    el.navigate('report-schedules');
    const schedules = await find(el, 'ck-report-schedules');
    await find(schedules, 'tbody tr');
    expect(shadow(schedules).querySelector('[data-action=run-now]')).to.equal(null);
    expect(shadow(schedules).querySelector('form[part=form]')).to.equal(null);
    el.navigate('offers');
    await find(el, 'ck-offer-manager');
    expect(shadow(el).querySelector('ck-pay-settings')).to.equal(null);
  });
});
