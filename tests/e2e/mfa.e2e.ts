/**
 * First sign-in of a user whose role requires two-step sign-in, on the demo page: issued password →
 * confirm profile → new password → set up the authenticator (the secret read off the screen, as a
 * phone would scan it) → recovery codes → signed in; sign out; sign in again with password + code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startDemoSite, typeInto, type DemoSite, deepSelector } from './harness.js';
import { createUser } from '../../api/users/users.service.js';
import { testConfig } from '../../api/config.js';
import { totpCode } from '../../api/platform/auth/totp.js';

const ISSUED = 'Issued-E2E-Pass-2026!';
const CHOSEN = 'My-Own-Secret-Pass-77';

describe('demo site: first sign-in with two-step enrolment, then sign-in with a code', () => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 60 });
    await site.db('roles').where({ key: 'client_viewer' }).update({ mfaRequired: true });
    await site.db.transaction((trx) =>
      createUser(trx, { username: 'e2e.secure', email: 'e2e.secure@cascadepower.example', firstName: 'Erin', lastName: 'Secure', roleKey: 'client_viewer', clientCodes: ['CPL'], password: ISSUED }, testConfig().scryptCost, { type: 'system' }),
    );
    page = await site.newPage();
  });
  afterAll(() => site.close());

  const submit = async () => page.click('ck-client-portal >>> ck-login >>> button[type=submit]');
  const stepTitle = (text: string) => page.waitForFunction((t) => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-login')?.shadowRoot?.querySelector('h2')?.textContent === t, {}, text);

  it('enrols on first sign-in and signs in with a code afterwards', async () => {
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #username', 'e2e.secure');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #password', ISSUED);
    await page.keyboard.press('Enter');

    await stepTitle('Confirm your profile');
    await submit();
    await stepTitle('Choose a new password');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #currentPassword', ISSUED);
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #newPassword', CHOSEN);
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #confirmPassword', CHOSEN);
    await submit();

    await stepTitle('Set up two-step sign-in');
    await deepSelector(page, 'ck-client-portal >>> ck-login >>> img[part=qr]');
    const secret = (await page.$eval('ck-client-portal >>> ck-login >>> [part=secret]', (el) => el.textContent ?? '')).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #code', totpCode(secret, new Date()));
    await submit();
    await stepTitle('Save your recovery codes');
    expect(await page.$$eval('ck-client-portal >>> ck-login >>> [part=recovery-codes] li', (lis) => lis.length)).toBe(10);
    await page.click('ck-client-portal >>> ck-login >>> button[part~=submit]');

    // the client portal (demo index.html) shows the accounts, the user menu names the user
    await deepSelector(page, 'ck-client-portal >>> #user-button');
    expect(await page.$eval('ck-client-portal >>> #user-button', (el) => el.textContent!.replace(/\s+/g, ' ').trim())).toBe('Erin Secure ▾');
    await deepSelector(page, 'ck-client-portal >>> ck-account-search >>> tr[data-id]');

    // sign out, and back in: now the code is asked for after the password
    await page.click('ck-client-portal >>> #user-button');
    await page.click('ck-client-portal >>> [data-action=sign-out]');
    await deepSelector(page, 'ck-client-portal >>> h1[data-view=signin]');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #username', 'e2e.secure');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #password', CHOSEN);
    await page.keyboard.press('Enter');
    await stepTitle('Two-step sign-in');
    await typeInto(page, 'ck-client-portal >>> ck-login >>> #code', totpCode(secret, new Date(Date.now() + 30_000)));
    await page.keyboard.press('Enter');
    await deepSelector(page, 'ck-client-portal >>> #user-button');
    expect(await site.db('audit_log').where({ action: 'auth.login' }).whereLike('after_json', '%totp%').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
