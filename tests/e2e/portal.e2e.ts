/**
 * The two composite elements as people use them, in real Chromium at a desktop (1280×800) and a
 * phone (390×844) size: `<ck-client-portal>` on index.html and `<ck-agency-console>` on agency.html,
 * driven by clicks and keys only (the API is called only to set up data). Every view is checked with
 * axe-core and photographed into tests/e2e/screenshots/ (gitignored) for a reviewer to look at.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, type DemoSite } from './harness.js';
import { AC, AGENCY, api, apiLogin, axe, CLIENT, CP, overflowing, SHOTS, SIZES, snap, type Size } from './walk-helpers.js';


/** Finds `selector` (`>>>` through shadow roots), polling (see deepSelector). */
const deep = (page: Page, selector: string, timeout = 20_000) => deepSelector(page, selector, { timeout });

/** The text of the view heading, once it has focus (focus follows sign-in and navigation). */
async function focusedHeading(page: Page, host: string, text: string): Promise<void> {
  await page.waitForFunction(
    (h, t) => {
      const root = document.querySelector(h)?.shadowRoot;
      const active = root?.activeElement;
      return active?.tagName === 'H1' && active.textContent?.trim() === t;
    },
    { timeout: 20_000 },
    host,
    text,
  );
}

async function typeDeep(page: Page, selector: string, text: string): Promise<void> {
  const el = await deep(page, selector);
  await el.click({ count: 3 });
  await el.type(text);
}

async function clickMenu(page: Page, host: string, label: string, size: Size): Promise<void> {
  const link = await page.waitForFunction(
    (h, l) => [...(document.querySelector(h)?.shadowRoot?.querySelectorAll('nav a') ?? [])].find((a) => a.textContent?.trim() === l),
    {},
    host,
    label,
  );
  await (link as ElementHandle<HTMLAnchorElement>).click();
  void size;
}

const shot = (page: Page, size: Size, view: string) => snap(page, `${size.name}-${view}`);

async function viewDone(page: Page, host: string, title: string, size: Size, view: string): Promise<void> {
  await focusedHeading(page, host, title);
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
  expect(await overflowing(page), `nothing wider than the ${size.name} screen on ${view}`).toEqual([]);
  await axe(page, host, `${view} (${size.name})`);
  await shot(page, size, view);
}

let seq = 0;
const placementForm = (tag: string) => ({
  clientAccountNumber: `E2E-${tag}-${Date.now().toString(36).toUpperCase()}-${++seq}`,
  accountType: 'utility',
  serviceDate: '2026-03-01',
  balance: { principalCents: 12_345, interestCents: 0, feesCents: 0 },
  responsible: { firstName: 'Quentin', lastName: `Portaltest${tag}${'abcdefghijklmnop'[seq]}`, dob: '1980-02-03', address: { address1: '1 Main St', city: 'Portland', state: 'OR', zip: '97205' } },
});

describe.each(SIZES)('client portal and agency console at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    site = await startDemoSite({ accounts: 60 });
    page = await site.newPage();
    await page.setViewport({ width: size.width, height: size.height });
    await page.setBypassCSP(true); // to add axe-core's script
  });
  afterAll(() => site.close());

  it('client: sign in, search and page, open an account and its tabs, deep link and back, every menu area, user menu, sign out', async () => {
    onTestFailed(async () => console.error(`[portal e2e] ${await explain(page, [CP])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await deep(page, `${CP} >>> ck-login >>> #username`);
    await axe(page, CP, 'signed out');
    await shot(page, size, 'client-signed-out');

    await typeDeep(page, `${CP} >>> ck-login >>> #username`, 'demo.client');
    await typeDeep(page, `${CP} >>> ck-login >>> #password`, 'Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    // focus moves to the new view's heading; the URL names the view
    await viewDone(page, CP, 'Accounts', size, 'client-accounts');
    expect(await page.evaluate(() => location.hash)).toBe('');

    // search by name, then page through the results
    await deep(page, `${CP} >>> ck-account-search >>> tr[data-id]`);
    const next = await deep(page, `${CP} >>> ck-account-search >>> [data-page=next]`);
    await next.click();
    await page.waitForFunction((h) => {
      const s = document.querySelector(h)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot;
      return s?.textContent?.includes('11') ?? false;
    }, {}, CP);
    const firstName = await page.$eval(`${CP} >>> ck-account-search >>> td[data-field=name]`, (td) => td.textContent!.trim());
    const surname = firstName.split(/[ ,]/)[0]!;
    await typeDeep(page, `${CP} >>> ck-account-search >>> #name`, surname.toLowerCase());
    await page.keyboard.press('Enter');
    await page.waitForFunction((h, s) => {
      const root = document.querySelector(h)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot;
      const names = [...(root?.querySelectorAll('td[data-field=name]') ?? [])].map((td) => td.textContent ?? '');
      return names.length > 0 && names.every((n) => n.startsWith(s));
    }, {}, CP, surname);

    // the results are brought into view (on a phone the form alone fills the screen)
    const row = await deep(page, `${CP} >>> ck-account-search >>> tr[data-id]`);
    await page.waitForFunction((h) => {
      const tr = document.querySelector(h)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot?.querySelector('tr[data-id]');
      const r = tr?.getBoundingClientRect();
      return r && r.top >= 0 && r.bottom <= innerHeight;
    }, { timeout: 5_000 }, CP);
    // open an account: a deep link in the URL, the pane with every tab
    const accountId = await row.evaluate((tr) => tr.getAttribute('data-id')!);
    await row.click();
    await viewDone(page, CP, 'Account', size, 'client-account');
    expect(await page.evaluate(() => location.hash)).toBe(`#/accounts/${accountId}`);
    await deep(page, `${CP} >>> ck-account-pane >>> header[part=header] h2`);
    for (const tab of ['parties', 'payments', 'messages', 'attachments', 'activity']) {
      await (await deep(page, `${CP} >>> ck-account-pane >>> #tab-${tab}`)).click();
      await page.waitForFunction((h, t) => document.querySelector(h)?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector(`#tab-${t}`)?.getAttribute('aria-selected') === 'true', {}, CP, tab);
    }
    await axe(page, CP, `account tabs (${size.name})`);

    // report a direct payment from the Payments tab
    await (await deep(page, `${CP} >>> ck-account-pane >>> #tab-payments`)).click();
    await (await deep(page, `${CP} >>> ck-account-pane >>> [data-action=ledger-payment]`)).click();
    await typeDeep(page, `${CP} >>> ck-account-pane >>> ck-account-functions >>> dialog input[name=amount]`, '12.34');
    await page.select(`${CP} >>> ck-account-pane >>> ck-account-functions >>> dialog select[name=method]`, 'check');
    await axe(page, CP, `payment dialog (${size.name})`);
    await shot(page, size, 'client-payment-dialog');
    await (await deep(page, `${CP} >>> ck-account-pane >>> ck-account-functions >>> dialog button[type=submit]`)).click();
    await page.waitForFunction((h) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelectorAll('table[part=payments] tbody tr') ?? [])]
      .some((tr) => tr.textContent?.includes('$12.34')), { timeout: 20_000 }, CP);
    const paid = await site.db('transactions').join('accounts', 'accounts.id', 'transactions.account_id').where('accounts.public_id', accountId).whereIn('transactions.amount_cents', [1234, -1234]).count({ n: '*' });
    expect(Number(paid[0]!.n)).toBe(1);

    // the Account functions menu stays inside the viewport (it was clipped by the pane)
    await (await deep(page, `${CP} >>> ck-account-pane >>> ck-account-functions >>> [part~=trigger]`)).click();
    await deep(page, `${CP} >>> ck-account-pane >>> ck-account-functions >>> [role=menuitem]`);
    const box = await page.$eval(`${CP} >>> ck-account-pane >>> ck-account-functions >>> [part~=menu]`, (m) => {
      const r = m.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: innerWidth, h: innerHeight, scrolls: m.scrollHeight > m.clientHeight };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.h);
    expect(box.right).toBeLessThanOrEqual(box.w);
    await shot(page, size, 'client-account-functions');
    await page.keyboard.press('Escape');

    // the back button returns to the results as they were, the paid account's balance updated live
    await page.goBack();
    await focusedHeading(page, CP, 'Accounts');
    const dbBalance = await site.db('accounts').where({ public_id: accountId }).first('balance_cents');
    const dollars = (Number(dbBalance.balanceCents) / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    await page.waitForFunction((h, id, d) => document.querySelector(h)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot
      ?.querySelector(`tr[data-id="${id}"] [data-field=balance]`)?.textContent?.trim() === d, { timeout: 10_000 }, CP, accountId, dollars);
    expect(await page.$eval(`${CP} >>> ck-account-search`, (el) => (el as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval(`${CP} >>> ck-account-search >>> #name`, (el) => (el as HTMLInputElement).value)).toBe(surname.toLowerCase());

    // every area of the menu, each with its own URL
    for (const [label, title, hash, view] of [
      ['Messages', 'Messages', '#/messages', 'client-messages'],
      ['Reports', 'Reports', '#/reports', 'client-reports'],
      ['Collaboration Center', 'Collaboration Center', '#/collab', 'client-collab'],
      ['Place accounts', 'Place accounts', '#/place', 'client-place'],
    ] as const) {
      await clickMenu(page, CP, label, size);
      await viewDone(page, CP, title, size, view);
      expect(await page.evaluate(() => location.hash)).toBe(hash);
    }

    // a deep link survives a reload (the session is kept in this tab)
    await page.goto(`${site.url}/#/reports`, { waitUntil: 'networkidle0' });
    await deep(page, `${CP} >>> ck-report-viewer`);

    // the user menu: its three pages, then sign out
    for (const [label, title, view] of [
      ['Edit my info', 'Edit my info', 'client-profile'],
      ['Change password', 'Change password', 'client-password'],
      ['Two-step sign-in', 'Two-step sign-in', 'client-two-step'],
    ] as const) {
      await (await deep(page, `${CP} >>> #user-button`)).click();
      const item = await page.waitForFunction(
        (h, l) => [...(document.querySelector(h)?.shadowRoot?.querySelectorAll('#user-menu a') ?? [])].find((a) => a.textContent?.trim() === l && (a as HTMLElement).offsetParent),
        {}, CP, label,
      );
      await (item as ElementHandle<HTMLAnchorElement>).click();
      await viewDone(page, CP, title, size, view);
    }
    await deep(page, `${CP} >>> ck-user-settings >>> [data-field=mfa-status]`);

    await (await deep(page, `${CP} >>> #user-button`)).click();
    await (await deep(page, `${CP} >>> [data-action=sign-out]`, 5_000)).click();
    await focusedHeading(page, CP, 'Sign in to your client portal');
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });

  it('agency: accept and reject placements (the client then finds the accepted account), resolve a dispute, create a payment link, create a user, read the audit trail, sign out', async () => {
    onTestFailed(async () => console.error(`[console e2e] ${await explain(page, ['ck-payment-link', AC])}`));
    // data to work on: two placements by the client, a dispute on an account
    const clientToken = await apiLogin(site, CLIENT);
    const accept = await api<{ placement: { id: string } }>(site, clientToken, '/placements', placementForm('A'));
    const reject = await api<{ placement: { id: string } }>(site, clientToken, '/placements', placementForm('R'));
    const agencyToken = await apiLogin(site, AGENCY);
    const someAccount = (await api<{ data: { id: string; status: string }[] }>(site, agencyToken, '/accounts?status=active&pageSize=5')).data[0]!;
    await api(site, agencyToken, `/accounts/${someAccount.id}/disputes`, { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', reason: 'E2E: the debtor says this is not their debt.' });

    await page.goto(`${site.url}/agency.html`, { waitUntil: 'networkidle0' });
    await deep(page, `${AC} >>> ck-login >>> #username`);
    await axe(page, AC, 'console signed out');
    await shot(page, size, 'agency-signed-out');
    await typeDeep(page, `${AC} >>> ck-login >>> #username`, 'demo.agency');
    await typeDeep(page, `${AC} >>> ck-login >>> #password`, 'Northwind-Admin-2026!');
    await page.keyboard.press('Enter');
    await viewDone(page, AC, 'Inbox', size, 'agency-inbox');

    // resolve the dispute from the inbox
    // the seed has disputes of its own: resolve the one just raised, found by its account number
    const { agencyAccountNumber } = await site.db('accounts').where({ public_id: someAccount.id }).first('agency_account_number');
    const taskId = (await page.waitForFunction((h, n) => {
      const li = [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-inbox')?.shadowRoot?.querySelectorAll('li[data-kind=dispute]') ?? [])].find((l) => l.textContent?.includes(n));
      return li?.getAttribute('data-id');
    }, { timeout: 20_000 }, AC, agencyAccountNumber as string).then((h) => h.jsonValue())) as string;
    const resolve = await deep(page, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] [data-action=resolve]`);
    await resolve.click();
    await typeDeep(page, `${AC} >>> ck-inbox >>> #resolve-${taskId}`, 'Validation notice and the original bill sent by mail.');
    await page.keyboard.press('Tab');
    await (await deep(page, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] form button[type=submit]`)).click();
    await page.waitForFunction((h, id) => !document.querySelector(h)?.shadowRoot?.querySelector('ck-inbox')?.shadowRoot?.querySelector(`[data-id="${id}"]`), {}, AC, taskId);
    expect(await site.db('accounts').where({ public_id: someAccount.id }).first('status')).toEqual({ status: someAccount.status });

    // placement review: accept one, reject the other with a reason
    await clickMenu(page, AC, 'Placement review', size);
    await viewDone(page, AC, 'Placement review', size, 'agency-placements');
    await (await deep(page, `${AC} >>> ck-placement-review >>> #sel-${accept.placement.id}`)).click();
    await (await deep(page, `${AC} >>> ck-placement-review >>> [data-action=accept]`)).click();
    await page.waitForFunction((h, id) => !document.querySelector(h)?.shadowRoot?.querySelector('ck-placement-review')?.shadowRoot?.querySelector(`tr[data-id="${id}"]`), {}, AC, accept.placement.id);
    await (await deep(page, `${AC} >>> ck-placement-review >>> #sel-${reject.placement.id}`)).click();
    await (await deep(page, `${AC} >>> ck-placement-review >>> [data-action=reject]`)).click();
    // no reason: the field says so and takes focus
    await page.waitForFunction((h) => document.querySelector(h)?.shadowRoot?.querySelector('ck-placement-review')?.shadowRoot?.querySelector('#reason-error')?.textContent?.includes('reason'), {}, AC);
    await page.keyboard.type('Out of statute.');
    await (await deep(page, `${AC} >>> ck-placement-review >>> [data-action=reject]`)).click();
    await page.waitForFunction((h, id) => !document.querySelector(h)?.shadowRoot?.querySelector('ck-placement-review')?.shadowRoot?.querySelector(`tr[data-id="${id}"]`), {}, AC, reject.placement.id);
    const decided = await site.db('placements').whereIn('public_id', [accept.placement.id, reject.placement.id]).select('public_id', 'status', 'reject_reason');
    expect(Object.fromEntries(decided.map((p: { publicId: string; status: string }) => [p.publicId, p.status]))).toEqual({ [accept.placement.id]: 'accepted', [reject.placement.id]: 'rejected' });

    // a payment link, sent by email
    await clickMenu(page, AC, 'Payment links', size);
    await viewDone(page, AC, 'Payment links', size, 'agency-links');
    await typeDeep(page, `${AC} >>> ck-payment-link >>> #accountId`, someAccount.id);
    await page.select(`${AC} >>> ck-payment-link >>> #send`, 'email');
    await (await deep(page, `${AC} >>> ck-payment-link >>> button[type=submit]`)).click();
    const link = await deep(page, `${AC} >>> ck-payment-link >>> [data-field=link]`);
    expect(await link.evaluate((el) => el.textContent)).toContain('/pay');

    // a new user
    await clickMenu(page, AC, 'Users', size);
    await viewDone(page, AC, 'Users', size, 'agency-users');
    await (await deep(page, `${AC} >>> ck-user-admin >>> [data-action=new]`)).click();
    const username = `e2e.${size.name}.${Date.now().toString(36)}`;
    await typeDeep(page, `${AC} >>> ck-user-admin >>> #new-firstName`, 'Erin');
    await typeDeep(page, `${AC} >>> ck-user-admin >>> #new-lastName`, 'Tester');
    await typeDeep(page, `${AC} >>> ck-user-admin >>> #new-username`, username);
    await typeDeep(page, `${AC} >>> ck-user-admin >>> #new-email`, `${username}@example.com`);
    // the first role offered is a client role: the user works for one client
    const firstClient = await page.$(`${AC} >>> ck-user-admin >>> form.create input[name=clientIds]`);
    if (firstClient) await firstClient.click();
    await (await deep(page, `${AC} >>> ck-user-admin >>> form.create button[type=submit]`)).click();
    await page.waitForFunction((h, u) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-user-admin')?.shadowRoot?.querySelectorAll('tr[data-user]') ?? [])]
      .some((tr) => tr.getAttribute('data-user') === u), { timeout: 20_000 }, AC, username);
    expect(await site.db('users').where({ username }).first('status')).toMatchObject({ status: 'active' });
    await axe(page, AC, `user created (${size.name})`);

    // the audit trail shows the review, filtered by action
    await clickMenu(page, AC, 'Audit trail', size);
    await viewDone(page, AC, 'Audit trail', size, 'agency-audit');
    await typeDeep(page, `${AC} >>> ck-audit-trail >>> #f-action`, 'placement.accept');
    await page.keyboard.press('Enter');
    await page.waitForFunction((h) => {
      const rows = [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-audit-trail')?.shadowRoot?.querySelectorAll('tbody tr') ?? [])];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-action') === 'placement.accept');
    }, {}, AC);
    await (await deep(page, `${AC} >>> ck-audit-trail >>> [data-action=verify]`)).click();
    await page.waitForFunction((h) => document.querySelector(h)?.shadowRoot?.querySelector('ck-audit-trail')?.shadowRoot?.querySelector('[data-field=chain]')?.textContent?.includes('chain'), {}, AC);

    // sign out
    await (await deep(page, `${AC} >>> #user-button`)).click();
    await (await deep(page, `${AC} >>> [data-action=sign-out]`, 5_000)).click();
    await focusedHeading(page, AC, 'Agency staff sign-in');

    // the client finds the accepted account in the client portal
    const accepted = await site.db('placements').where({ public_id: accept.placement.id }).first('account_id');
    const account = await site.db('accounts').where({ id: accepted.accountId }).first('public_id', 'agency_account_number', 'debtor_name');
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await typeDeep(page, `${CP} >>> ck-login >>> #username`, 'demo.client');
    await typeDeep(page, `${CP} >>> ck-login >>> #password`, 'Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    await focusedHeading(page, CP, 'Accounts');
    await typeDeep(page, `${CP} >>> ck-account-search >>> #agencyAccountNumber`, account.agencyAccountNumber);
    await page.keyboard.press('Enter');
    await deep(page, `${CP} >>> ck-account-search >>> tr[data-id="${account.publicId}"]`);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
