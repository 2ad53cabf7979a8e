import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkInbox } from '../../widgets/inbox/inbox.js';
import type { AccountPage, ActivityPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { otherUser } from './other-user.js';

async function mount(): Promise<CkInbox> {
  await signIn(DEMO.agency);
  const portal = await fixture(html`<ck-portal api=${API}><ck-inbox></ck-inbox></ck-portal>`);
  const el = portal.querySelector('ck-inbox')!;
  await find(el, '[part~=list], [data-field=empty]', 'the inbox to load');
  return el;
}

const taskTitled = (el: CkInbox, text: string) => [...shadow(el).querySelectorAll<HTMLElement>('[part~=task]')].find((t) => t.querySelector('h3')!.textContent!.includes(text));

describe('ck-inbox', () => {
  afterEach(signOut);

  it('is accessible and tells client users it is not for them', async () => {
    const el = await mount();
    await expectAccessible(el);
    await signIn(DEMO.client);
    const portal = await fixture(html`<ck-portal api=${API}><ck-inbox></ck-inbox></ck-portal>`);
    const clientInbox = portal.querySelector('ck-inbox')!;
    await clientInbox.updateComplete;
    expect(shadow(clientInbox).textContent).to.contain('agency account');
  });

  it('a client note appears live; staff claim it, reply and mark it done', async () => {
    const el = await mount();
    await waitUntil(() => el.live, 'the live stream', { timeout: 10000 });
    const client = await otherUser(DEMO.client);
    const page = await client.call<AccountPage>('GET', '/accounts?status=active&pageSize=5&page=7&sort=accountNumber');
    const account = page.data[0]!;
    const text = `Widget test note ${Date.now()}`;
    await client.call('POST', `/accounts/${account.id}/notes`, { body: text });
    await waitUntil(() => taskTitled(el, text), 'the new task to appear without reload', { timeout: 10000 });
    expect(shadow(el).querySelector('[role=status][aria-live=polite]')!.textContent).to.contain(text);
    let task = taskTitled(el, text)!;
    expect(task.dataset.kind).to.equal('client_note');
    expect(task.textContent).to.contain(account.debtorName);
    task.querySelector<HTMLButtonElement>('[data-action=claim]')!.click();
    await waitUntil(() => taskTitled(el, text)?.querySelector('[data-field=assignee]')?.textContent === 'You have this', 'claimed');
    task = taskTitled(el, text)!;
    task.querySelector<HTMLButtonElement>('[data-action=reply]')!.click();
    const textarea = await find<HTMLTextAreaElement>(el, `#reply-${task.dataset.id}`);
    await waitUntil(() => shadow(el).activeElement === textarea, 'focus in the reply box');
    textarea.value = 'Thanks — we called the debtor today.';
    textarea.closest('form')!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => !taskTitled(el, text), 'the done task to leave the open list', { timeout: 10000 });
    const activity = await client.call<ActivityPage>('GET', `/accounts/${account.id}/activity`);
    expect(activity.data[0]!.body).to.equal('Thanks — we called the debtor today.');
    // the Done filter shows it
    const status = shadow(el).querySelector<HTMLSelectElement>('[name=status]')!;
    status.value = 'done';
    status.dispatchEvent(new Event('change'));
    await waitUntil(() => taskTitled(el, text), 'the task under Done', { timeout: 10000 });
    await expectAccessible(el);
  });

  it('a note holding a long link wraps inside a phone-wide inbox instead of widening it', async () => {
    const client = await otherUser(DEMO.client);
    const page = await client.call<AccountPage>('GET', '/accounts?status=active&pageSize=5&page=8&sort=accountNumber');
    const marker = `Widelink${Date.now()}`;
    await client.call('POST', `/accounts/${page.data[0]!.id}/notes`, { body: `${marker}: https://billing.example.com/statements/2026/11/customer/00012345/invoice-0987654321-details-and-payments` });
    await signIn(DEMO.agency);
    const portal = await fixture(html`<div style="width: 343px"><ck-portal api=${API}><ck-inbox></ck-inbox></ck-portal></div>`);
    const el = portal.querySelector('ck-inbox')!;
    await waitUntil(() => taskTitled(el, marker), 'the note in the inbox', { timeout: 10000 });
    // the inbox kept its width; before, it grew to the link's length (1,227 px on a 390 px phone)
    expect(el.getBoundingClientRect().width).to.be.at.most(343);
    const task = taskTitled(el, marker)!;
    expect(task.scrollWidth, 'the task does not overflow').to.be.at.most(task.clientWidth);
  });

  it('a dispute answered elsewhere leaves the open list live', async () => {
    const el = await mount();
    await waitUntil(() => el.live, 'the live stream', { timeout: 10000 });
    const client = await otherUser(DEMO.client);
    const page = await client.call<AccountPage>('GET', '/accounts?status=active&pageSize=5&page=9&sort=accountNumber');
    const account = page.data[0]!;
    const dispute = await client.call<{ id: string }>('POST', `/accounts/${account.id}/disputes`, { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' });
    const title = `Dispute on ${account.agencyAccountNumber}`;
    await waitUntil(() => taskTitled(el, title), 'the dispute task to appear without reload', { timeout: 10000 });
    // another agency user answers the dispute (not from this inbox): its task is done here too
    const colleague = await otherUser(DEMO.agency);
    await colleague.call('POST', `/agency/disputes/${dispute.id}/resolve`, { resolution: 'Verification mailed.' });
    await waitUntil(() => !taskTitled(el, title), 'the answered dispute to leave the open list without reload', { timeout: 10000 });
    await expectAccessible(el);
  });

  it('choosing a task\'s account fires ck-account-select', async () => {
    const client = await otherUser(DEMO.client);
    const page = await client.call<AccountPage>('GET', '/accounts?status=active&pageSize=5&page=7&sort=accountNumber');
    const text = `Select test ${Date.now()}`;
    await client.call('POST', `/accounts/${page.data[1]!.id}/notes`, { body: text });
    const el = await mount();
    const link = (await waitUntil(() => taskTitled(el, text), 'the task', { timeout: 10000 }), taskTitled(el, text)!.querySelector<HTMLButtonElement>('.link')!);
    const got = new Promise<string>((resolve) => el.addEventListener('ck-account-select', (e) => resolve(e.detail.accountId), { once: true }));
    link.click();
    expect(await got).to.equal(page.data[1]!.id);
  });
});
