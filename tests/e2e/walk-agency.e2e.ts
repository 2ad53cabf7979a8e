/**
 * Issue 19's hand-driven list, the agency basics, at 1280×800 and 390×844, by clicks and keys: client
 * staff record a debtor's dispute on disputes.html (worded about the debtor, the confirmation inside
 * the screen); in the agency console accept one placement and reject another with a reason, resolve
 * that dispute, create a payment link and send it by email, create a user, read the audit trail;
 * then the client finds the accepted account. API calls only place the two accounts.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import {
  AC, AGENCY, CLIENT, CP, SIZES, api, apiLogin, click, clickText, deep, heading, jsErrors, menu, openPage, signIn, signOut, typeIn, view, waitGone, waitText,
} from './walk-helpers.js';

const DF = '#dispute >>>';

describe.each(SIZES)('walk: agency basics at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let disputed: { publicId: string; agencyAccountNumber: string; id: number; status: string };
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 80 });
    ({ page } = await openPage(site, size));
    disputed = await site.db('accounts as a').join('clients as c', 'c.id', 'a.client_id').where({ 'c.code': 'CPL', 'a.status': 'active' })
      .orderBy('a.id', 'desc').first('a.public_id', 'a.agency_account_number', 'a.id', 'a.status');
  });
  afterAll(() => site?.close());

  it('client staff record a dispute the debtor phoned in, in words about the debtor', async () => {
    onTestFailed(async () => console.error(`[walk-agency] ${await explain(page, ['ck-dispute-form', 'ck-account-search'])}`));
    await page.goto(`${site.url}/disputes.html`, { waitUntil: 'load' });
    await typeIn(page, '#login >>> #username', CLIENT.username);
    await typeIn(page, '#login >>> #password', CLIENT.password);
    await page.keyboard.press('Enter');
    await typeIn(page, '#search >>> #agencyAccountNumber', disputed.agencyAccountNumber);
    await page.keyboard.press('Enter');
    await click(page, `#search >>> tr[data-id="${disputed.publicId}"]`);
    const heading2 = await waitText(page, `${DF} #form-heading`, /./);
    // staff record what the debtor said: the form does not speak as the debtor
    expect(heading2).toBe('Record a dispute or a request from the debtor');
    const form = await waitText(page, `${DF} form`, 'The debtor disputes all of this debt');
    expect(form).not.toMatch(/\bI dispute\b|Send me\b|not my debt|What would you like/);
    await view(page, 'main', size, 'agency-01-dispute-form');
    await clickText(page, `${DF}`, 'label.choice', 'The debtor disputes all of this debt');
    await page.select(`${DF} #reasonCode`, 'not_mine');
    await typeIn(page, `${DF} #reason`, 'Phoned in: says the account belongs to a former tenant.');
    await click(page, `${DF} button[type=submit]`);
    const done = await waitText(page, `${DF} [part~=confirmation]`, 'Dispute received');
    expect(done).toContain('The debtor will be sent verification');
    expect(done).not.toMatch(/\byour\b|\byou\b/i);
    // the confirmation box stays inside the screen (it ran out of it)
    const box = await page.$eval(`${DF} [part~=confirmation]`, (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, scroll: el.scrollWidth - el.clientWidth }; });
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(size.width);
    expect(box.scroll).toBeLessThanOrEqual(0);
    await view(page, 'main', size, 'agency-02-dispute-received');
    expect(await site.db('disputes').where({ account_id: disputed.id }).whereNull('resolved_at').first('id')).toBeTruthy();
    await click(page, '#logout');
  });

  it('accepts and rejects placements, resolves the dispute, sends a payment link, creates a user, reads the audit trail', async () => {
    onTestFailed(async () => console.error(`[walk-agency] ${await explain(page, [AC, 'ck-inbox', 'ck-placement-review', 'ck-payment-link', 'ck-user-admin', 'ck-audit-trail'])}`));
    const token = await apiLogin(site, CLIENT);
    const place = (tag: string) => api<{ placement: { id: string } }>(site, token, '/placements', {
      clientAccountNumber: `WALK-${size.name}-${tag}`, accountType: 'utility', serviceDate: '2026-03-01',
      balance: { principalCents: 23_456, interestCents: 0, feesCents: 0 },
      responsible: { firstName: 'Priya', lastName: `Walkplaced${tag}`, dob: '1981-04-05', address: { address1: '9 Elm St', city: 'Eugene', state: 'OR', zip: '97401' } },
    });
    const accept = await place('A');
    const reject = await place('R');

    await page.goto(`${site.url}/agency.html`, { waitUntil: 'load' });
    await signIn(page, AC, AGENCY);
    await heading(page, AC, 'Inbox');
    await view(page, AC, size, 'agency-03-inbox');

    // resolve the dispute recorded above, found in the inbox by its account number
    const taskId = (await page.waitForFunction((h, n) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-inbox')?.shadowRoot?.querySelectorAll('li[data-kind=dispute]') ?? [])]
      .find((l) => l.textContent?.includes(n))?.getAttribute('data-id'), { timeout: 20_000 }, AC, disputed.agencyAccountNumber).then((h) => h.jsonValue())) as string;
    await click(page, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] [data-action=resolve]`);
    await typeIn(page, `${AC} >>> ck-inbox >>> #resolve-${taskId}`, 'Validation notice and the lease sent to the debtor by mail.');
    await view(page, AC, size, 'agency-04-resolve');
    await click(page, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] form button[type=submit]`);
    await waitGone(page, `${AC} >>> ck-inbox >>> [data-id="${taskId}"]`);
    expect(await site.db('disputes').where({ account_id: disputed.id }).whereNull('resolved_at').first('id')).toBeUndefined();

    // placement review: accept one, reject the other (a reason is asked for first)
    await menu(page, AC, 'Placement review');
    await deep(page, `${AC} >>> ck-placement-review >>> #sel-${accept.placement.id}`);
    await view(page, AC, size, 'agency-05-placements');
    await click(page, `${AC} >>> ck-placement-review >>> #sel-${accept.placement.id}`);
    await click(page, `${AC} >>> ck-placement-review >>> [data-action=accept]`);
    await waitGone(page, `${AC} >>> ck-placement-review >>> tr[data-id="${accept.placement.id}"]`);
    await click(page, `${AC} >>> ck-placement-review >>> #sel-${reject.placement.id}`);
    await click(page, `${AC} >>> ck-placement-review >>> [data-action=reject]`);
    await waitText(page, `${AC} >>> ck-placement-review >>> #reason-error`, 'reason');
    await page.keyboard.type('Outside the statute of limitations.');
    await view(page, AC, size, 'agency-06-reject-reason');
    await click(page, `${AC} >>> ck-placement-review >>> [data-action=reject]`);
    await waitGone(page, `${AC} >>> ck-placement-review >>> tr[data-id="${reject.placement.id}"]`);
    const decided = await site.db('placements').whereIn('public_id', [accept.placement.id, reject.placement.id]).select('public_id', 'status');
    expect(Object.fromEntries(decided.map((p: { publicId: string; status: string }) => [p.publicId, p.status]))).toEqual({ [accept.placement.id]: 'accepted', [reject.placement.id]: 'rejected' });

    // a payment link, created and sent by email
    await menu(page, AC, 'Payment links');
    await typeIn(page, `${AC} >>> ck-payment-link >>> #accountId`, disputed.publicId);
    await page.select(`${AC} >>> ck-payment-link >>> #send`, 'email');
    await click(page, `${AC} >>> ck-payment-link >>> button[type=submit]`);
    expect(await waitText(page, `${AC} >>> ck-payment-link >>> [data-field=link]`, '/pay')).toContain('/pay');
    await waitText(page, `${AC} >>> ck-payment-link >>> [data-field=sent]`, 'Sent to');
    await view(page, AC, size, 'agency-07-payment-link');

    // a new user for the client
    await menu(page, AC, 'Users');
    await click(page, `${AC} >>> ck-user-admin >>> [data-action=new]`);
    const username = `walk.user.${size.name}`;
    await typeIn(page, `${AC} >>> ck-user-admin >>> #new-firstName`, 'Wes');
    await typeIn(page, `${AC} >>> ck-user-admin >>> #new-lastName`, 'Walkman');
    await typeIn(page, `${AC} >>> ck-user-admin >>> #new-username`, username);
    await typeIn(page, `${AC} >>> ck-user-admin >>> #new-email`, `${username}@example.com`);
    const firstClient = await page.$(`${AC} >>> ck-user-admin >>> form.create input[name=clientIds]`);
    if (firstClient) await firstClient.click();
    await view(page, AC, size, 'agency-08-new-user');
    await click(page, `${AC} >>> ck-user-admin >>> form.create button[type=submit]`);
    await deep(page, `${AC} >>> ck-user-admin >>> tr[data-user="${username}"]`);
    expect(await site.db('users').where({ username }).first('status')).toMatchObject({ status: 'active' });

    // the audit trail: the acceptance, filtered by action, and the chain checked
    await menu(page, AC, 'Audit trail');
    await typeIn(page, `${AC} >>> ck-audit-trail >>> #f-action`, 'placement.accept');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => {
      const rows = [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-audit-trail')?.shadowRoot?.querySelectorAll('tbody tr') ?? [])];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'placement.accept');
    }, { timeout: 15_000 }, AC);
    await click(page, `${AC} >>> ck-audit-trail >>> [data-action=verify]`);
    await waitText(page, `${AC} >>> ck-audit-trail >>> [data-field=chain]`, 'chain');
    await view(page, AC, size, 'agency-09-audit');
    await signOut(page, AC);

    // the client finds the accepted account
    const placed = await site.db('placements').where({ public_id: accept.placement.id }).first('account_id');
    const account = await site.db('accounts').where({ id: placed.accountId }).first('public_id', 'agency_account_number');
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await typeIn(page, `${CP} >>> ck-account-search >>> #name`, 'walkplaceda');
    await page.keyboard.press('Enter');
    await click(page, `${CP} >>> ck-account-search >>> tr[data-id="${account.publicId}"]`);
    await heading(page, CP, 'Account');
    await waitText(page, `${CP} >>> ck-account-pane >>> header[part=header]`, 'WALKPLACEDA');
    await view(page, CP, size, 'agency-10-client-finds-accepted');
    expect(jsErrors(page)).toEqual([]);
  });
});
