/**
 * Issue 19's hand-driven list, the client's own account and search, at 1280×800 and 390×844, by clicks
 * and keys: first sign-in (confirm the profile, replace the issued password), change the password
 * later, turn on two-step sign-in (the code computed from the secret shown), sign out and back in with
 * the code; then search by name, account number, SSN-4, phone and status and page through the results.
 * axe and an overflow check on every view; screenshots in tests/e2e/screenshots/walk-<size>-*.png.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { createUser } from '../../api/users/users.service.js';
import { testConfig } from '../../api/config.js';
import { totpCode } from '../../api/platform/auth/totp.js';
import { CLIENT, CP, SIZES, click, clickText, deep, heading, jsErrors, openPage, signIn, signOut, typeIn, userMenu, view, waitText } from './walk-helpers.js';

const ISSUED = 'Issued-Walk-Pass-2026!';
const CHOSEN = 'Walk-Chosen-Secret-88';
const LATER = 'Walk-Later-Secret-99!';
const LOGIN = `${CP} >>> ck-login`;
const SETTINGS = `${CP} >>> ck-user-settings`;
const SEARCH = `${CP} >>> ck-account-search`;

describe.each(SIZES)('walk: self-service and search at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 120 });
    ({ page } = await openPage(site, size));
  });
  afterAll(() => site?.close());

  const stepTitle = (text: string) => waitText(page, `${LOGIN} >>> h2`, text);

  it('first sign-in, change password later, two-step sign-in, sign out and back in with a code', async () => {
    onTestFailed(async () => console.error(`[walk-self] ${await explain(page, [CP, 'ck-login', 'ck-user-settings'])}`));
    const username = `walk.${size.name}`;
    await site.db.transaction((trx) => createUser(trx, {
      username, email: `${username}@cascadepower.example`, firstName: 'Wanda', lastName: 'Walker', roleKey: 'client_manager', clientCodes: ['CPL'], password: ISSUED,
    }, testConfig().scryptCost, { type: 'system' }));

    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await deep(page, `${LOGIN} >>> #username`);
    await view(page, CP, size, 'self-01-signed-out');
    await signIn(page, CP, { username, password: ISSUED });

    // first sign-in: confirm the profile (the first name corrected), then replace the issued password
    await stepTitle('Confirm your profile');
    await typeIn(page, `${LOGIN} >>> #firstName`, 'Wendy');
    await view(page, CP, size, 'self-02-first-profile');
    await click(page, `${LOGIN} >>> button[type=submit]`);
    await stepTitle('Choose a new password');
    await view(page, CP, size, 'self-03-first-password');
    await typeIn(page, `${LOGIN} >>> #currentPassword`, ISSUED);
    await typeIn(page, `${LOGIN} >>> #newPassword`, CHOSEN);
    await typeIn(page, `${LOGIN} >>> #confirmPassword`, CHOSEN);
    await click(page, `${LOGIN} >>> button[type=submit]`);
    await heading(page, CP, 'Accounts');
    expect(await page.$eval(`${CP} >>> #user-button`, (el) => el.textContent!.replace(/\s+/g, ' ').trim())).toBe('Wendy Walker ▾');
    expect(await site.db('users').where({ username }).first('first_name')).toEqual({ firstName: 'Wendy' });

    // change the password later, from the user menu: a wrong repeat is refused next to the field
    await userMenu(page, CP, 'Change password');
    await deep(page, `${SETTINGS} >>> [data-field=rules] li`);
    await typeIn(page, `${SETTINGS} >>> #currentPassword`, CHOSEN);
    await typeIn(page, `${SETTINGS} >>> #newPassword`, LATER);
    await typeIn(page, `${SETTINGS} >>> #confirmPassword`, `${LATER}x`);
    await click(page, `${SETTINGS} >>> button[type=submit]`);
    await waitText(page, `${SETTINGS} >>> #confirmPassword-error`, /./);
    await view(page, CP, size, 'self-04-password-mismatch');
    await typeIn(page, `${SETTINGS} >>> #confirmPassword`, LATER);
    await click(page, `${SETTINGS} >>> button[type=submit]`);
    await waitText(page, `${SETTINGS} >>> [part=notice]`, /password/i);
    await view(page, CP, size, 'self-05-password-changed');

    // turn on two-step sign-in: the setup key read off the screen, the code computed from it
    await userMenu(page, CP, 'Two-step sign-in');
    await waitText(page, `${SETTINGS} >>> [data-field=mfa-status]`, 'off');
    await clickText(page, `${SETTINGS} >>>`, 'button', 'Set up two-step sign-in');
    const secret = (await waitText(page, `${SETTINGS} >>> [data-field=secret]`, /[A-Z2-7]{4}/)).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await view(page, CP, size, 'self-06-two-step-setup');
    await typeIn(page, `${SETTINGS} >>> #code`, totpCode(secret, new Date()));
    await page.keyboard.press('Enter');
    await deep(page, `${SETTINGS} >>> ul.codes li`);
    expect(await page.$$eval(`${SETTINGS} >>> ul.codes li`, (lis) => lis.length)).toBe(10);
    await view(page, CP, size, 'self-07-recovery-codes');
    await clickText(page, `${SETTINGS} >>>`, 'button', 'I have saved these codes');
    await waitText(page, `${SETTINGS} >>> [data-field=mfa-status]`, 'on');

    // sign out; back in with the later password and a code from the next window
    await signOut(page, CP);
    await heading(page, CP, 'Sign in to your client portal');
    await signIn(page, CP, { username, password: LATER });
    await stepTitle('Two-step sign-in');
    await view(page, CP, size, 'self-08-code-asked');
    await typeIn(page, `${LOGIN} >>> #code`, totpCode(secret, new Date(Date.now() + 30_000)));
    await page.keyboard.press('Enter');
    // signing out took the address home, so the next sign-in starts at Accounts, not on the last user's page
    await heading(page, CP, 'Accounts');
    expect(new URL(page.url()).hash.replace(/^#\/?/, '')).toBe('');
    // the two-step page now says it is on
    await userMenu(page, CP, 'Two-step sign-in');
    await waitText(page, `${SETTINGS} >>> [data-field=mfa-status]`, 'on');
    await signOut(page, CP);
    expect(jsErrors(page)).toEqual([]);
  });

  it('search by name, account number, SSN-4, phone and status, and page through the results', async () => {
    onTestFailed(async () => console.error(`[walk-self] ${await explain(page, [CP, 'ck-account-search'])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await deep(page, `${SEARCH} >>> tr[data-id]`);
    await view(page, CP, size, 'search-01-all');

    // one of the client's accounts, and what a person would know of it
    const target = await site.db('accounts as a').join('clients as c', 'c.id', 'a.client_id').join('account_parties as p', (j) => j.on('p.account_id', 'a.id').andOnVal('p.role', 'responsible'))
      .where('c.code', 'CPL').whereNotNull('p.ssn_last4').whereNot('p.phones', '[]').orderBy('a.id').offset(7)
      .first('a.public_id', 'a.agency_account_number', 'p.last_name', 'p.ssn_last4', 'p.phones');
    const phone = (JSON.parse(target.phones) as { number: string }[])[0]!.number;
    const rows = () => page.$$eval(`${SEARCH} >>> tr[data-id]`, (trs) => trs.map((tr) => tr.getAttribute('data-id')));
    const clear = async (field: string) => {
      const input = await deep(page, `${SEARCH} >>> #${field}`);
      await input.click({ count: 3 });
      await page.keyboard.press('Backspace');
    };
    const searchBy = async (field: string, value: string, step: string) => {
      await typeIn(page, `${SEARCH} >>> #${field}`, value);
      await page.keyboard.press('Enter');
      await page.waitForFunction((sel, id) => [...(document.querySelector(sel)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot?.querySelectorAll('tr[data-id]') ?? [])]
        .some((tr) => tr.getAttribute('data-id') === id), { timeout: 15_000 }, CP, target.publicId);
      // the first result is brought into view
      // (the scroll follows the render: allow it a moment on a busy machine)
      const first = await deep(page, `${SEARCH} >>> tr[data-id]`);
      const inView = () => first.evaluate((tr) => { const r = tr.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
      for (let i = 0; i < 25 && !(await inView()); i++) await new Promise((r) => setTimeout(r, 200));
      expect(await inView(), `first result of ${step} in view`).toBe(true);
      await view(page, CP, size, `search-${step}`);
      await clear(field);
    };
    await searchBy('name', target.lastName.toLowerCase(), '02-name');
    await searchBy('agencyAccountNumber', target.agencyAccountNumber, '03-account-number');
    expect(await rows()).toEqual([target.publicId]);
    await searchBy('ssnLast4', target.ssnLast4, '04-ssn4');
    await searchBy('phone', phone, '05-phone');

    // by status: every row shows it
    await page.select(`${SEARCH} >>> #status`, 'hold');
    await click(page, `${SEARCH} >>> button[type=submit]`);
    await page.waitForFunction((sel) => {
      const badges = [...(document.querySelector(sel)?.shadowRoot?.querySelector('ck-account-search')?.shadowRoot?.querySelectorAll('tr[data-id] [data-status]') ?? [])];
      return badges.length > 0 && badges.every((b) => b.getAttribute('data-status') === 'hold');
    }, { timeout: 15_000 }, CP);
    await view(page, CP, size, 'search-06-status');
    await page.select(`${SEARCH} >>> #status`, '');
    await click(page, `${SEARCH} >>> button[type=submit]`);

    // page through: next, next, previous, with the summary following
    await waitText(page, `${SEARCH} >>> [part=summary]`, /^Showing 1–10 of/);
    const page1 = await rows();
    await click(page, `${SEARCH} >>> [data-page=next]`);
    await waitText(page, `${SEARCH} >>> [part=summary]`, /^Showing 11–20 of/);
    const page2 = await rows();
    expect(page2.filter((id) => page1.includes(id))).toEqual([]);
    await click(page, `${SEARCH} >>> [data-page=next]`);
    await waitText(page, `${SEARCH} >>> [part=summary]`, /^Showing 21–30 of/);
    await view(page, CP, size, 'search-07-page-3');
    await click(page, `${SEARCH} >>> [data-page=previous]`);
    await waitText(page, `${SEARCH} >>> [part=summary]`, /^Showing 11–20 of/);
    expect(await rows()).toEqual(page2);
    expect(jsErrors(page)).toEqual([]);
  });
});
