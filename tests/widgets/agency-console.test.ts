import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAgencyConsole } from '../../widgets/agency-console/agency-console.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';
import { otherUser } from './other-user.js';

const START = location.href;

async function focusedHeading(el: Element, text: string): Promise<void> {
  await waitUntil(() => {
    const active = shadow(el).activeElement;
    return active?.tagName === 'H1' && active.textContent?.trim() === text;
  }, `focus on the “${text}” heading`, { timeout: 10000 });
}

let seq = 0;
const placement = () => ({
  clientAccountNumber: `WT-CONSOLE-${Date.now().toString(36)}-${++seq}`,
  accountType: 'utility',
  serviceDate: '2026-03-01',
  balance: { principalCents: 10_000, interestCents: 0, feesCents: 0 },
  responsible: { firstName: 'Wanda', lastName: `Consoletest${'abcdefghij'[seq]}`, dob: '1980-02-03', address: { address1: '1 Main St', city: 'Portland', state: 'OR', zip: '97205' } },
});

async function go(el: CkAgencyConsole, route: string, title: string): Promise<void> {
  shadow(el).querySelector<HTMLAnchorElement>(`nav a[data-route="${route}"]`)!.click();
  await focusedHeading(el, title);
}

describe('ck-agency-console', () => {
  afterEach(async () => {
    await signOut();
    history.replaceState(null, '', START);
  });

  it('signed out: the staff sign-in, accessible', async () => {
    await signOut();
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(await find(el, 'ck-login'), '#username');
    expect(shadow(el).querySelector('h1')!.textContent).to.equal('Agency staff sign-in');
    await expectAccessible(el);
  });

  it('the inbox area: one “Inbox” heading (the console’s h1), the task list an h2 under it', async () => {
    await signIn(DEMO.agency);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'h1[data-view=inbox]');
    const inbox = await find(el, 'ck-inbox');
    await find(inbox, 'section[part=base] h2');
    const headings = [...shadow(el).querySelectorAll('h1, h2, h3'), ...shadow(inbox).querySelectorAll('h1, h2, h3')];
    expect(headings.filter((h) => h.textContent!.trim() === 'Inbox').map((h) => h.tagName)).to.deep.equal(['H1']);
    const section = shadow(inbox).querySelector('section[part=base]')!;
    expect(shadow(inbox).getElementById(section.getAttribute('aria-labelledby')!)!.tagName).to.equal('H2');
  });

  it('agency staff: every area in the menu, the inbox first; a placement-review task offers review, not “Mark done”', async () => {
    const client = await otherUser(DEMO.client);
    await client.call('POST', '/placements', placement());
    await signIn(DEMO.agency);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'h1[data-view=inbox]');
    expect([...shadow(el).querySelectorAll('nav a')].map((a) => a.textContent!.trim())).to.deep.equal(['Inbox', 'Placement review', 'Payment links', 'Offers', 'Plans', 'Users', 'Audit trail', 'Reports', 'Schedules', 'Integrations']);
    const inbox = await find(el, 'ck-inbox');
    const task = await find(inbox, `[data-kind=placement_review]`);
    expect(task.querySelector('[data-action=close]')).to.equal(null);
    expect(task.querySelector('[data-action=review]')).to.not.equal(null);
    await expectAccessible(el);
    // "Review placement" leads to the review queue
    shadow(inbox).querySelector<HTMLButtonElement>('[data-kind=placement_review] [data-action=review]')!.click();
    await focusedHeading(el, 'Placement review');
    expect(location.hash).to.equal('#/placements');
  });

  it('placement review: accept one, reject with a reason (asked for when missing), accessible', async () => {
    const client = await otherUser(DEMO.client);
    const a = (await client.call<{ placement: { id: string } }>('POST', '/placements', placement())).placement.id;
    const r = (await client.call<{ placement: { id: string } }>('POST', '/placements', placement())).placement.id;
    await signIn(DEMO.agency);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'nav a[data-route=placements]');
    await go(el, 'placements', 'Placement review');
    const review = await find(el, 'ck-placement-review');
    await find(review, `tr[data-id="${a}"]`);
    await expectAccessible(el);

    shadow(review).querySelector<HTMLButtonElement>(`tr[data-id="${a}"] [data-action=accept-one]`)!.click();
    await waitUntil(() => !shadow(review).querySelector(`tr[data-id="${a}"]`), 'the accepted placement to leave the queue', { timeout: 10000 });
    expect(shadow(review).querySelector('[role=status][aria-live=polite]')!.textContent).to.equal('Accepted 1 placement.');
    expect((await client.call<{ status: string }>('GET', `/placements/${a}`)).status).to.equal('accepted');

    const box = shadow(review).querySelector<HTMLInputElement>(`#sel-${r}`)!;
    box.click();
    shadow(review).querySelector<HTMLButtonElement>('[data-action=reject]')!.click();
    await waitUntil(() => shadow(review).querySelector('#reason-error')!.textContent!.includes('reason'), 'a reason is asked for');
    expect(shadow(review).activeElement?.id).to.equal('reason');
    type(review, 'reason', 'Out of statute.');
    shadow(review).querySelector<HTMLButtonElement>('[data-action=reject]')!.click();
    await waitUntil(() => !shadow(review).querySelector(`tr[data-id="${r}"]`), 'the rejected placement to leave the queue', { timeout: 10000 });
    expect(await client.call<{ status: string; rejectReason: string }>('GET', `/placements/${r}`)).to.include({ status: 'rejected', rejectReason: 'Out of statute.' });
  });

  it('audit trail: filtered by action, chain checked, accessible', async () => {
    await signIn(DEMO.agency);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'nav a[data-route=audit]');
    await go(el, 'audit', 'Audit trail');
    const trail = await find(el, 'ck-audit-trail');
    await find(trail, 'tbody tr');
    type(trail, 'action', 'auth.login');
    shadow(trail).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await waitUntil(() => {
      const rows = [...shadow(trail).querySelectorAll('tbody tr')];
      return rows.length > 0 && rows.every((tr) => tr.getAttribute('data-action') === 'auth.login');
    }, 'only sign-ins', { timeout: 10000 });
    shadow(trail).querySelector<HTMLButtonElement>('[data-action=verify]')!.click();
    await waitUntil(() => /chain is (intact|broken)/.test(shadow(trail).querySelector('[data-field=chain]')!.textContent!), 'the chain status', { timeout: 10000 });
    await expectAccessible(el);
  });

  it('a client user is told the console is not for them', async () => {
    await signIn(DEMO.client);
    const el = await fixture<CkAgencyConsole>(html`<ck-agency-console api=${API}></ck-agency-console>`);
    await find(el, 'h1[data-view=denied]');
    expect(shadow(el).textContent).to.contain('cannot use this portal');
    await expectAccessible(el);
  });
});
